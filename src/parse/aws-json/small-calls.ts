/**
 * The short calls: `describe-subnets`, `describe-internet-gateways`,
 * `describe-managed-prefix-lists` and `get-managed-prefix-list-entries`.
 *
 * @module
 */
import { parseCidr } from '../../model/addr.js';
import type { InternetGateway, PrefixList, Subnet } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';

export function readSubnets(r: JsonReader, doc: JsonObject, base: string): Subnet[] {
  const out: Subnet[] = [];
  r.array(doc, 'Subnets', base).forEach((x, i) => {
    const path = `${base}.Subnets[${i}]`;
    const o = r.object(x, path);
    const id = o && r.string(o, 'SubnetId', path);
    const vpcId = o && r.string(o, 'VpcId', path);
    if (!o || !id || !vpcId) return;
    const cidrs: string[] = [];
    const v4 = r.optionalString(o, 'CidrBlock', path);
    if (v4) cidrs.push(v4);
    r.array(o, 'Ipv6CidrBlockAssociationSet', path).forEach((a, k) => {
      const e = r.object(a, `${path}.Ipv6CidrBlockAssociationSet[${k}]`);
      const text = e && r.optionalString(e, 'Ipv6CidrBlock', `${path}.Ipv6CidrBlockAssociationSet[${k}]`);
      if (text) cidrs.push(text);
    });
    out.push({ id, vpcId, cidrs, origin: { file: r.file, path } });
  });
  return out;
}

export function readInternetGateways(r: JsonReader, doc: JsonObject, base: string): InternetGateway[] {
  const out: InternetGateway[] = [];
  r.array(doc, 'InternetGateways', base).forEach((x, i) => {
    const path = `${base}.InternetGateways[${i}]`;
    const o = r.object(x, path);
    const id = o && r.string(o, 'InternetGatewayId', path);
    if (!o || !id) return;
    const vpcIds = r
      .array(o, 'Attachments', path)
      .map((a) => a as JsonObject)
      .filter((a) => a && typeof a['VpcId'] === 'string' && (a['State'] === undefined || a['State'] === 'available' || a['State'] === 'attached'))
      .map((a) => a['VpcId'] as string);
    out.push({ id, vpcIds, origin: { file: r.file, path } });
  });
  return out;
}

export function readPrefixLists(r: JsonReader, doc: JsonObject, base: string): PrefixList[] {
  const out: PrefixList[] = [];
  r.array(doc, 'PrefixLists', base).forEach((x, i) => {
    const path = `${base}.PrefixLists[${i}]`;
    const o = r.object(x, path);
    const id = o && r.string(o, 'PrefixListId', path);
    if (!o || !id) return;
    const af = r.optionalString(o, 'AddressFamily', path);
    out.push({ id, name: r.optionalString(o, 'PrefixListName', path), family: af === 'IPv4' ? 'ipv4' : af === 'IPv6' ? 'ipv6' : null, entries: null, origin: { file: r.file, path } });
  });
  return out;
}

/** The `Entries` of `get-managed-prefix-list-entries`: CIDR texts. */
export function readPrefixListEntries(r: JsonReader, list: unknown[], base: string): string[] {
  const out: string[] = [];
  list.forEach((x, i) => {
    const path = `${base}[${i}]`;
    const o = r.object(x, path);
    const text = o && r.string(o, 'Cidr', path);
    if (!text) return;
    if (!parseCidr(text)) return r.error(`${path}.Cidr`, 'not a CIDR', 'e.g. "203.0.113.0/24"', text);
    out.push(text);
  });
  return out;
}
