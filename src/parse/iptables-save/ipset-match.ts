/**
 * `-m set --match-set NAME src,dst` as the kernel decides it (net/netfilter/ipset): the
 * packets whose components, each read from the side its flag names, form an entry of the set.
 *
 * - Fewer flags than the set has dimensions, or a set of the other family: never matches
 *   (`ip_set_test` returns 0); extra flags are ignored.
 * - `nomatch` entries: the kernel tries the set's prefix lengths from the most specific, so
 *   the most specific entry containing the packet decides (an excluded host inside an
 *   allowed network is excluded). Entries only compete with entries whose other components
 *   (port, interface) are equal: those are part of the hash key.
 * - list:set: any member set matches.
 *
 * The result is built once per set, flags and family, and shared by every rule that uses
 * it: a 50,000-entry set is one sorted interval set on one dimension, never 50,000 cubes.
 *
 * @module
 */
import type { AddrSet, Family } from '../../model/addr.js';
import { type HostContext, type IpSet, type IpSetComponent, type IpSetEntry, ipsetEntries } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet, ifaceSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';

export type IpsetOpen = { name: string; kind: Uncertainty['kind']; detail: string };

/** Protocols whose ports an ipset port component without a protocol matches. */
const PORTED = I.fromPoints([6, 17, 33, 132, 136]);

/** Lowered sets by set object (identity), then by family and flags. */
const CACHE = new WeakMap<IpSet, Map<string, { set: PacketSet } | IpsetOpen>>();

/** The packets `--match-set name flags` matches, or why it cannot be said. */
export function ipsetMatch(name: string, flags: readonly string[], family: Family, context: HostContext, returnNomatch = false): { set: PacketSet } | IpsetOpen {
  const label = `-m set --match-set ${name}`;
  const set = context.ipsets.get(name);
  if (!set) return { name: label, kind: 'missing-data', detail: `members of ipset ${name} are not in the snapshot` };
  const sides: boolean[] = []; // true = source side
  for (const f of flags) {
    const lower = f.toLowerCase();
    if (lower !== 'src' && lower !== 'dst') return { name: label, kind: 'unknown', detail: `direction flag "${f}"` };
    sides.push(lower === 'src');
  }
  let byKey = CACHE.get(set);
  if (!byKey) CACHE.set(set, (byKey = new Map()));
  const key = `${family}|${sides.join(',')}|${returnNomatch}`;
  let hit = byKey.get(key);
  if (!hit) {
    hit = lowerSet(set, sides, family, context, label, 0, returnNomatch);
    byKey.set(key, hit);
  }
  return hit;
}

function lowerSet(set: IpSet, sides: readonly boolean[], family: Family, context: HostContext, label: string, depth: number, returnNomatch: boolean): { set: PacketSet } | IpsetOpen {
  if (set.members) {
    if (depth > 0) return { name: label, kind: 'unknown', detail: `list:set ${set.name} inside a list:set` };
    let acc = PacketSet.empty(family);
    for (const m of set.members) {
      const member = context.ipsets.get(m);
      if (!member) return { name: label, kind: 'missing-data', detail: `member ${m} of list:set ${set.name} is not in the snapshot` };
      const r = lowerSet(member, sides, family, context, label, depth + 1, returnNomatch);
      if (!('set' in r)) return r;
      acc = acc.union(r.set);
    }
    return { set: acc };
  }
  if (set.partial) return { name: label, kind: 'unmodelled', detail: `ipset ${set.name} (${set.type}) has components we do not model` };
  const dimension = set.type.split(':')[1]!.split(',').length;
  if (set.family !== null && set.family !== family) return { set: PacketSet.empty(family) };
  if (sides.length < dimension) return { set: PacketSet.empty(family) };
  const marked = (e: IpSetEntry) => e.some((c) => c.kind === 'mark');
  if (set.entries.some(marked) || set.exceptions.some(marked)) {
    return { name: label, kind: 'unmodelled', detail: `ipset ${set.name} matches packet marks` };
  }
  return { set: entriesToPackets(set, sides, family, returnNomatch) };
}

interface Item {
  addrs: AddrSet[];
  nomatch: boolean;
}

interface Group {
  /** The full cube with the entry's non-address components applied. */
  base: DimSet[];
  addrDims: Dim[];
  items: Item[];
  hasExceptions: boolean;
}

/** `returnNomatch` (`--return-nomatch`): a nomatch entry then matches like any other. */
function entriesToPackets(set: IpSet, sides: readonly boolean[], family: Family, returnNomatch: boolean): PacketSet {
  const full = PacketSet.all(family).cubes[0]!;
  const groups = new Map<string, Group>();
  const add = (entry: IpSetEntry, nomatch: boolean) => {
    const base = full.slice();
    const addrDims: Dim[] = [];
    const addrs: AddrSet[] = [];
    let key = '';
    for (let k = 0; k < entry.length; k++) {
      const c = entry[k]!;
      if (c.kind === 'addr') {
        addrDims.push(sides[k] ? Dim.Src : Dim.Dst);
        addrs.push(c.set);
      } else key += `${k}:${componentKey(c)}|`;
      applyComponent(c, sides[k]!, base);
    }
    key += addrDims.join('.');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { base, addrDims, items: [], hasExceptions: false }));
    g.items.push({ addrs, nomatch });
    if (nomatch) g.hasExceptions = true;
  };
  if (set.addrEntries) {
    const addrDim = sides[0] ? Dim.Src : Dim.Dst;
    if (set.exceptions.length === 0 || returnNomatch) {
      // No nomatch holes (or --return-nomatch, which makes them match like the rest): the
      // merged ranges on one dimension, merged once per set.
      const addrs = mergedAddrEntries(set);
      const matched = set.exceptions.length === 0 ? addrs : I.union(addrs, unionAll(set.exceptions.map((e) => (e[0] as { set: AddrSet }).set)));
      if (matched.length === 0) return PacketSet.empty(family);
      const cube = full.slice();
      cube[addrDim] = matched;
      return PacketSet.fromCubes(family, [cube]);
    }
    for (const e of ipsetEntries(set)) add(e, false);
  } else for (const e of set.entries) add(e, false);
  for (const e of set.exceptions) add(e, !returnNomatch);

  const cubes: Cube[] = [];
  let extra = PacketSet.empty(family);
  for (const g of groups.values()) {
    if (g.addrDims.length === 0) {
      if (g.items.some((i) => !i.nomatch)) cubes.push(g.base);
    } else if (!g.hasExceptions && g.addrDims.length === 1) {
      // The common case (hash:ip, hash:net, one port of hash:ip,port): one sorted merge.
      const cube = g.base.slice();
      cube[g.addrDims[0]!] = unionAll(g.items.map((i) => i.addrs[0]!));
      cubes.push(cube);
    } else extra = extra.union(mostSpecificWins(g, family));
  }
  return PacketSet.fromCubes(family, cubes).union(extra);
}

/**
 * Entries by specificity (smaller address components first, in component order, as the
 * kernel's nested prefix loops try them): each level decides the packets no more specific
 * level contained.
 */
function mostSpecificWins(g: Group, family: Family): PacketSet {
  const levels = new Map<string, { size: bigint[]; items: Item[] }>();
  for (const item of g.items) {
    const size = item.addrs.map(addrSize);
    const k = size.join(',');
    let l = levels.get(k);
    if (!l) levels.set(k, (l = { size, items: [] }));
    l.items.push(item);
  }
  const ordered = [...levels.values()].sort((a, b) => {
    for (let i = 0; i < a.size.length; i++) if (a.size[i] !== b.size[i]) return a.size[i]! < b.size[i]! ? -1 : 1;
    return 0;
  });
  let covered = PacketSet.empty(family);
  let result = PacketSet.empty(family);
  for (const level of ordered) {
    const cubesOf = (items: Item[]) =>
      PacketSet.fromCubes(
        family,
        items.map((it) => {
          const cube = g.base.slice();
          g.addrDims.forEach((d, k) => (cube[d] = it.addrs[k] as DimSet));
          return cube;
        }),
      );
    const all = cubesOf(level.items);
    const matching = level.items.filter((i) => !i.nomatch);
    if (matching.length > 0) result = result.union(cubesOf(matching).difference(covered));
    covered = covered.union(all);
  }
  return result;
}

/** The union of a set's address entries, built by one sort-and-merge and shared by every lowering of the set. */
const MERGED = new WeakMap<IpSet, DimSet>();

function mergedAddrEntries(set: IpSet): DimSet {
  let merged = MERGED.get(set);
  if (!merged) {
    const { los, his } = set.addrEntries!;
    merged = I.fromBounds<I.Ordinal>(los, his);
    MERGED.set(set, merged);
  }
  return merged;
}

function addrSize(set: AddrSet): bigint {
  let n = 0n;
  for (let k = 0; k < set.length; k += 2) n += BigInt(set[k + 1]!) - BigInt(set[k]!);
  return n;
}

function unionAll(sets: readonly AddrSet[]): DimSet {
  const ranges: [I.Ordinal, I.Ordinal][] = [];
  for (const s of sets) for (let k = 0; k < s.length; k += 2) ranges.push([s[k]!, s[k + 1]!]);
  return I.fromRanges(ranges);
}

function componentKey(c: IpSetComponent): string {
  switch (c.kind) {
    case 'port':
      return `${c.proto}:${c.ports.join(',')}`;
    case 'iface':
      return c.name;
    case 'mark':
      return String(c.value);
    case 'addr':
      return '';
  }
}

/** Put one non-address component into the cube (the address ones are placed per entry). */
function applyComponent(c: IpSetComponent, src: boolean, cube: DimSet[]): void {
  switch (c.kind) {
    case 'port': {
      const proto = c.proto === null ? PORTED : I.range(c.proto, c.proto + 1);
      cube[Dim.Proto] = I.intersect(cube[Dim.Proto]!, proto);
      cube[src ? Dim.Sport : Dim.Dport] = c.ports;
      return;
    }
    case 'iface':
      // hash:net,iface: `src` reads the input interface, `dst` the output one.
      cube[src ? Dim.Iif : Dim.Oif] = ifaceSet([c.name]);
      return;
    case 'addr':
    case 'mark':
      return;
  }
}
