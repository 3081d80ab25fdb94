/**
 * Matches that read host facts rather than the packet alone: `-m addrtype` (which
 * addresses are local, broadcast…) and `-m set` (ipset members). Both come from the
 * HostContext; when it lacks them the condition is left open and flagged 'missing-data'.
 *
 * @module
 */
import { type AddrSet, blockSet } from '../../model/addr.js';
import type { IpSet, IpSetComponent } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, dimDomain, ifaceSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { LowerEnv } from './lower-env.js';

type Open = { name: string; kind: Uncertainty['kind']; detail: string; bad?: false } | { bad: true };

const MULTICAST = { ipv4: blockSet('ipv4', ['multicast']), ipv6: blockSet('ipv6', ['multicast']) };
const ROUTE_TYPES = new Set(['UNSPEC', 'ANYCAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE']);
/** Protocols whose ports an ipset port component without a protocol matches. */
const PORTED = I.fromPoints([6, 17, 33, 132, 136]);

/** Addresses of the given route types (`--dst-type LOCAL,BROADCAST`): their union. */
export function addrTypeSet(types: readonly string[], env: LowerEnv): { set: DimSet } | Open {
  const { family, context } = env;
  let acc: AddrSet = [];
  for (const raw of types) {
    const t = raw.toUpperCase();
    let part: AddrSet | null;
    if (t === 'LOCAL') part = context.localAddrs[family];
    else if (t === 'BROADCAST') part = family === 'ipv6' ? [] : context.broadcastAddrs;
    else if (t === 'MULTICAST') part = MULTICAST[family];
    else if (t === 'UNICAST') {
      const local = context.localAddrs[family];
      const bcast = family === 'ipv6' ? [] : context.broadcastAddrs;
      part = local && bcast ? (I.complement(union(union(local, bcast), MULTICAST[family]) as DimSet, dimDomain(family, Dim.Dst)) as AddrSet) : null;
    } else if (ROUTE_TYPES.has(t)) {
      return { name: `-m addrtype ${t}`, kind: 'unmodelled', detail: `route type ${t} depends on the routing table` };
    } else return { bad: true };
    if (part === null) {
      return { name: `-m addrtype ${t}`, kind: 'missing-data', detail: `the snapshot lacks the host's ${t === 'BROADCAST' ? 'broadcast' : 'local'} addresses` };
    }
    acc = union(acc, part);
  }
  return { set: acc as DimSet };
}

function union(a: AddrSet, b: AddrSet): AddrSet {
  return I.union(a as I.IntervalSet<number>, b as I.IntervalSet<number>);
}

/**
 * `--match-set NAME src,dst`: the packets whose components (in the set type's order, each
 * read from the source or destination side as the flags say) form an entry of the set.
 */
export function ipsetMatch(name: string, flags: readonly string[], env: LowerEnv): { set: PacketSet } | Exclude<Open, { bad: true }> {
  const label = `-m set --match-set ${name}`;
  const set: IpSet | undefined = env.context.ipsets.get(name);
  if (!set) return { name: label, kind: 'missing-data', detail: `members of ipset ${name} are not in the snapshot` };
  if (set.partial) return { name: label, kind: 'missing-data', detail: `ipset ${name} (${set.type}) has entries or a type we do not model exactly` };
  if (set.family !== null && set.family !== env.family) {
    return { name: label, kind: 'missing-data', detail: `ipset ${name} is ${set.family}, the rule ${env.family}` };
  }
  const sides: boolean[] = []; // true = source side
  for (const f of flags) {
    const lower = f.toLowerCase();
    if (lower !== 'src' && lower !== 'dst') return { name: label, kind: 'unknown', detail: `direction flag "${f}"` };
    sides.push(lower === 'src');
  }
  // Merge entries that differ only in their first address component, keeping one cube each.
  const cubes = new Map<string, DimSet[]>();
  for (const entry of set.entries) {
    if (entry.length > sides.length) return { name: label, kind: 'unknown', detail: `ipset ${name} has ${entry.length} dimensions, the rule gives ${sides.length} directions` };
    const cube = env.full.slice();
    let key = '';
    let addrDim = -1;
    for (let k = 0; k < entry.length; k++) {
      const r = component(entry[k]!, sides[k]!, cube);
      if (r === 'mark') return { name: label, kind: 'unmodelled', detail: `ipset ${name} matches packet marks` };
      if (r !== null && addrDim < 0) addrDim = r;
      else key += `${k}:${JSON.stringify(entry[k], (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}|`;
    }
    key += `@${addrDim}`;
    const prev = cubes.get(key);
    if (!prev) cubes.set(key, cube);
    else if (addrDim >= 0) prev[addrDim] = I.union(prev[addrDim]!, cube[addrDim]!);
  }
  return { set: PacketSet.fromCubes(env.family, [...cubes.values()]) };
}

/** Put one component into the cube; returns the address dimension it set, or null. */
function component(c: IpSetComponent, src: boolean, cube: DimSet[]): number | null | 'mark' {
  switch (c.kind) {
    case 'addr': {
      const d = src ? Dim.Src : Dim.Dst;
      cube[d] = c.set as DimSet;
      return d;
    }
    case 'port': {
      const proto = c.proto === null ? PORTED : I.range(c.proto, c.proto + 1);
      cube[Dim.Proto] = I.intersect(cube[Dim.Proto]!, proto);
      cube[src ? Dim.Sport : Dim.Dport] = c.ports;
      return null;
    }
    case 'iface':
      cube[src ? Dim.Iif : Dim.Oif] = ifaceSet([c.name]);
      return null;
    case 'mark':
      return 'mark';
  }
}
