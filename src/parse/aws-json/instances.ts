/**
 * `describe-instances` and `describe-network-interfaces` → instances and their interfaces
 * (an instance's interfaces are listed inline too; the ENI file also holds the interfaces
 * of load balancers, NAT gateways and endpoints).
 *
 * @module
 */
import { parseAddr } from '../../model/addr.js';
import type { Instance, NetworkInterface } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';

export function readInstances(r: JsonReader, doc: JsonObject, base: string): { instances: Instance[]; interfaces: NetworkInterface[] } {
  const instances: Instance[] = [];
  const interfaces: NetworkInterface[] = [];
  r.array(doc, 'Reservations', base).forEach((res, i) => {
    const rpath = `${base}.Reservations[${i}]`;
    const ro = r.object(res, rpath);
    if (!ro) return;
    r.array(ro, 'Instances', rpath).forEach((x, j) => {
      const path = `${rpath}.Instances[${j}]`;
      const o = r.object(x, path);
      const id = o && r.string(o, 'InstanceId', path);
      if (!o || !id) return;
      const name = r.array(o, 'Tags', path).map((t) => t as JsonObject).find((t) => t?.['Key'] === 'Name')?.['Value'];
      const state = ((o['State'] as JsonObject | undefined)?.['Name'] as string | undefined) ?? 'unknown';
      const platform = typeof o['Platform'] === 'string' && o['Platform'].toLowerCase() === 'windows' ? 'windows' : 'linux';
      const enis: string[] = [];
      r.array(o, 'NetworkInterfaces', path).forEach((n, k) => {
        const eni = readInterface(r, n, `${path}.NetworkInterfaces[${k}]`, id, o);
        if (eni) {
          interfaces.push(eni);
          enis.push(eni.id);
        }
      });
      instances.push({ id, name: typeof name === 'string' ? name : null, state, platform, interfaceIds: enis, origin: { file: r.file, path } });
    });
  });
  return { instances, interfaces };
}

export function readNetworkInterfaces(r: JsonReader, doc: JsonObject, base: string): NetworkInterface[] {
  const out: NetworkInterface[] = [];
  r.array(doc, 'NetworkInterfaces', base).forEach((n, i) => {
    const eni = readInterface(r, n, `${base}.NetworkInterfaces[${i}]`, null, null);
    if (eni) out.push(eni);
  });
  return out;
}

function readInterface(r: JsonReader, x: unknown, path: string, instanceId: string | null, instance: JsonObject | null): NetworkInterface | null {
  const o = r.object(x, path);
  if (!o) return null;
  const id = r.string(o, 'NetworkInterfaceId', path);
  // Inline interfaces of describe-instances may leave out SubnetId/VpcId: the instance has them.
  const subnetId = typeof o['SubnetId'] === 'string' ? o['SubnetId'] : instance && typeof instance['SubnetId'] === 'string' ? instance['SubnetId'] : r.string(o, 'SubnetId', path);
  const vpcId = typeof o['VpcId'] === 'string' ? o['VpcId'] : instance && typeof instance['VpcId'] === 'string' ? instance['VpcId'] : r.string(o, 'VpcId', path);
  if (!id || !subnetId || !vpcId) return null;
  const groupIds: string[] = [];
  r.array(o, 'Groups', path).forEach((g, k) => {
    const e = r.object(g, `${path}.Groups[${k}]`);
    const gid = e && r.string(e, 'GroupId', `${path}.Groups[${k}]`);
    if (gid) groupIds.push(gid);
  });
  const privateIps = new Set<string>();
  const publicIps = new Set<string>();
  const addAddr = (value: unknown, at: string, family: 'ipv4' | 'ipv6', into: Set<string>) => {
    if (value === undefined || value === null) return;
    const parsed = typeof value === 'string' ? parseAddr(value) : null;
    if (!parsed || parsed.family !== family) return r.error(at, `not an ${family} address`, family === 'ipv4' ? 'e.g. "192.0.2.10"' : 'e.g. "2001:db8::10"', value);
    into.add(value as string);
  };
  addAddr(o['PrivateIpAddress'], `${path}.PrivateIpAddress`, 'ipv4', privateIps);
  addAddr((o['Association'] as JsonObject | undefined)?.['PublicIp'], `${path}.Association.PublicIp`, 'ipv4', publicIps);
  r.array(o, 'PrivateIpAddresses', path).forEach((p, k) => {
    const at = `${path}.PrivateIpAddresses[${k}]`;
    const e = r.object(p, at);
    if (!e) return;
    addAddr(e['PrivateIpAddress'], `${at}.PrivateIpAddress`, 'ipv4', privateIps);
    addAddr((e['Association'] as JsonObject | undefined)?.['PublicIp'], `${at}.Association.PublicIp`, 'ipv4', publicIps);
  });
  const ipv6 = new Set<string>();
  r.array(o, 'Ipv6Addresses', path).forEach((p, k) => {
    const at = `${path}.Ipv6Addresses[${k}]`;
    const e = r.object(p, at);
    if (e) addAddr(e['Ipv6Address'], `${at}.Ipv6Address`, 'ipv6', ipv6);
  });
  const attached = (o['Attachment'] as JsonObject | undefined)?.['InstanceId'];
  return {
    id,
    subnetId,
    vpcId,
    instanceId: instanceId ?? (typeof attached === 'string' ? attached : null),
    type: typeof o['InterfaceType'] === 'string' ? o['InterfaceType'] : 'interface',
    groupIds,
    privateIps: [...privateIps],
    publicIps: [...publicIps],
    ipv6: [...ipv6],
    description: r.optionalString(o, 'Description', path),
    origin: { file: r.file, path },
  };
}
