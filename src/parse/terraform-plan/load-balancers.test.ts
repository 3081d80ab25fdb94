import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeAwsNetwork } from '../../analyze/cloud-path/index.js';
import { parseTerraformPlan } from './index.js';

const FILE = 'test/fixtures/terraform/web-vpc-elb.plan.json';
const text = readFileSync(FILE, 'utf8');
type Plan = any;
/** The plan with resources added: planned values, their "known after apply" and their configuration. */
function withResources(add: { address: string; type: string; values: object; expressions: object }[], edit: (d: Plan) => void = () => {}): string {
  const d = JSON.parse(text);
  for (const x of add) {
    const name = x.address.split('.')[1];
    d.planned_values.root_module.resources.push({ address: x.address, mode: 'managed', type: x.type, name, values: x.values });
    d.resource_changes.push({ address: x.address, mode: 'managed', type: x.type, name, change: { actions: ['create'], before: null, after: x.values, after_unknown: { id: true, arn: true } } });
    d.configuration.root_module.resources.push({ address: x.address, mode: 'managed', type: x.type, name, expressions: x.expressions });
  }
  edit(d);
  return JSON.stringify(d);
}
const ref = (addr: string, attr = 'arn') => ({ references: [`${addr}.${attr}`, addr] });

describe('Terraform balancers (aws_lb, aws_lb_listener, aws_lb_listener_rule, aws_lb_target_group, attachments)', () => {
  const { value: net } = parseTerraformPlan(text, FILE);

  it('reads balancers, listeners (target_group_arn and forward blocks), groups and the targets attached in a module', () => {
    expect(net.loadBalancers.map((l) => [l.arn, l.type, l.scheme, l.subnetIds, l.securityGroups])).toEqual([
      ['aws_lb.web', 'network', 'internet-facing', ['aws_subnet.public'], ['aws_security_group.lb']],
      ['aws_lb.app', 'application', 'internet-facing', ['aws_subnet.public'], ['aws_security_group.lb']],
    ]);
    expect(net.listeners.map((l) => [l.arn, l.protocol, l.port, l.targetGroupArns, l.rules?.map((r) => r.priority) ?? null])).toEqual([
      ['aws_lb_listener.web', 'TCP', 443, ['aws_lb_target_group.web'], null],
      ['aws_lb_listener.app', 'HTTPS', 443, ['aws_lb_target_group.app'], ['default']],
    ]);
    // var.web_target_group_arn followed out of module.app to the root group.
    expect(net.targetGroups.map((t) => [t.name, t.loadBalancerArns, t.targets!.map((x) => `${x.id}:${x.port}`)])).toEqual([
      ['web-8080', ['aws_lb.web'], ['module.app.aws_instance.web[0]:8080']],
      ['app-80', ['aws_lb.app'], ['aws_instance.db:80', 'module.app.aws_instance.web[0]:8080']],
    ]);
  });

  it('an aws_lb_listener_rule forwards a path to a group the default action does not name', () => {
    const plan = withResources([
      { address: 'aws_lb_target_group.admin', type: 'aws_lb_target_group', values: { name: 'admin-9000', port: 9000, protocol: 'HTTP', target_type: 'instance' }, expressions: {} },
      { address: 'aws_lb_target_group_attachment.admin', type: 'aws_lb_target_group_attachment', values: { port: 9000 }, expressions: { target_group_arn: ref('aws_lb_target_group.admin'), target_id: ref('aws_instance.db', 'id') } },
      {
        address: 'aws_lb_listener_rule.admin',
        type: 'aws_lb_listener_rule',
        values: { priority: 10, action: [{ type: 'forward' }], condition: [{ path_pattern: [{ values: ['/admin/*'] }], host_header: [] }] },
        expressions: { listener_arn: ref('aws_lb_listener.app'), action: [{ target_group_arn: ref('aws_lb_target_group.admin') }] },
      },
    ]);
    const parsed = parseTerraformPlan(plan, FILE);
    expect(parsed.diagnostics).toEqual([]);
    const app = parsed.value.listeners.find((l) => l.arn === 'aws_lb_listener.app')!;
    expect(app.rules!.map((r) => [r.priority, r.conditions, r.targetGroupArns])).toEqual([
      ['10', 'path-pattern /admin/*', ['aws_lb_target_group.admin']],
      ['default', '', ['aws_lb_target_group.app']],
    ]);
    const db = analyzeAwsNetwork(parsed.value).find((h) => h.facts.instanceId === 'aws_instance.db')!;
    expect(db.facts.loadBalancers!.find((e) => e.targetGroup === 'admin-9000')).toMatchObject({ loadBalancer: 'app', targetPort: 9000, listenerRules: ['priority 10: path-pattern /admin/*'] });
  });

  it('an autoscaling group registering in a target group makes its targets unknown, and says so', () => {
    const plan = withResources([{ address: 'aws_autoscaling_group.web', type: 'aws_autoscaling_group', values: { max_size: 3, min_size: 1 }, expressions: { target_group_arns: ref('aws_lb_target_group.web') } }]);
    const parsed = parseTerraformPlan(plan, FILE);
    expect(parsed.value.targetGroups.find((t) => t.name === 'web-8080')!.targets).toBeNull();
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([['assumed.terraform.unknown', 'aws_autoscaling_group.web registers instances in web-8080 at run time: its targets are unknown']]);
  });

  it('a listener naming a balancer not in the plan is an error at its JSON path', () => {
    const plan = withResources([], (d) => {
      const cfg = d.configuration.root_module.resources.find((r: any) => r.address === 'aws_lb_listener.web');
      cfg.expressions.load_balancer_arn = { references: ['aws_lb.gone.arn', 'aws_lb.gone'] };
    });
    const errors = parseTerraformPlan(plan, FILE).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location?.path).toMatch(/^\$\.planned_values\.root_module\.resources\[\d+\]\.values\.load_balancer_arn$/);
    expect(errors[0]!.message).toContain('aws_lb_listener.web names a load balancer that is not in the plan');
  });

  it('internal = true is no entry point', () => {
    const plan = withResources([], (d) => {
      for (const r of d.planned_values.root_module.resources) if (r.type === 'aws_lb') r.values.internal = true;
    });
    expect(analyzeAwsNetwork(parseTerraformPlan(plan, FILE).value).every((h) => h.facts.loadBalancers === undefined)).toBe(true);
  });
});
