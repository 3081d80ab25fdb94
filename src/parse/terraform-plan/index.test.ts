import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTerraformPlan } from './index.js';

const FILE = 'test/fixtures/terraform/web-vpc.plan.json';
const text = readFileSync(FILE, 'utf8');
const edit = (f: (d: any) => void) => {
  const d = JSON.parse(text);
  f(d);
  return JSON.stringify(d);
};

describe('parseTerraformPlan (terraform show -json)', () => {
  const { value: net, diagnostics } = parseTerraformPlan(text, FILE);

  it('reads the plan without a diagnostic; ids known after apply become resource addresses', () => {
    expect(diagnostics).toEqual([]);
    expect(net.instances.map((i) => [i.id, i.name])).toEqual([
      ['aws_instance.db', 'db-1'],
      ['module.app.aws_instance.web[0]', 'web-1'],
    ]);
    expect(net.securityGroups.map((g) => g.id)).toEqual(['aws_security_group.web', 'aws_security_group.admin', 'aws_security_group.db', 'aws_security_group.lb']);
  });

  it('every origin names its Terraform resource and its line in the plan file', () => {
    const web = net.securityGroups[0]!;
    expect(web.rules[0]!.origin).toMatchObject({ file: FILE, resource: 'aws_security_group.web', path: expect.stringMatching(/\.values\.ingress\[0\]$/) });
    const rdp = net.securityGroups[1]!.rules[2]!.origin;
    expect(rdp.resource).toBe('aws_vpc_security_group_ingress_rule.rdp');
    const lines = text.split('\n');
    // The rule's object opens on that line; its port follows within it.
    expect(lines.slice(rdp.line! - 1, rdp.line! + 12).join('\n')).toMatch(/"from_port": 3389/);
    expect(net.instances[1]!.origin.resource).toBe('module.app.aws_instance.web[0]');
    // The prior state is read through a rewritten view: addresses, no lines.
    const before = parseTerraformPlan(edit((d) => (d.prior_state = { values: d.planned_values })), FILE, 'before').value;
    expect(before.securityGroups[0]!.origin).toMatchObject({ resource: 'aws_security_group.web' });
    expect(before.securityGroups[0]!.origin.line).toBeUndefined();
  });

  it('follows a module input (var.x) back to the root resources it references', () => {
    const eni = net.interfaces.find((e) => e.instanceId === 'module.app.aws_instance.web[0]')!;
    expect(eni).toMatchObject({ subnetId: 'aws_subnet.public', vpcId: 'aws_vpc.main', groupIds: ['aws_security_group.web', 'aws_security_group.admin'], privateIps: ['10.0.1.10'], publicIps: ['(known after apply)'], ipv6: ['2001:db8:1234:1a01::10'] });
  });

  it('resolves references inside nested blocks (prefix lists, groups) and the separate rule resources', () => {
    const web = net.securityGroups[0]!;
    expect(web.rules.filter((r) => r.direction === 'ingress').map((r) => r.peer)).toContainEqual({ kind: 'prefix-list', id: 'aws_ec2_managed_prefix_list.office' });
    expect(web.rules.map((r) => r.peer)).toContainEqual({ kind: 'group', groupId: 'aws_security_group.lb', userId: null });
    expect(net.securityGroups[1]!.rules.map((r) => [r.protocol, r.fromPort, r.peer])).toEqual([
      ['all', 0, { kind: 'cidr', family: 'ipv4', cidr: '0.0.0.0/0' }],
      ['all', 0, { kind: 'cidr', family: 'ipv6', cidr: '::/0' }],
      [6, 3389, { kind: 'cidr', family: 'ipv4', cidr: '0.0.0.0/0' }],
    ]);
  });

  it('adds what AWS creates implicitly: the main table (taken over by aws_default_route_table), the local routes, the default ACL', () => {
    const main = net.routeTables.find((t) => t.main)!;
    expect(main.routes.map((r) => r.target)).toEqual(['local', 'local', 'aws_nat_gateway.main', 'aws_egress_only_internet_gateway.main']);
    const def = net.networkAcls.find((a) => a.isDefault)!;
    expect(def.entries.every((e) => e.action === 'allow')).toBe(true);
    expect(def.subnetIds).toEqual([]);
    expect(net.networkAcls.find((a) => a.id === 'aws_network_acl.public')!.subnetIds).toEqual(['aws_subnet.public']);
  });

  it('a rule whose group cannot be resolved is an error at its JSON path', () => {
    const bad = edit((d) => {
      const rdp = d.configuration.root_module.resources.find((r: any) => r.address === 'aws_vpc_security_group_ingress_rule.rdp');
      rdp.expressions.security_group_id = { references: ['aws_security_group.nowhere.id', 'aws_security_group.nowhere'] };
    });
    const out = parseTerraformPlan(bad, FILE).diagnostics;
    expect(out).toEqual([expect.objectContaining({ severity: 'error', message: 'aws_vpc_security_group_ingress_rule.rdp names a security group that is not in the plan', location: { file: FILE, path: expect.stringMatching(/^\$\.planned_values\.root_module\.resources\[\d+\]\.values\.security_group_id$/) } })]);
  });

  it('a source known after apply that names nothing in the plan is a warning, never a silent allow or deny', () => {
    const bad = edit((d) => {
      const web = d.configuration.root_module.resources.find((r: any) => r.address === 'aws_security_group.web');
      web.expressions.ingress[2].prefix_list_ids = { references: ['data.aws_ec2_managed_prefix_list.s3.id'] };
    });
    const out = parseTerraformPlan(bad, FILE).diagnostics;
    expect(out.map((d) => [d.severity, d.code])).toEqual([['warning', 'assumed.terraform.unknown']]);
    expect(out[0]!.location?.path).toMatch(/\.ingress\[2\]$/);
  });

  it('not a plan: a clear error', () => {
    const out = parseTerraformPlan('{"version": 4, "resources": []}', 'terraform.tfstate').diagnostics;
    expect(out[0]).toMatchObject({ severity: 'error', message: 'not a Terraform plan in JSON', location: { file: 'terraform.tfstate', path: '$' } });
  });
});
