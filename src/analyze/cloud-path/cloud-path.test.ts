import { describe, expect, it } from 'vitest';
import { awsFiles, withFile } from '../../../test/cloud/load-aws.js';
import { type AddrSet, cidrsToSet, parseAddr } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import { parseAwsExport } from '../../parse/aws-json/index.js';
import { type CloudHost, analyzeAwsNetwork } from './index.js';

const WEB = 'i-0a1b2c3d4e5f00001';
const DB = 'i-0a1b2c3d4e5f00002';

function analyze(files = awsFiles('web-vpc'), clientPorts?: { from: number; to: number }): Map<string, CloudHost> {
  const parsed = parseAwsExport(files);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(analyzeAwsNetwork(parsed.value, clientPorts ? { clientPorts } : {}).map((h) => [h.facts.instanceId, h]));
}

/** Whether an address is in an entry's sources. */
function admits(host: CloudHost, proto: string, port: number, addr: string): boolean {
  const a = parseAddr(addr)!;
  return host.internet.some((e) => e.proto === proto && e.fromPort <= port && port <= e.toPort && I.contains(cidrsToSet(e.sources[a.family], a.family) as I.IntervalSet<I.Ordinal>, a.value));
}

describe('cloud path (AWS semantics on the recorded web-vpc export)', () => {
  const hosts = analyze();
  const web = hosts.get(WEB)!;

  it('NACL rules apply in rule-number order: deny 90 beats allow 100 for SSH', () => {
    expect(admits(web, 'tcp', 22, '198.51.100.7')).toBe(false);
    expect(admits(web, 'tcp', 22, '192.0.2.99')).toBe(true);
    // The deny is for port 22 only: HTTPS from the same network is admitted.
    expect(admits(web, 'tcp', 443, '198.51.100.7')).toBe(true);
    const ssh = web.internet.find((e) => e.proto === 'tcp' && e.fromPort === 22)!;
    expect(ssh.path.find((h) => h.layer === 'network-acl-inbound')!.rules.map((r) => r.rule)).toEqual(['inbound rule 100']);
    expect(ssh.path.find((h) => h.layer === 'security-group')!.rules.map((r) => `${r.id} ${r.rule}`)).toEqual(['sg-0a1b2c3d4e5f00001 ingress rule 3']);
  });

  it('routes decide by longest prefix: a VPN route and the VPC itself are not the internet', () => {
    expect(admits(web, 'tcp', 443, '203.0.113.5')).toBe(false); // 203.0.113.0/24 → vgw-
    expect(admits(web, 'tcp', 443, '10.0.3.3')).toBe(false); // local
    expect(admits(web, 'tcp', 443, '10.1.0.1')).toBe(true); // outside the VPC, via igw (exact: routing, not a guess about private space)
  });

  it('security groups are the union of the interface groups, ports exact and merged', () => {
    const ports = web.internet.filter((e) => e.proto === 'tcp').map((e) => [e.fromPort, e.toPort]);
    expect(ports).toEqual([
      [22, 22],
      [443, 443],
      [3389, 3389], // the second group; the NACL admits it through its inbound ephemeral range rule 130
      [6379, 6379],
    ]);
    const rdp = web.internet.find((e) => e.fromPort === 3389)!;
    expect(rdp.path.find((h) => h.layer === 'network-acl-inbound')!.rules[0]!.rule).toBe('inbound rule 130');
  });

  it('expands prefix lists to their entries', () => {
    const redis = web.internet.find((e) => e.fromPort === 6379)!;
    expect(redis.sources).toEqual({ ipv4: ['192.0.2.128/25', '198.18.0.0/24'], ipv6: [] });
  });

  it('a group reference means the members, never the internet', () => {
    // sg-web admits 8080 from members of sg-lb (10.0.1.50, inside the VPC).
    expect(web.internet.some((e) => e.proto === 'tcp' && e.fromPort <= 8080 && 8080 <= e.toPort)).toBe(false);
    const local = web.paths[0]!.families.ipv4.admittedAll;
    const srcAt8080 = (addr: string) => local.cubes.some((c) => I.contains(c[4]!, 8080) && I.contains(c[0]!, parseAddr(addr)!.value));
    expect(srcAt8080('10.0.1.50')).toBe(true);
    expect(srcAt8080('10.0.1.51')).toBe(false);
  });

  it('ICMP: SG type 8 any code, NACL type 8: echo requests only', () => {
    const icmp = web.internet.filter((e) => e.proto === 'icmp');
    expect(icmp.map((e) => [e.fromPort, e.toPort])).toEqual([[8, 8]]);
  });

  it('IPv6: admitted inbound on 443, but the outbound ACL drops the reply: not reachable, and said so', () => {
    expect(admits(web, 'tcp', 443, '2001:db8:ffff::1')).toBe(false);
    expect(web.facts.returnBlocked.map((b) => [b.proto, b.fromPort, b.networkAcl, b.sources.ipv4.length, b.sources.ipv6.length > 0])).toEqual([['tcp', 443, 'acl-0a1b2c3d4e5f00001', 0, true]]);
  });

  it('the reply must reach the client port: clients on 1024-32767 only would get nothing back', () => {
    const narrow = analyze(undefined, { from: 1024, to: 32767 }).get(WEB)!;
    expect(narrow.internet.filter((e) => e.proto === 'tcp')).toEqual([]);
    expect(narrow.facts.returnBlocked.map((b) => b.fromPort)).toEqual([22, 443, 3389, 6379]);
    // Linux clients (32768-60999) all get their replies.
    const linux = analyze(undefined, { from: 32768, to: 60999 }).get(WEB)!;
    expect(linux.internet.filter((e) => e.proto === 'tcp').map((e) => e.fromPort)).toEqual([22, 443, 3389, 6379]);
  });

  it('no public address and a NAT default route: nothing from the internet, whatever the groups say', () => {
    const db = hosts.get(DB)!;
    expect(db.internet).toEqual([]);
    // Give it a public IP: its route table still has no igw route (0.0.0.0/0 → nat-).
    const withIp = withFile(awsFiles('web-vpc'), 'describe-network-interfaces.json', (d) => (d.NetworkInterfaces[1].Association = { PublicIp: '192.0.2.20' }));
    expect(analyze(withIp).get(DB)!.internet).toEqual([]);
  });

  it('the same interface in a public subnet with a public IP is open on 3306 to the world', () => {
    const moved = withFile(
      withFile(awsFiles('web-vpc'), 'describe-network-interfaces.json', (d) => {
        d.NetworkInterfaces[1].Association = { PublicIp: '192.0.2.20' };
        d.NetworkInterfaces[1].SubnetId = 'subnet-0a1b2c3d4e5f00001';
      }),
      'describe-network-acls.json',
      (d) => d.NetworkAcls[0].Entries.push({ CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '6', PortRange: { From: 3306, To: 3306 }, RuleAction: 'allow', RuleNumber: 125 }),
    );
    const db = analyze(moved).get(DB)!;
    expect(db.internet.map((e) => [e.proto, e.fromPort])).toEqual([['tcp', 3306]]);
  });

  it('an exported prefix list missing its entries is read as every address, and the assumption is listed', () => {
    const files = awsFiles('web-vpc').filter((f) => !f.name.startsWith('get-managed-prefix-list-entries'));
    const web2 = analyze(files).get(WEB)!;
    expect(admits(web2, 'tcp', 6379, '198.51.100.77')).toBe(true);
    expect(web2.facts.assumptions.some((a) => a.includes('pl-0a1b2c3d4e5f00001'))).toBe(true);
  });

  it('without describe-network-interfaces, group members are unknown: the whole VPC, named as an assumption', () => {
    const files = awsFiles('web-vpc').filter((f) => f.name !== 'describe-network-interfaces.json');
    const web2 = analyze(files).get(WEB)!;
    expect(web2.facts.assumptions.some((a) => a.includes('members of sg-0a1b2c3d4e5f00004'))).toBe(true);
    expect(web2.internet.map((e) => e.fromPort)).toEqual(web.internet.map((e) => e.fromPort));
  });

  it('sources are minimal CIDR lists', () => {
    const https = web.internet.find((e) => e.fromPort === 443)!;
    const set = cidrsToSet(https.sources.ipv4, 'ipv4') as AddrSet;
    expect(I.contains(set as I.IntervalSet<I.Ordinal>, parseAddr('8.8.8.8')!.value)).toBe(true);
    expect(https.sources.ipv4).toHaveLength(38);
  });
});

describe('sources inside the VPC cross the network ACL of another subnet, not their own', () => {
  /** web-1's group admits Redis from the whole VPC instead of the office list; the public subnet's ACL denies the private subnet inbound on 6379 (rule 50). */
  const files = withFile(
    withFile(awsFiles('web-vpc'), 'describe-security-groups.json', (d) => (d.SecurityGroups[0].IpPermissions[2] = { IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, IpRanges: [{ CidrIp: '10.0.0.0/16' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] })),
    'describe-network-acls.json',
    (d) => d.NetworkAcls[0].Entries.push({ CidrBlock: '10.0.2.0/24', Egress: false, Protocol: '6', PortRange: { From: 6379, To: 6379 }, RuleAction: 'deny', RuleNumber: 50 }),
  );
  /** One packet: tcp from addr:sport to 6379. */
  const admitted = (hosts: Map<string, CloudHost>, addr: string, sport = 40000) => {
    const a = parseAddr(addr)!.value as number;
    const packet = PacketSet.where('ipv4', { [Dim.Src]: I.range(a, a + 1) as DimSet, [Dim.Proto]: I.range(6, 7) as DimSet, [Dim.Sport]: I.range(sport, sport + 1) as DimSet, [Dim.Dport]: I.range(6379, 6380) as DimSet });
    return hosts.get(WEB)!.paths[0]!.families.ipv4.admittedAll.intersects(packet);
  };

  it('an inbound deny for another subnet of the VPC keeps it out; the own subnet never crosses the ACL', () => {
    const hosts = analyze(files);
    expect(hosts.get(WEB)!.paths[0]!.eni.subnetId).toBe('subnet-0a1b2c3d4e5f00001');
    expect(admitted(hosts, '10.0.2.20')).toBe(false);
    expect(admitted(hosts, '10.0.1.77')).toBe(true);
    // Without the deny the private subnet gets in.
    expect(admitted(analyze(withFile(files, 'describe-network-acls.json', (d) => d.NetworkAcls[0].Entries.pop())), '10.0.2.20')).toBe(true);
  });

  it('the reply to a client in another subnet must get out: the outbound ACL allows 32768-65535 only', () => {
    const open = analyze(withFile(files, 'describe-network-acls.json', (d) => d.NetworkAcls[0].Entries.pop()));
    expect(admitted(open, '10.0.2.20', 40000)).toBe(true);
    expect(admitted(open, '10.0.2.20', 2000)).toBe(false);
    // Within the subnet the ACL is not crossed: any client port.
    expect(admitted(open, '10.0.1.77', 2000)).toBe(true);
  });
});
