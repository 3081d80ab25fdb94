/**
 * `audit --aws` as a user runs it: the built binary on a recorded AWS CLI export, joined
 * with a host snapshot of the same machine (matched by its private address).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sarifValidator, validator } from '../render/load.js';
import { AWS_FIXTURES } from './load-aws.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const DIR = join(AWS_FIXTURES, 'web-vpc');
const tmp = mkdtempSync(join(tmpdir(), 'pc-aws-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('portcullis audit --aws', () => {
  it('one path from the internet to the socket: the cloud narrows what the host firewall admits', () => {
    const r = run(['audit', '--aws', DIR, '--snapshot', join(DIR, 'host-web-1.json'), '--json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validator('audit')(report), JSON.stringify(validator('audit').errors?.slice(0, 3))).toBe(true);
    const web = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    expect(web.cloud.joined).toEqual({ hostname: 'web-1', by: 'private-address' });
    const svc = (port: number, address: string) => web.services.find((s: any) => s.port === port && s.address === address);
    // Redis: the host admits the world; the security group only the office prefix list.
    expect(svc(6379, '0.0.0.0').sources.ipv4).toEqual(['192.0.2.128/25', '198.18.0.0/24']);
    expect(svc(6379, '0.0.0.0').cloud.internet).toBe(true);
    expect(svc(6379, '0.0.0.0').cloud.path.find((h: any) => h.layer === 'security-group').rules[0].text).toBe('allow tcp 6379 from pl-0a1b2c3d4e5f00001');
    // HTTP: the host admits the world, no security group rule does.
    expect(svc(80, '0.0.0.0')).toMatchObject({ exposure: 'local', cloud: { internet: false, closedBy: 'security-group' } });
    // SSH: the host admits 198.51.100.0/24 only, and the NACL denies exactly that (rule 90 before 100).
    expect(svc(22, '0.0.0.0').sources.ipv4).toEqual([]);
    // HTTPS over IPv6: admitted inbound, the reply is dropped by the outbound ACL (IPv6: port 80 only), for
    // the internet and for the VPC's other subnets alike: only the instance's own subnet (a global /64) reaches it.
    expect(svc(443, '::')).toMatchObject({ exposure: 'allowlisted', sources: { ipv6: ['2001:db8:1234:1a01::/64'] }, cloud: { internet: false, closedBy: 'network-acl-outbound' } });
    expect(web.internet.map((e: any) => `${e.proto}/${e.fromPort}`)).toEqual(['tcp/22', 'tcp/443', 'tcp/3389', 'tcp/6379', 'icmp/8']);
    const db = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00002');
    expect(db).toMatchObject({ services: [], internet: [], cloud: { joined: null } });
  });

  it('text: the cloud section and the deciding rule of each service', () => {
    const r = run(['audit', '--aws', DIR, '--snapshot', join(DIR, 'host-web-1.json'), '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Internet through the cloud');
    expect(r.stdout).toContain('cloud: closed to the internet by the security groups');
    expect(r.stdout).toMatch(/tcp 443 from .*acl-0a1b2c3d4e5f00001 drops the reply to every client port/s);
  });

  it('--client-ports changes the return-traffic verdict', () => {
    const r = run(['audit', '--aws', DIR, '--json', '--client-ports', '1024-32767', '--fail-on', 'none']);
    const web = JSON.parse(r.stdout).hosts[0];
    expect(web.internet.filter((e: any) => e.proto === 'tcp')).toEqual([]);
    expect(run(['audit', '--aws', DIR, '--client-ports', '70000-2']).code).toBe(2);
  });

  it('bad input: exit 2, the file and JSON path, no stack trace', () => {
    const bad = join(tmp, 'bad');
    spawnSync('cp', ['-r', DIR, bad]);
    const f = join(bad, 'describe-security-groups.json');
    const doc = JSON.parse(readFileSync(f, 'utf8'));
    doc.SecurityGroups[0].IpPermissions[1].IpRanges[0].CidrIp = '0.0.0.0/33';
    writeFileSync(f, JSON.stringify(doc));
    const r = run(['audit', '--aws', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('describe-security-groups.json at $.SecurityGroups[0].IpPermissions[1].IpRanges[0].CidrIp: not an ipv4 CIDR');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = run(['audit', '--aws', join(tmp, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });

  it('--terraform: hosts named by aws_instance address, findings fixed in Terraform, exit 1 at --fail-on high', () => {
    const r = run(['audit', '--terraform', join(AWS_FIXTURES, '../terraform/web-vpc.plan.json'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validator('audit')(report)).toBe(true);
    expect(report.hosts.map((h: any) => h.name)).toEqual(['aws_instance.db', 'module.app.aws_instance.web[0]']);
    const rdp = report.findings.find((f: any) => f.id === 'cloud-open-port:module.app.aws_instance.web[0]:tcp/3389');
    expect(rdp.severity).toBe('critical');
    expect(rdp.remediation.commands).toEqual(['# Terraform: in aws_security_group.admin (ingress rule 1: allow tcp 3389 from 0.0.0.0/0), set cidr_blocks = ["192.0.2.0/24"], ipv6_cidr_blocks = []']);
    expect(run(['audit', '--terraform', join(AWS_FIXTURES, '../terraform/web-vpc.plan.json'), '--aws', DIR]).code).toBe(2);
  });

  it('diff --terraform: a plan that adds one rule to a live network is judged by what it newly exposes', () => {
    const plan = JSON.parse(readFileSync(join(AWS_FIXTURES, '../terraform/web-vpc.plan.json'), 'utf8'));
    // Everything exists already except the RDP rule the plan adds.
    const prior = structuredClone(plan.planned_values.root_module);
    prior.resources = prior.resources.filter((r: any) => r.address !== 'aws_vpc_security_group_ingress_rule.rdp');
    plan.prior_state = { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: prior } };
    const file = join(tmp, 'rdp.plan.json');
    writeFileSync(file, JSON.stringify(plan, null, 1));
    const r = run(['diff', '--terraform', file, '--json']);
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout);
    expect(validator('diff')(diff)).toBe(true);
    expect(diff.findingsAdded.map((f: any) => [f.id, f.severity])).toEqual([['cloud-open-port:module.app.aws_instance.web[0]:tcp/3389', 'critical']]);
    expect(run(['diff', '--terraform', file, '--fail-on', 'none']).code).toBe(0);
    // SARIF for code scanning: the added finding at the resource that declares the rule, and its line in the plan file.
    const sarif = JSON.parse(run(['diff', '--terraform', file, '--format', 'sarif', '--fail-on', 'none']).stdout);
    expect(sarifValidator()(sarif), JSON.stringify(sarifValidator().errors?.slice(0, 3))).toBe(true);
    const [result, ...more] = sarif.runs[0].results;
    expect(more).toEqual([]);
    expect(result.ruleId).toBe('cloud-open-port');
    expect(result.locations[0].logicalLocations.map((l: any) => `${l.kind} ${l.fullyQualifiedName}`)).toEqual([
      'module module.app.aws_instance.web[0]',
      'resource module.app.aws_instance.web[0]/tcp/3389',
      'resource aws_vpc_security_group_ingress_rule.rdp',
    ]);
    const where = result.locations[0].physicalLocation;
    expect(where.artifactLocation.uri).toBe(file);
    const planLines = readFileSync(file, 'utf8').split('\n');
    // The line of the rule resource's planned values in the plan file (terraform show -json carries no .tf lines).
    expect(planLines[where.region.startLine - 1]!.trim()).toBe('"values": {');
    expect(planLines.slice(where.region.startLine, where.region.startLine + 12).join('\n')).toMatch(/"from_port": 3389/);
    expect(where.artifactLocation.description.text).toMatch(/^aws_security_group\.admin ingress rule \d+ \(aws_vpc_security_group_ingress_rule\.rdp\) at \$\.planned_values\.root_module\.resources\[\d+\]\.values$/);
    const [plainDiff] = [run(['diff', 'a.json', 'b.json', '--format', 'sarif'])];
    expect(plainDiff.code).toBe(2);
    // The same plan without the new rule exposes nothing new.
    plan.planned_values.root_module = prior;
    writeFileSync(file, JSON.stringify(plan));
    expect(run(['diff', '--terraform', file]).code).toBe(0);
  });

  it('html and sarif carry the cloud layer too', () => {
    const html = run(['audit', '--aws', DIR, '--snapshot', join(DIR, 'host-web-1.json'), '--format', 'html', '--fail-on', 'none']);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('Internet through the cloud (AWS i-0a1b2c3d4e5f00001, web-1)');
    expect(html.stdout).toContain('cloud: closed to the internet by the security groups');
    const sarif = JSON.parse(run(['audit', '--aws', DIR, '--format', 'sarif', '--fail-on', 'none']).stdout);
    const results = sarif.runs[0].results.map((r: any) => r.ruleId);
    expect(results).toEqual(expect.arrayContaining(['cloud-open-port', 'cloud-nacl-ephemeral-inbound', 'cloud-nacl-return-blocked']));
  });
});

describe('audit --aws on a host snapshot with routes', () => {
  it('narrows each arrival interface\'s sources as it narrows the service\'s', async () => {
    const { parseIpRouteJson, parseIpRuleJson } = await import('../../src/parse/ip-route-json.js');
    // `ip -j` output of an EC2 instance with one ENI: the default route through the VPC router.
    const rules = '[{"priority":0,"src":"all","table":"local"},{"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]';
    const routing = {
      ipv4: {
        routes: parseIpRouteJson('[{"dst":"default","gateway":"10.0.1.1","dev":"eth0","flags":[]},{"dst":"10.0.1.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"10.0.1.10","flags":[]}]', 'routes4', 'ipv4').value,
        rules: parseIpRuleJson(rules, 'rules4', 'ipv4').value,
      },
      ipv6: {
        routes: parseIpRouteJson('[{"dst":"default","gateway":"fe80::1","dev":"eth0","flags":[]},{"dst":"2001:db8:1234:1a01::/64","dev":"eth0","protocol":"kernel","flags":[]}]', 'routes6', 'ipv6').value,
        rules: parseIpRuleJson(rules, 'rules6', 'ipv6').value,
      },
    };
    const snapshot = { ...JSON.parse(readFileSync(join(DIR, 'host-web-1.json'), 'utf8')), routing };
    const file = join(tmp, 'host-web-1-routes.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const r = run(['audit', '--aws', DIR, '--snapshot', file, '--json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const web = JSON.parse(r.stdout).hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    const redis = web.services.find((s: any) => s.port === 6379 && s.address === '0.0.0.0');
    expect(redis.sources.ipv4).toEqual(['192.0.2.128/25', '198.18.0.0/24']);
    expect(redis.interfaces).toEqual([{ name: 'eth0', sources: { ipv4: ['192.0.2.128/25', '198.18.0.0/24'], ipv6: [] } }]);
  });
});

describe('audit --aws: sources inside the VPC in the joined service', () => {
  /** web-1's group admits Redis from the private subnet only (not the office list); `acl` edits the public subnet's ACL. */
  function redisFromPrivateSubnet(name: string, acl: (entries: any[]) => void = () => {}) {
    const dir = join(tmp, name);
    cpSync(DIR, dir, { recursive: true });
    const sg = JSON.parse(readFileSync(join(dir, 'describe-security-groups.json'), 'utf8'));
    sg.SecurityGroups[0].IpPermissions[2] = { IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, IpRanges: [{ CidrIp: '10.0.2.0/24' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
    writeFileSync(join(dir, 'describe-security-groups.json'), JSON.stringify(sg));
    const acls = JSON.parse(readFileSync(join(dir, 'describe-network-acls.json'), 'utf8'));
    acl(acls.NetworkAcls[0].Entries);
    writeFileSync(join(dir, 'describe-network-acls.json'), JSON.stringify(acls));
    const report = JSON.parse(run(['audit', '--aws', dir, '--snapshot', join(dir, 'host-web-1.json'), '--json', '--fail-on', 'none']).stdout);
    return report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001').services.find((s: any) => s.port === 6379);
  }

  it('a port the VPC reaches and the internet does not reads internal, with the VPC sources kept', () => {
    const redis = redisFromPrivateSubnet('vpc-redis');
    expect(redis).toMatchObject({ exposure: 'internal', sources: { ipv4: ['10.0.2.0/24'] }, cloud: { internet: false, closedBy: 'security-group' } });
  });

  it('the ACL of the instance subnet applies to the other subnet: an inbound deny leaves only the host', () => {
    const redis = redisFromPrivateSubnet('vpc-redis-denied', (e) => e.push({ CidrBlock: '10.0.2.0/24', Egress: false, Protocol: '6', PortRange: { From: 6379, To: 6379 }, RuleAction: 'deny', RuleNumber: 50 }));
    expect(redis).toMatchObject({ exposure: 'local', sources: { ipv4: [] } });
  });
});
