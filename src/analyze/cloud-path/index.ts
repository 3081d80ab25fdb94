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
import { loadBalancerExposures } from './load-balancer-path.js';
import { NetworkIndex } from './network-index.js';
import type { CloudHostFacts, InternetExposure, OpenGroupRule, ReturnBlocked, WideAclRule } from './types.js';
import { TCP, UDP, protocolText } from './rule-sets.js';

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
  const pathsByEni = new Map<string, { instanceId: string; path: InterfacePath }>();
  for (const inst of net.instances) {
    if (inst.state === 'terminated') continue;
    const notes = new Set<string>();
    const enis = inst.interfaceIds.map((id) => index.interfaces.get(id)).filter((e): e is NetworkInterface => e !== undefined);
    const paths = enis.map((e) => interfacePath(index, e, pathOptions, notes));
    for (const p of paths) pathsByEni.set(p.eni.id, { instanceId: inst.id, path: p });
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
        wideAclRules: wideAclRules(paths),
        openGroupRules: openGroupRules(index, paths),
        assumptions: [...notes].sort(),
        joined: null,
      },
      internet: exposureEntries(segments),
      paths,
    });
  }
  if (net.loadBalancers.length > 0) addLoadBalancers(index, out, pathsByEni, pathOptions);
  return out;
}

/** Balancer entries onto the instances they forward to; the balancer's assumptions onto each such instance. */
function addLoadBalancers(index: NetworkIndex, hosts: CloudHost[], pathsByEni: Map<string, { instanceId: string; path: InterfacePath }>, options: CloudPathOptions): void {
  const byInstance = new Map(hosts.map((h) => [h.facts.instanceId, h]));
  const found = loadBalancerExposures(
    index,
    (target, tg) => {
      if (tg.targetType === 'instance') {
        // The balancer sends to the instance's primary interface.
        const primary = byInstance.get(target.id)?.paths[0];
        return primary ? { instanceId: target.id, path: primary } : null;
      }
      if (tg.targetType !== 'ip') return null;
      for (const ref of pathsByEni.values()) if (ref.path.eni.privateIps.includes(target.id)) return ref;
      return null;
    },
    options,
  );
  for (const [instanceId, entries] of found.entries) byInstance.get(instanceId)!.facts.loadBalancers = entries;
  for (const host of hosts) {
    const notes = [...new Set(host.paths.map((p) => p.eni.vpcId))].flatMap((v) => [...(found.notesByVpc.get(v) ?? [])]);
    if (notes.length > 0) host.facts.assumptions = [...new Set([...host.facts.assumptions, ...notes])].sort();
  }
}

function returnBlocked(seg: PortSegment): ReturnBlocked {
  const acls = [...new Set(seg.parts.map((p) => p.iface.acl?.id ?? '?'))];
  const cidrs = (f: Family) => toCidrs(seg.sources[f], f);
  return { proto: seg.proto, fromPort: seg.fromPort, toPort: seg.toPort, sources: { ipv4: cidrs('ipv4'), ipv6: cidrs('ipv6') }, networkAcl: acls.join(', ') };
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/** Inbound ACL rules that admit the client port range (32768-60999 at least in part, 1,000 ports or more) from everywhere, on a path the internet can take. */
function wideAclRules(paths: readonly InterfacePath[]): WideAclRule[] {
  const out = new Map<string, WideAclRule>();
  for (const p of paths) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const fp = p.families[family];
      if (fp.internetSpace.isEmpty()) continue; // no path the internet can take
      for (const d of fp.aclIn) {
        const e = d.entry;
        if (e.action !== 'allow' || !WORLD.has(e.cidr) || !(e.protocol === TCP || e.protocol === UDP || e.protocol === 'all')) continue;
        const from = e.ports && e.protocol !== 'all' ? e.ports.from : 0;
        const to = e.ports && e.protocol !== 'all' ? e.ports.to : 65535;
        if (to - from < 1000 || to < 32768 || from > 60999) continue;
        if (!d.decides.intersects(fp.internetSpace)) continue;
        out.set(`${e.aclId} ${e.ruleNumber} ${family}`, { aclId: e.aclId, ruleNumber: e.ruleNumber, text: d.ref.text, proto: protocolText(e.protocol), fromPort: from, toPort: to, cidr: e.cidr });
      }
    }
  }
  return [...out.values()];
}

/** Security group ingress rules of the interfaces open to 0.0.0.0/0 or ::/0. */
function openGroupRules(index: NetworkIndex, paths: readonly InterfacePath[]): OpenGroupRule[] {
  const out = new Map<string, OpenGroupRule>();
  for (const p of paths) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      // A cheap look at the rules first: the IPv6 matches are computed only when some rule is open to ::/0.
      if (family === 'ipv6' && !p.eni.groupIds.some((g) => index.groups.get(g)?.rules.some((r) => r.direction === 'ingress' && r.peer.kind === 'cidr' && r.peer.cidr === '::/0'))) continue;
      for (const m of p.families[family].securityGroups) {
        const r = m.rule;
        if (!r || r.peer.kind !== 'cidr' || !WORLD.has(r.peer.cidr)) continue;
        const ported = r.protocol === TCP || r.protocol === UDP;
        const from = ported && r.fromPort !== null && r.fromPort !== -1 ? r.fromPort : 0;
        const to = ported && r.toPort !== null && r.fromPort !== -1 ? r.toPort : 65535;
        out.set(`${m.ref.id} ${m.ref.rule} ${r.peer.cidr}`, { ref: m.ref, proto: protocolText(r.protocol), fromPort: from, toPort: to });
      }
    }
  }
  return [...out.values()];
}
