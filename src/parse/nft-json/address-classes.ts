/**
 * `fib daddr type` and `meta pkttype` as destination-address sets, from the host context.
 *
 * @module
 */
import { type AddrSet, type Family, blockSet } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { IntervalSet, Ordinal } from '../../model/interval-set.js';
import { Dim, type DimSet, dimDomain } from '../../model/packet-set.js';
import type { MatchEnv, Unsure } from './cond.js';
import { FIB_TYPES, PKT_TYPES } from './symbols.js';

const MULTICAST: Record<Family, AddrSet> = { ipv4: blockSet('ipv4', ['multicast']), ipv6: blockSet('ipv6', ['multicast']) };

/**
 * `fib daddr type` and `meta pkttype` as destination-address sets. local, broadcast,
 * multicast and unicast (everything else) partition the address space; other route types
 * (blackhole, prohibit, …) depend on the routing table and are not modelled.
 */
export function addressClasses(env: MatchEnv, kind: 'pkttype' | 'fib-type', values: IntervalSet<number>, unsure: Unsure): DimSet | null {
  const f = env.family;
  const dom = dimDomain(f, Dim.Dst);
  const table = kind === 'fib-type' ? FIB_TYPES : PKT_TYPES;
  const modelled = kind === 'fib-type' ? [FIB_TYPES['unicast']!, FIB_TYPES['local']!, FIB_TYPES['broadcast']!, FIB_TYPES['multicast']!] : [0, 1, 2];
  // Which of the modelled classes are in or out; anything else named is not decidable.
  const inSet = (n: number): boolean => I.contains(values, n);
  const members = modelled.filter(inSet);
  const unmodelledNamed = Object.entries(table).filter(([, n]) => !modelled.includes(n));
  // For fib: types outside the partition never occur under this model, so their presence only matters when asked for alone.
  if (members.length === 0 && unmodelledNamed.some(([, n]) => inSet(n))) {
    unsure('unmodelled', `${kind === 'fib-type' ? 'route type' : 'packet type'} not modelled`);
    return null;
  }
  const local = f === 'ipv4' ? env.context.localAddrs.ipv4 : env.context.localAddrs.ipv6;
  const bcast: AddrSet | null = f === 'ipv4' ? env.context.broadcastAddrs : [];
  const mcast = MULTICAST[f];
  const need = (what: string, v: AddrSet | null): v is AddrSet => {
    if (v !== null) return true;
    unsure('missing-data', `${what} addresses of the host are unknown`);
    return false;
  };
  const LOCAL = kind === 'fib-type' ? FIB_TYPES['local']! : -1;
  const BCAST = kind === 'fib-type' ? FIB_TYPES['broadcast']! : PKT_TYPES['broadcast']!;
  const MCAST = kind === 'fib-type' ? FIB_TYPES['multicast']! : PKT_TYPES['multicast']!;
  const UCAST = kind === 'fib-type' ? FIB_TYPES['unicast']! : PKT_TYPES['host']!;
  let acc: IntervalSet<Ordinal> = [];
  if (inSet(MCAST)) acc = I.union(acc, mcast as IntervalSet<Ordinal>);
  if (inSet(BCAST)) {
    if (!need('broadcast', bcast)) return null;
    acc = I.union(acc, bcast as IntervalSet<Ordinal>);
  }
  if (LOCAL >= 0 && inSet(LOCAL)) {
    if (!need('local', local)) return null;
    acc = I.union(acc, local as IntervalSet<Ordinal>);
  }
  if (inSet(UCAST)) {
    // unicast = not local, not broadcast, not multicast (pkttype host: not broadcast/multicast).
    let others: IntervalSet<Ordinal> = mcast as IntervalSet<Ordinal>;
    if (!need('broadcast', bcast)) return null;
    others = I.union(others, bcast as IntervalSet<Ordinal>);
    if (kind === 'fib-type') {
      if (!need('local', local)) return null;
      others = I.union(others, local as IntervalSet<Ordinal>);
    }
    acc = I.union(acc, I.difference(I.fullSet(dom), others));
  }
  return acc as DimSet;
}

