/**
 * `aws ec2 describe-security-groups` → security groups. Each IpPermissions element may
 * carry several peers (IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs): one rule
 * per peer, all pointing back at the element's JSON path.
 *
 * @module
 */
import { parseCidr } from '../../model/addr.js';
import type { AwsProtocol, SecurityGroup, SgPeer, SgRule } from '../../model/aws-network.js';
import { protocolNumber } from '../../model/protocols.js';
import type { JsonObject, JsonReader } from './json-reader.js';

/** "tcp", "udp", "icmp", "icmpv6", "-1" or a protocol number, as the API returns IpProtocol. */
export function readProtocol(r: JsonReader, o: JsonObject, key: string, path: string): AwsProtocol | null {
  const raw = o[key];
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string') {
    r.error(`${path}.${key}`, `${key} is missing`, '"tcp", "udp", "icmp", "icmpv6", "-1" or a protocol number', raw);
    return null;
  }
  if (text === '-1' || text.toLowerCase() === 'all') return 'all';
  const n = protocolNumber(text);
  if (n === null) r.error(`${path}.${key}`, `unknown protocol`, '"tcp", "udp", "icmp", "icmpv6", "-1" or a number 0-255', text);
  return n;
}

export function readSecurityGroups(r: JsonReader, doc: JsonObject, base: string): SecurityGroup[] {
  const out: SecurityGroup[] = [];
  // Accounts repeat the same few CIDR texts across tens of thousands of rules: parse each once.
  const families = new Map<string, string | null>();
  const familyOf = (text: string) => {
    if (!families.has(text)) families.set(text, parseCidr(text)?.family ?? null);
    return families.get(text)!;
  };
  r.array(doc, 'SecurityGroups', base).forEach((g, i) => {
    const path = `${base}.SecurityGroups[${i}]`;
    const o = r.object(g, path);
    if (!o) return;
    const id = r.string(o, 'GroupId', path);
    if (!id) return;
    const group: SecurityGroup = { id, name: r.optionalString(o, 'GroupName', path) ?? id, vpcId: r.optionalString(o, 'VpcId', path), rules: [], origin: { file: r.file, path } };
    for (const [key, direction] of [['IpPermissions', 'ingress'], ['IpPermissionsEgress', 'egress']] as const) {
      r.array(o, key, path).forEach((p, j) => group.rules.push(...readPermission(r, p, `${path}.${key}[${j}]`, id, direction, familyOf)));
    }
    out.push(group);
  });
  return out;
}

function readPermission(r: JsonReader, p: unknown, path: string, groupId: string, direction: SgRule['direction'], familyOf: (cidr: string) => string | null): SgRule[] {
  const o = r.object(p, path);
  if (!o) return [];
  const protocol = readProtocol(r, o, 'IpProtocol', path);
  if (protocol === null) return [];
  const fromPort = r.optionalInteger(o, 'FromPort', path, -1, 65535);
  const toPort = r.optionalInteger(o, 'ToPort', path, -1, 65535);
  const peers: { peer: SgPeer; description: string | null; at: string }[] = [];
  const cidrs = (key: string, field: string, family: 'ipv4' | 'ipv6') =>
    r.array(o, key, path).forEach((x, k) => {
      const at = `${path}.${key}[${k}]`;
      const e = r.object(x, at);
      const text = e && r.string(e, field, at);
      if (!e || !text) return;
      if (familyOf(text) !== family) return r.error(`${at}.${field}`, `not an ${family} CIDR`, family === 'ipv4' ? 'e.g. "203.0.113.0/24"' : 'e.g. "2001:db8::/32"', text);
      peers.push({ peer: { kind: 'cidr', family, cidr: text }, description: r.optionalString(e, 'Description', at), at });
    });
  cidrs('IpRanges', 'CidrIp', 'ipv4');
  cidrs('Ipv6Ranges', 'CidrIpv6', 'ipv6');
  r.array(o, 'PrefixListIds', path).forEach((x, k) => {
    const at = `${path}.PrefixListIds[${k}]`;
    const e = r.object(x, at);
    const id = e && r.string(e, 'PrefixListId', at);
    if (e && id) peers.push({ peer: { kind: 'prefix-list', id }, description: r.optionalString(e, 'Description', at), at });
  });
  r.array(o, 'UserIdGroupPairs', path).forEach((x, k) => {
    const at = `${path}.UserIdGroupPairs[${k}]`;
    const e = r.object(x, at);
    const id = e && r.string(e, 'GroupId', at);
    if (e && id) peers.push({ peer: { kind: 'group', groupId: id, userId: r.optionalString(e, 'UserId', at) }, description: r.optionalString(e, 'Description', at), at });
  });
  return peers.map(({ peer, description, at }) => ({ groupId, direction, protocol, fromPort, toPort, peer, description, origin: { file: r.file, path: at } }));
}
