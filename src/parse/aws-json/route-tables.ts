/**
 * `aws ec2 describe-route-tables` → route tables with their routes and associations.
 *
 * @module
 */
import { parseCidr } from '../../model/addr.js';
import type { Route, RouteTable } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';

/** Route target fields, in the order the API documents them. */
const TARGET_KEYS = ['GatewayId', 'EgressOnlyInternetGatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'InstanceId', 'LocalGatewayId', 'CarrierGatewayId', 'CoreNetworkArn'];

export function readRouteTables(r: JsonReader, doc: JsonObject, base: string): RouteTable[] {
  const out: RouteTable[] = [];
  r.array(doc, 'RouteTables', base).forEach((t, i) => {
    const path = `${base}.RouteTables[${i}]`;
    const o = r.object(t, path);
    if (!o) return;
    const id = r.string(o, 'RouteTableId', path);
    const vpcId = r.string(o, 'VpcId', path);
    if (!id || !vpcId) return;
    const table: RouteTable = { id, vpcId, main: false, subnetIds: [], routes: [], origin: { file: r.file, path } };
    r.array(o, 'Associations', path).forEach((x, k) => {
      const at = `${path}.Associations[${k}]`;
      const e = r.object(x, at);
      if (!e) return;
      const state = (e['AssociationState'] as JsonObject | undefined)?.['State'];
      if (state !== undefined && state !== 'associated') return;
      if (r.boolean(e, 'Main', at, false)) table.main = true;
      const subnet = r.optionalString(e, 'SubnetId', at);
      if (subnet) table.subnetIds.push(subnet);
    });
    r.array(o, 'Routes', path).forEach((x, k) => {
      const route = readRoute(r, x, `${path}.Routes[${k}]`);
      if (route) table.routes.push(route);
    });
    out.push(table);
  });
  return out;
}

function readRoute(r: JsonReader, x: unknown, path: string): Route | null {
  const o = r.object(x, path);
  if (!o) return null;
  let destination: Route['destination'] | null = null;
  for (const key of ['DestinationCidrBlock', 'DestinationIpv6CidrBlock']) {
    const text = r.optionalString(o, key, path);
    if (text === null) continue;
    const cidr = parseCidr(text);
    if (!cidr) {
      r.error(`${path}.${key}`, 'not a CIDR', 'e.g. "0.0.0.0/0"', text);
      return null;
    }
    destination = { kind: 'cidr', family: cidr.family, cidr: text };
  }
  const pl = r.optionalString(o, 'DestinationPrefixListId', path);
  if (!destination && pl) destination = { kind: 'prefix-list', id: pl };
  if (!destination) {
    r.error(path, 'route without a destination', 'DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId', o);
    return null;
  }
  const key = TARGET_KEYS.find((k) => typeof o[k] === 'string' && o[k] !== '');
  if (!key) {
    r.error(path, 'route without a target', TARGET_KEYS.join(', '), o);
    return null;
  }
  return { destination, target: o[key] as string, state: o['State'] === 'blackhole' ? 'blackhole' : 'active', origin: { file: r.file, path } };
}
