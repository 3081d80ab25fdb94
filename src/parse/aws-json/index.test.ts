import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsFiles, withFile } from '../../../test/cloud/load-aws.js';
import { parseAwsExport } from './index.js';

describe('parseAwsExport (AWS CLI output as recorded)', () => {
  const files = awsFiles('web-vpc');

  it('reads every call of the export without a diagnostic', () => {
    const { value, diagnostics } = parseAwsExport(files);
    expect(diagnostics).toEqual([]);
    expect(value.securityGroups.map((g) => g.id)).toHaveLength(4);
    expect(value.instances.map((i) => [i.id, i.name, i.state])).toEqual([
      ['i-0a1b2c3d4e5f00001', 'web-1', 'running'],
      ['i-0a1b2c3d4e5f00002', 'db-1', 'running'],
    ]);
    // Listed inline and in describe-network-interfaces: once, with the instance link.
    expect(value.interfaces.map((e) => [e.id, e.instanceId, e.type])).toEqual([
      ['eni-0a1b2c3d4e5f00001', 'i-0a1b2c3d4e5f00001', 'interface'],
      ['eni-0a1b2c3d4e5f00002', 'i-0a1b2c3d4e5f00002', 'interface'],
      ['eni-0a1b2c3d4e5f00003', null, 'network_load_balancer'],
    ]);
    expect(value.prefixLists.find((p) => p.id === 'pl-0a1b2c3d4e5f00001')?.entries).toEqual(['192.0.2.128/25', '198.18.0.0/24']);
    expect(value.prefixLists.find((p) => p.id === 'pl-63a5400a')?.entries).toBeNull();
  });

  it('gives one rule per peer of an IpPermissions element, each at its JSON path', () => {
    const web = parseAwsExport(files).value.securityGroups[0]!;
    const https = web.rules.filter((r) => r.direction === 'ingress' && r.fromPort === 443);
    expect(https.map((r) => [r.peer, r.description, r.origin.path])).toEqual([
      [{ kind: 'cidr', family: 'ipv4', cidr: '0.0.0.0/0' }, 'HTTPS', '$.SecurityGroups[0].IpPermissions[0].IpRanges[0]'],
      [{ kind: 'cidr', family: 'ipv6', cidr: '::/0' }, null, '$.SecurityGroups[0].IpPermissions[0].Ipv6Ranges[0]'],
    ]);
    expect(web.rules.find((r) => r.peer.kind === 'group')?.peer).toEqual({ kind: 'group', groupId: 'sg-0a1b2c3d4e5f00004', userId: '123456789012' });
    expect(web.rules.find((r) => r.protocol === 1)).toMatchObject({ fromPort: 8, toPort: -1 });
  });

  it('reads NACL entries with rule numbers, direction, ports and ICMP type/code', () => {
    const acl = parseAwsExport(files).value.networkAcls[0]!;
    expect(acl.subnetIds).toEqual(['subnet-0a1b2c3d4e5f00001']);
    const deny = acl.entries.find((e) => e.ruleNumber === 90)!;
    expect(deny).toMatchObject({ egress: false, action: 'deny', protocol: 6, family: 'ipv4', cidr: '198.51.100.0/24', ports: { from: 22, to: 22 } });
    expect(acl.entries.find((e) => e.ruleNumber === 140)).toMatchObject({ protocol: 1, icmp: { type: 8, code: -1 } });
    expect(acl.entries.filter((e) => e.family === 'ipv6').length).toBe(4);
  });

  it('reads routes with their targets, including prefix-list destinations and blackholes', () => {
    const rt = parseAwsExport(files).value.routeTables[1]!;
    expect(rt.subnetIds).toEqual(['subnet-0a1b2c3d4e5f00001']);
    expect(rt.routes.map((r) => r.target)).toEqual(['local', 'local', 'vgw-0a1b2c3d4e5f00001', 'vpce-0a1b2c3d4e5f00001', 'igw-0a1b2c3d4e5f00001', 'igw-0a1b2c3d4e5f00001']);
    expect(rt.routes[3]!.destination).toEqual({ kind: 'prefix-list', id: 'pl-63a5400a' });
  });

  it('locates a bad value by file and JSON path, with what was expected', () => {
    const bad = withFile(files, 'describe-network-acls.json', (d) => (d.NetworkAcls[0].Entries[5].RuleNumber = 40000));
    const { diagnostics } = parseAwsExport(bad);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', location: { file: 'describe-network-acls.json', path: '$.NetworkAcls[0].Entries[5].RuleNumber' }, expected: 'an integer from 1 to 32767', input: '40000' }),
    ]);
  });

  it('rejects an unknown protocol instead of guessing', () => {
    const bad = withFile(files, 'describe-security-groups.json', (d) => (d.SecurityGroups[1].IpPermissions[0].IpProtocol = 'tcpp'));
    const [d] = parseAwsExport(bad).diagnostics;
    expect(d).toMatchObject({ message: 'unknown protocol', location: { path: '$.SecurityGroups[1].IpPermissions[0].IpProtocol' }, input: '"tcpp"' });
  });

  it('names a missing call and the command that produces it', () => {
    const { diagnostics } = parseAwsExport(files.filter((f) => f.name !== 'describe-route-tables.json'));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'parse.aws.missing', expected: 'the output of `aws ec2 describe-route-tables --output json > describe-route-tables.json`' })]);
  });

  it('gives line and column for damaged JSON', () => {
    const bad = files.map((f) => (f.name === 'describe-subnets.json' ? { ...f, text: f.text.replace('"SubnetId"', '"SubnetId" "x"') } : f));
    const d = parseAwsExport(bad).diagnostics.find((x) => x.code === 'parse.aws.json')!;
    expect(d.location?.file).toBe('describe-subnets.json');
    expect(d.location?.line).toBeGreaterThan(1);
  });

  it('reads one combined file the same as the files apart', () => {
    const merged: Record<string, unknown> = {};
    const entries: Record<string, unknown> = {};
    for (const f of files) {
      const doc = JSON.parse(f.text);
      const m = /get-managed-prefix-list-entries-(pl-\w+)\.json/.exec(f.name);
      if (m) entries[m[1]!] = doc.Entries;
      else Object.assign(merged, doc);
    }
    merged['PrefixListEntries'] = entries;
    const combined = parseAwsExport([{ name: 'account.json', text: JSON.stringify(merged) }]);
    expect(combined.diagnostics).toEqual([]);
    const apart = parseAwsExport(files).value;
    const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' || k === 'calls' ? undefined : x)));
    expect(strip(combined.value)).toEqual(strip(apart));
  });

  it('never throws on mangled input: every problem is a located diagnostic', () => {
    const base = JSON.parse(files.find((f) => f.name === 'describe-network-acls.json')!.text);
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(-1));
    const paths = [['Entries', 0, 'RuleNumber'], ['Entries', 1, 'Protocol'], ['Entries', 2, 'PortRange'], ['Entries', 3, 'CidrBlock'], ['Entries', 4, 'IcmpTypeCode'], ['Associations'], ['Entries'], ['NetworkAclId'], ['Entries', 5, 'RuleAction'], ['Entries', 6, 'Egress']];
    fc.assert(
      fc.property(fc.constantFrom(...paths), junk, (path, value) => {
        const doc = structuredClone(base);
        let o = doc.NetworkAcls[0];
        for (const k of path.slice(0, -1)) o = o[k as never];
        o[path[path.length - 1] as never] = value as never;
        const text = JSON.stringify(doc);
        const out = parseAwsExport([...files.filter((f) => f.name !== 'describe-network-acls.json'), { name: 'describe-network-acls.json', text }]);
        for (const d of out.diagnostics) expect(d.location?.path ?? d.location?.line).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
