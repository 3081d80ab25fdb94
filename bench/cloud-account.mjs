#!/usr/bin/env node
/**
 * Cloud benchmark: a generated AWS account (default 10,000 security groups, 50,000 rules,
 * 1,000 network ACLs, 5,000 interfaces: the target) as one combined AWS CLI export,
 * then `portcullis audit --aws FILE --format json` end to end, timed with peak RSS.
 *
 *   node bench/cloud-account.mjs [--groups 10000] [--rules 50000] [--acls 1000] [--enis 5000] [--seed 1] [--out bench/out]
 *
 * Needs `npm run build`. Prints markdown. The shapes are the AWS CLI's (see
 * test/fixtures/aws/web-vpc); addresses are private or documentation ranges.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: {
  groups: { type: 'string', default: '10000' }, rules: { type: 'string', default: '50000' },
  acls: { type: 'string', default: '1000' }, enis: { type: 'string', default: '5000' },
  seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'bench/out' },
} });
const G = Number(values.groups), R = Number(values.rules), A = Number(values.acls), E = Number(values.enis);

let state = Number(values.seed) >>> 0 || 1;
const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(rand() * list.length)];
const hex = (n, w = 17) => n.toString(16).padStart(w, '0');

const VPC = 'vpc-0bench000000000001';
const PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 3389, 11211, 27017];
const WORLD = ['0.0.0.0/0', '198.51.100.0/24', '203.0.113.0/24', '192.0.2.0/25', '10.0.0.0/8'];

/** Generates the combined export document. */
export function generateAccount() {
  const groups = Array.from({ length: G }, (_, i) => ({ GroupId: `sg-${hex(i)}`, GroupName: `g${i}`, Description: 'bench', OwnerId: '123456789012', VpcId: VPC, IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }] }));
  for (let k = 0; k < R; k++) {
    const g = groups[k % G];
    const port = pick(PORTS);
    const kind = rand();
    const perm = { IpProtocol: rand() < 0.9 ? 'tcp' : 'udp', FromPort: port, ToPort: rand() < 0.1 ? port + Math.floor(rand() * 100) : port, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
    if (kind < 0.6) perm.IpRanges.push({ CidrIp: pick(WORLD) });
    else if (kind < 0.75) perm.Ipv6Ranges.push({ CidrIpv6: pick(['::/0', '2001:db8::/32']) });
    else if (kind < 0.85) perm.PrefixListIds.push({ PrefixListId: `pl-${hex(Math.floor(rand() * 50), 8)}` });
    else perm.UserIdGroupPairs.push({ GroupId: `sg-${hex(Math.floor(rand() * G))}`, UserId: '123456789012' });
    g.IpPermissions.push(perm);
  }
  const subnets = Array.from({ length: A }, (_, i) => ({ SubnetId: `subnet-${hex(i)}`, VpcId: VPC, CidrBlock: `10.${(i >> 8) & 255}.${i & 255}.0/24`, Ipv6CidrBlockAssociationSet: [] }));
  const acls = Array.from({ length: A }, (_, i) => {
    const entries = [];
    for (let n = 1; n <= 20; n++) {
      const egress = n > 14;
      const action = rand() < 0.2 ? 'deny' : 'allow';
      const from = pick([22, 80, 443, 1024, 32768, 3306, 6379]);
      entries.push({ RuleNumber: n * 10, Egress: egress, RuleAction: action, Protocol: '6', CidrBlock: pick(WORLD), PortRange: { From: from, To: from >= 1024 ? 65535 : from } });
    }
    entries.push({ RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' }, { RuleNumber: 32767, Egress: true, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' });
    return { NetworkAclId: `acl-${hex(i)}`, VpcId: VPC, IsDefault: i === 0, Associations: [{ SubnetId: subnets[i].SubnetId, NetworkAclId: `acl-${hex(i)}` }], Entries: entries };
  });
  const tables = Array.from({ length: 100 }, (_, i) => ({
    RouteTableId: `rtb-${hex(i)}`, VpcId: VPC,
    Associations: [...(i === 0 ? [{ Main: true }] : []), ...subnets.filter((_, k) => k % 100 === i && i !== 0).map((s) => ({ Main: false, SubnetId: s.SubnetId }))],
    Routes: [{ DestinationCidrBlock: '10.0.0.0/8', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: i % 2 ? 'igw-0bench000000000001' : 'nat-0bench000000000001', State: 'active' }, { DestinationCidrBlock: '203.0.113.0/24', GatewayId: 'vgw-0bench000000000001', State: 'active' }],
  }));
  const enis = Array.from({ length: E }, (_, i) => {
    const subnet = subnets[i % A];
    const ip = `10.${(i % A >> 8) & 255}.${i % A & 255}.${10 + Math.floor(i / A)}`;
    const groupIds = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `sg-${hex(Math.floor(rand() * G))}`))];
    return { NetworkInterfaceId: `eni-${hex(i)}`, SubnetId: subnet.SubnetId, VpcId: VPC, InterfaceType: 'interface', Groups: groupIds.map((g) => ({ GroupId: g, GroupName: g })), PrivateIpAddress: ip, PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }], Ipv6Addresses: [], ...(rand() < 0.5 ? { Association: { PublicIp: `198.18.${(i >> 8) & 255}.${i & 255}` } } : {}), Attachment: { InstanceId: `i-${hex(i)}`, DeviceIndex: 0 } };
  });
  const instances = enis.map((e) => ({ InstanceId: e.Attachment.InstanceId, State: { Name: 'running' }, SubnetId: e.SubnetId, VpcId: VPC, PrivateIpAddress: e.PrivateIpAddress, NetworkInterfaces: [{ NetworkInterfaceId: e.NetworkInterfaceId }], Tags: [] }));
  const prefixLists = Array.from({ length: 50 }, (_, i) => ({ PrefixListId: `pl-${hex(i, 8)}`, AddressFamily: 'IPv4', PrefixListName: `pl${i}` }));
  const entries = Object.fromEntries(prefixLists.map((p, i) => [p.PrefixListId, [{ Cidr: `198.51.100.${(i * 4) % 256}/30` }, { Cidr: `192.0.2.${(i * 2) % 256}/31` }]]));
  return {
    SecurityGroups: groups, NetworkAcls: acls, RouteTables: tables, Subnets: subnets,
    Reservations: [{ Instances: instances }], NetworkInterfaces: enis,
    InternetGateways: [{ InternetGatewayId: 'igw-0bench000000000001', Attachments: [{ VpcId: VPC, State: 'available' }] }],
    PrefixLists: prefixLists, PrefixListEntries: entries,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, `aws-account-${G}.json`);
  writeFileSync(file, JSON.stringify(generateAccount()));
  const size = statSync(file).size;
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, join(ROOT, 'dist/cli/bin.js'), 'audit', '--aws', file, '--format', 'json', '--out', join(values.out, 'aws-audit.json'), '--fail-on', 'none'], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const [user, sys, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  console.log(`| account | export size | \`audit --aws --format json\`, end to end (wall) | CPU (user + sys) | peak RSS | cores, load |`);
  console.log(`|---|---|---|---|---|---|`);
  console.log(`| ${G} groups, ${R} rules, ${A} ACLs (${A * 22} entries), ${E} interfaces | ${(size / 1e6).toFixed(1)} MB | ${seconds.toFixed(2)} s | ${(user + sys).toFixed(2)} s | ${(rssKb / 1024).toFixed(0)} MB | ${cpus().length}, ${loadavg()[0].toFixed(1)} |`);
}
