/**
 * Matches that read host facts rather than the packet alone: `-m addrtype` (which
 * addresses are local, broadcast…); `-m set` lives in ipset-match.ts. Both come from the
 * HostContext; when it lacks them the condition is left open and flagged 'missing-data'.
 *
 * @module
 */
import { type AddrSet, blockSet } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, dimDomain } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { LowerEnv } from './lower-env.js';

type Open = { name: string; kind: Uncertainty['kind']; detail: string; bad?: false } | { bad: true };

const MULTICAST = { ipv4: blockSet('ipv4', ['multicast']), ipv6: blockSet('ipv6', ['multicast']) };
const ROUTE_TYPES = new Set(['UNSPEC', 'ANYCAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE']);

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
