/**
 * `aws ec2 describe-network-acls` → network ACLs with their entries (inbound and outbound,
 * in the API's order; analysis sorts by rule number) and subnet associations.
 *
 * @module
 */
import { parseCidr } from '../../model/addr.js';
import type { NaclEntry, NetworkAcl } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';
import { readProtocol } from './security-groups.js';

export function readNetworkAcls(r: JsonReader, doc: JsonObject, base: string): NetworkAcl[] {
  const out: NetworkAcl[] = [];
  r.array(doc, 'NetworkAcls', base).forEach((a, i) => {
    const path = `${base}.NetworkAcls[${i}]`;
    const o = r.object(a, path);
    if (!o) return;
    const id = r.string(o, 'NetworkAclId', path);
    const vpcId = r.string(o, 'VpcId', path);
    if (!id || !vpcId) return;
    const subnetIds: string[] = [];
    r.array(o, 'Associations', path).forEach((x, k) => {
      const e = r.object(x, `${path}.Associations[${k}]`);
      const s = e && r.string(e, 'SubnetId', `${path}.Associations[${k}]`);
      if (s) subnetIds.push(s);
    });
    const entries: NaclEntry[] = [];
    r.array(o, 'Entries', path).forEach((x, k) => {
      const e = readEntry(r, x, `${path}.Entries[${k}]`, id);
      if (e) entries.push(e);
    });
    out.push({ id, vpcId, isDefault: r.boolean(o, 'IsDefault', path, false), subnetIds, entries, origin: { file: r.file, path } });
  });
  return out;
}

function readEntry(r: JsonReader, x: unknown, path: string, aclId: string): NaclEntry | null {
  const o = r.object(x, path);
  if (!o) return null;
  // 32767 is the `*` rule: the API returns it with the others.
  const ruleNumber = r.integer(o, 'RuleNumber', path, 1, 32767);
  const protocol = readProtocol(r, o, 'Protocol', path);
  const action = o['RuleAction'];
  if (action !== 'allow' && action !== 'deny') r.error(`${path}.RuleAction`, 'RuleAction is not allow or deny', '"allow" or "deny"', action);
  const text = typeof o['CidrBlock'] === 'string' ? o['CidrBlock'] : typeof o['Ipv6CidrBlock'] === 'string' ? o['Ipv6CidrBlock'] : null;
  const key = typeof o['CidrBlock'] === 'string' ? 'CidrBlock' : 'Ipv6CidrBlock';
  const cidr = text === null ? null : parseCidr(text);
  if (!cidr) r.error(`${path}.${key}`, text === null ? 'CidrBlock and Ipv6CidrBlock are both missing' : 'not a CIDR', 'e.g. "0.0.0.0/0" or "::/0"', text ?? undefined);
  let ports: NaclEntry['ports'] = null;
  if (o['PortRange'] !== undefined && o['PortRange'] !== null) {
    const p = r.object(o['PortRange'], `${path}.PortRange`);
    const from = p && r.integer(p, 'From', `${path}.PortRange`, 0, 65535);
    const to = p && r.integer(p, 'To', `${path}.PortRange`, 0, 65535);
    if (from !== null && to !== null && from !== undefined && to !== undefined) ports = { from, to };
  }
  let icmp: NaclEntry['icmp'] = null;
  if (o['IcmpTypeCode'] !== undefined && o['IcmpTypeCode'] !== null) {
    const p = r.object(o['IcmpTypeCode'], `${path}.IcmpTypeCode`);
    const type = p && r.integer(p, 'Type', `${path}.IcmpTypeCode`, -1, 255);
    const code = p && r.integer(p, 'Code', `${path}.IcmpTypeCode`, -1, 255);
    if (type !== null && code !== null && type !== undefined && code !== undefined) icmp = { type, code };
  }
  if (ruleNumber === null || protocol === null || (action !== 'allow' && action !== 'deny') || !cidr || text === null) return null;
  return { aclId, ruleNumber, egress: r.boolean(o, 'Egress', path, false), action, protocol, family: cidr.family, cidr: text, ports, icmp, origin: { file: r.file, path } };
}
