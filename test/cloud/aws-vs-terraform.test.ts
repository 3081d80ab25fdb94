/**
 * The same network, described twice: as the AWS CLI exports it and as a Terraform plan
 * builds it. `--aws` and `--terraform` must give the same internet exposure per instance.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeAwsNetwork } from '../../src/analyze/cloud-path/index.js';
import { parseAwsExport } from '../../src/parse/aws-json/index.js';
import { parseTerraformPlan } from '../../src/parse/terraform-plan/index.js';
import { awsFiles } from './load-aws.js';

/** Exposure without ids (the plan does not know them yet), keyed by the instance's Name tag. */
function summary(net: ReturnType<typeof parseAwsExport>['value'], client?: { from: number; to: number }) {
  return Object.fromEntries(
    analyzeAwsNetwork(net, client ? { clientPorts: client } : {}).map((h) => [
      h.facts.name,
      {
        internet: h.internet.map((e) => ({ proto: e.proto, fromPort: e.fromPort, toPort: e.toPort, sources: e.sources, layers: e.path.map((p) => `${p.layer}:${p.rules.map((r) => r.rule).join(',')}`) })),
        returnBlocked: h.facts.returnBlocked.map((b) => ({ ...b, networkAcl: '' })),
        // Balancers without ARNs and health (a plan knows neither); the path by layer and rule.
        loadBalancers: (h.facts.loadBalancers ?? []).map(({ loadBalancerArn: _, health: __, path, ...e }) => ({ ...e, layers: path.map((p) => `${p.layer}:${p.rules.map((r) => r.rule).join(',')}`) })),
      },
    ]),
  );
}

describe('--aws and --terraform agree on the same network', () => {
  const aws = parseAwsExport(awsFiles('web-vpc')).value;
  const tf = parseTerraformPlan(readFileSync('test/fixtures/terraform/web-vpc.plan.json', 'utf8'), 'web-vpc.plan.json').value;
  it.each([undefined, { from: 32768, to: 60999 }, { from: 1024, to: 32767 }])('client ports %j', (client) => {
    const a = summary(aws, client);
    expect(Object.keys(a).sort()).toEqual(['db-1', 'web-1']);
    expect(a['web-1']!.internet.length).toBeGreaterThan(0);
    expect(summary(tf, client)).toEqual(a);
  });
});

describe('--aws and --terraform agree on balancers (aws_lb, aws_lb_listener, aws_lb_target_group, its attachments)', () => {
  const aws = parseAwsExport([...awsFiles('web-vpc'), ...awsFiles('web-vpc-elb')]).value;
  const plan = parseTerraformPlan(readFileSync('test/fixtures/terraform/web-vpc-elb.plan.json', 'utf8'), 'web-vpc-elb.plan.json');
  it('reads the plan without a diagnostic', () => expect(plan.diagnostics).toEqual([]));
  it.each([undefined, { from: 32768, to: 60999 }])('client ports %j', (client) => {
    const a = summary(aws, client);
    expect(a['web-1']!.loadBalancers.map((e) => `${e.loadBalancer} ${e.listener.port} → ${e.targetPort} ${e.reachesTarget ? 'open' : e.closedBy}`)).toEqual(['web 443 → 8080 open', 'app 443 → 8080 open']);
    expect(a['db-1']!.loadBalancers).toHaveLength(1);
    expect(summary(plan.value, client)).toEqual(a);
  });
});
