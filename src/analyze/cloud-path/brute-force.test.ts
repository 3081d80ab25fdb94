/**
 * The exact sets against a packet-at-a-time reading of AWS's documented semantics, written
 * apart (no packet sets): random flows, many drawn at rule boundaries, must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsFiles } from '../../../test/cloud/load-aws.js';
import { type Family, parseAddr, parseCidr } from '../../model/addr.js';
import type { AwsNetwork, NaclEntry, NetworkInterface, SgRule } from '../../model/aws-network.js';
import * as I from '../../model/interval-set.js';
import { parseAwsExport } from '../../parse/aws-json/index.js';
import { analyzeAwsNetwork } from './index.js';

interface Flow {
  family: Family;
  src: number | bigint;
  proto: number;
  sport: number;
  dport: number; // ICMP: type << 8 | code
}

function inCidr(text: string, family: Family, a: number | bigint): boolean {
  const c = parseCidr(text);
  if (!c || c.family !== family) return false;
  const bits = family === 'ipv4' ? 32 : 128;
  if (family === 'ipv4') {
    const size = 2 ** (bits - c.prefixLength);
    return (a as number) >= (c.base as number) && (a as number) < (c.base as number) + size;
  }
  const size = 1n << BigInt(bits - c.prefixLength);
  return (a as bigint) >= (c.base as bigint) && (a as bigint) < (c.base as bigint) + size;
}

function sgAdmits(net: AwsNetwork, eni: NetworkInterface, f: Flow): boolean {
  const icmp = f.family === 'ipv4' ? 1 : 58;
  const matches = (r: SgRule): boolean => {
    if (r.direction !== 'ingress') return false;
    if (r.protocol !== 'all' && r.protocol !== f.proto) return false;
    if ((r.protocol === 6 || r.protocol === 17) && r.fromPort !== null && r.fromPort !== -1 && (f.dport < r.fromPort || f.dport > r.toPort!)) return false;
    if (r.protocol === icmp && r.fromPort !== null && r.fromPort !== -1) {
      if (f.dport >> 8 !== r.fromPort) return false;
      if (r.toPort !== null && r.toPort !== -1 && (f.dport & 255) !== r.toPort) return false;
    }
    const p = r.peer;
    if (p.kind === 'cidr') return inCidr(p.cidr, f.family, f.src);
    if (p.kind === 'prefix-list') return (net.prefixLists.find((x) => x.id === p.id)?.entries ?? []).some((c) => inCidr(c, f.family, f.src));
    return net.interfaces.filter((e) => e.groupIds.includes(p.groupId)).some((e) => [...e.privateIps, ...e.ipv6].some((a) => parseAddr(a)?.value === f.src));
  };
  return eni.groupIds.some((g) => net.securityGroups.find((x) => x.id === g)!.rules.some(matches));
}

function aclFirst(entries: readonly NaclEntry[], egress: boolean, f: Flow, port: number): boolean {
  const icmp = f.family === 'ipv4' ? 1 : 58;
  const list = entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const e of list) {
    if (!inCidr(e.cidr, f.family, f.src)) continue;
    if (e.protocol !== 'all' && e.protocol !== f.proto) continue;
    if ((e.protocol === 6 || e.protocol === 17) && e.ports && (port < e.ports.from || port > e.ports.to)) continue;
    if (e.protocol === icmp && e.icmp && !egress) {
      if (e.icmp.type !== -1 && f.dport >> 8 !== e.icmp.type) continue;
      if (e.icmp.code !== -1 && (f.dport & 255) !== e.icmp.code) continue;
    }
    return e.action === 'allow';
  }
  return false;
}

/** A new connection from the internet opens: route back via an igw-, public address, NACL both ways, SG. */
function naive(net: AwsNetwork, eni: NetworkInterface, f: Flow, client: { from: number; to: number }): boolean {
  const ported = f.proto === 6 || f.proto === 17;
  if (ported && (f.sport < client.from || f.sport > client.to)) return false;
  if (f.family === 'ipv4' ? eni.publicIps.length === 0 : eni.ipv6.length === 0) return false;
  const table = net.routeTables.find((t) => t.subnetIds.includes(eni.subnetId)) ?? net.routeTables.find((t) => t.main && t.vpcId === eni.vpcId)!;
  let best = -1;
  let target = '';
  for (const r of table.routes) {
    if (r.destination.kind !== 'cidr' || !inCidr(r.destination.cidr, f.family, f.src)) continue;
    const len = parseCidr(r.destination.cidr)!.prefixLength;
    if (len > best) (best = len), (target = r.state === 'blackhole' ? '' : r.target);
  }
  if (!target.startsWith('igw-')) return false;
  const acl = net.networkAcls.find((a) => a.subnetIds.includes(eni.subnetId))!;
  if (!aclFirst(acl.entries, false, f, f.dport)) return false;
  if (ported && !aclFirst(acl.entries, true, f, f.sport)) return false;
  return sgAdmits(net, eni, f);
}

const V4_EDGES = ['0.0.0.0', '9.255.255.255', '10.0.0.0', '10.0.255.255', '10.1.0.0', '192.0.2.127', '192.0.2.128', '192.0.2.255', '198.18.0.0', '198.18.0.255', '198.18.1.0', '198.51.99.255', '198.51.100.0', '198.51.100.255', '198.51.101.0', '203.0.112.255', '203.0.113.0', '203.0.113.255', '203.0.114.0', '255.255.255.255'];
const V6_EDGES = ['::', '2001:db8:1234:19ff:ffff:ffff:ffff:ffff', '2001:db8:1234:1a00::', '2001:db8:1234:1aff:ffff:ffff:ffff:ffff', '2001:db8:1234:1b00::', 'ffff::1'];
const PORT_EDGES = [0, 1, 21, 22, 23, 442, 443, 444, 1023, 1024, 3389, 6379, 8080, 32767, 32768, 60999, 65535];

describe('exact cloud path = packet-at-a-time AWS semantics', () => {
  const net = parseAwsExport(awsFiles('web-vpc')).value;
  for (const client of [{ from: 1024, to: 65535 }, { from: 32768, to: 60999 }, { from: 1024, to: 32767 }]) {
    it(`client ports ${client.from}-${client.to}`, () => {
      const hosts = analyzeAwsNetwork(net, { clientPorts: client });
      const paths = hosts.flatMap((h) => h.paths);
      const flow = fc.oneof(
        fc.record({
          family: fc.constant<Family>('ipv4'),
          src: fc.oneof(fc.constantFrom(...V4_EDGES).map((a) => parseAddr(a)!.value), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
          proto: fc.constantFrom(6, 17, 1, 47),
          sport: fc.oneof(fc.constantFrom(...PORT_EDGES), fc.integer({ min: 0, max: 65535 })),
          dport: fc.oneof(fc.constantFrom(...PORT_EDGES, 8 << 8, (8 << 8) | 3, 0), fc.integer({ min: 0, max: 65535 })),
        }),
        fc.record({
          family: fc.constant<Family>('ipv6'),
          src: fc.oneof(fc.constantFrom(...V6_EDGES).map((a) => parseAddr(a)!.value), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })),
          proto: fc.constantFrom(6, 17, 58),
          sport: fc.oneof(fc.constantFrom(...PORT_EDGES), fc.integer({ min: 0, max: 65535 })),
          dport: fc.oneof(fc.constantFrom(...PORT_EDGES), fc.integer({ min: 0, max: 65535 })),
        }),
      );
      fc.assert(
        fc.property(fc.constantFrom(...paths), flow, (p, f) => {
          const set = p.families[f.family].admittedInternet;
          const member = set.cubes.some((c) => I.contains(c[0]!, f.src) && I.contains(c[2]!, f.proto) && I.contains(c[3]!, f.sport) && I.contains(c[4]!, f.dport));
          expect(member).toBe(naive(net, p.eni, f as Flow, client));
        }),
        { numRuns: 3000 },
      );
    });
  }
});
