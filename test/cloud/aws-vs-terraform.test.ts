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
