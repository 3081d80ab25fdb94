/**
 * The cloud layer: an AWS network → per instance, exactly what the internet can open a
 * connection to (security groups, network ACLs both ways, routes, public addresses), and
 * the sets that narrow a joined host snapshot's own verdicts. See README.md here.
 *
 * @module
 */
import { type Family, toCidrs } from '../../model/addr.js';
import type { AwsNetwork } from '../../model/aws-network.js';
import type { NetworkInterface } from '../../model/aws-network.js';
import { type PortSegment, exposureEntries, portSegments } from './exposure-list.js';
import { type CloudPathOptions, DEFAULT_CLIENT_PORTS, type InterfacePath, interfacePath } from './interface-path.js';
import { NetworkIndex } from './network-index.js';
import type { CloudHostFacts, InternetExposure, ReturnBlocked } from './types.js';

export type * from './types.js';
export { DEFAULT_CLIENT_PORTS, type CloudPathOptions } from './interface-path.js';
export { joinHost, cloudOnlyHost, matchInstance } from './join-host.js';

export interface CloudHost {
  facts: CloudHostFacts;
  internet: InternetExposure[];
  /** The exact per-interface sets, for joining with a host snapshot. */
  paths: InterfacePath[];
}

export interface CloudAnalysisOptions extends Partial<CloudPathOptions> {
}

/** Every instance of the network (terminated ones are left out: they have no interface). */
export function analyzeAwsNetwork(net: AwsNetwork, options: CloudAnalysisOptions = {}): CloudHost[] {
  const index = new NetworkIndex(net, net.calls.includes('NetworkInterfaces'));
  const pathOptions: CloudPathOptions = { clientPorts: options.clientPorts ?? DEFAULT_CLIENT_PORTS };
  const out: CloudHost[] = [];
  for (const inst of net.instances) {
    if (inst.state === 'terminated') continue;
    const notes = new Set<string>();
    const enis = inst.interfaceIds.map((id) => index.interfaces.get(id)).filter((e): e is NetworkInterface => e !== undefined);
    const paths = enis.map((e) => interfacePath(index, e, pathOptions, notes));
    const segments = portSegments(paths, (p, f) => p.families[f].admittedInternet);
    const blocked = portSegments(paths, (p, f) => p.families[f].returnBlocked).map((s) => returnBlocked(s));
    if (blocked.length > 0) notes.add(`client ports assumed ${pathOptions.clientPorts.from}-${pathOptions.clientPorts.to} for return traffic through network ACLs`);
    out.push({
      facts: {
        provider: 'aws',
        instanceId: inst.id,
        name: inst.name,
        state: inst.state,
        interfaces: paths.map((p) => ({
          id: p.eni.id,
          subnetId: p.eni.subnetId,
          privateIps: p.eni.privateIps,
          publicIps: p.eni.publicIps,
          ipv6: p.eni.ipv6,
          securityGroups: p.eni.groupIds,
          networkAcl: p.acl?.id ?? null,
          routeTable: p.table?.id ?? null,
        })),
        returnBlocked: blocked,
        assumptions: [...notes].sort(),
        joined: null,
      },
      internet: exposureEntries(segments),
      paths,
    });
  }
  return out;
}

function returnBlocked(seg: PortSegment): ReturnBlocked {
  const acls = [...new Set(seg.parts.map((p) => p.iface.acl?.id ?? '?'))];
  const cidrs = (f: Family) => toCidrs(seg.sources[f], f);
  return { proto: seg.proto, fromPort: seg.fromPort, toPort: seg.toPort, sources: { ipv4: cidrs('ipv4'), ipv6: cidrs('ipv6') }, networkAcl: acls.join(', ') };
}
