/**
 * One nft `match` statement (or a map/vmap key lookup) → a constraint on a rule's
 * packets, for one address family. The condition of a rule is the intersection of its
 * matches; a match that cannot be decided leaves the packets unconstrained and adds an
 * {@link Uncertainty}, so the rule *may* match (never a port wrongly closed).
 *
 * @module
 */
import { type AddrSet, type Family, blockSet } from '../../model/addr.js';
import type { HostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import type { Domain, IntervalSet, Ordinal } from '../../model/interval-set.js';
import { CT_STATES, type Cube, DIM_COUNT, Dim, type DimSet, PacketSet, dimDomain } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import { type FlagKind, type Selector, type ValueKind, selectorLabel, selectorOf } from './selector.js';
import { CT_STATE_BITS, CT_STATUS_BITS, FIB_TYPES, PKT_TYPES, TCP_FLAG_NAMES } from './symbols.js';
import { type Json, type NftSet, isObject, soleKey } from './types.js';
import { type Range, atom, kindDomain, scalarNumber, valueRanges } from './values.js';

/** What lowering one rule in one family needs to know. */
export interface MatchEnv {
  family: Family;
  context: HostContext;
  /** A named set of the rule's table, by name (without "@"). */
  lookupSet(name: string): NftSet | undefined;
  /** Named sets (by path) that rules fill at runtime (`add @s`, `update @s`, meters). */
  dynamicSets: ReadonlySet<string>;
  /** Lowered named sets, per family and key type: built once, shared by every rule. */
  cache: Map<string, NamedSetValue>;
}

export type NamedSetValue = { ok: true; ranges: IntervalSet<Ordinal> } | { ok: true; cubes: PacketSet } | { ok: false; bad: string };

/** A rule's condition being built: one cube (per-dimension sets) and extra packet sets. */
export interface Cond {
  dims: (DimSet | undefined)[];
  sets: PacketSet[];
  empty: boolean;
  uncertain: Uncertainty[];
}

export function newCond(): Cond {
  return { dims: new Array(DIM_COUNT).fill(undefined), sets: [], empty: false, uncertain: [] };
}

export function cloneCond(c: Cond): Cond {
  return { dims: c.dims.slice(), sets: c.sets.slice(), empty: c.empty, uncertain: c.uncertain.slice() };
}

export function restrictDim(c: Cond, dim: Dim, set: DimSet): void {
  const prev = c.dims[dim];
  const next = prev === undefined ? set : I.intersect(prev, set);
  c.dims[dim] = next;
  if (next.length === 0) c.empty = true;
}

const FULL: Record<Family, Cube> = { ipv4: PacketSet.all('ipv4').cubes[0]!, ipv6: PacketSet.all('ipv6').cubes[0]! };

export function condToSet(c: Cond, family: Family): PacketSet {
  if (c.empty) return PacketSet.empty(family);
  const cube = FULL[family].slice();
  for (let k = 0; k < DIM_COUNT; k++) {
    const d = c.dims[k];
    if (d !== undefined) cube[k] = d;
  }
  let set = PacketSet.fromCubes(family, [cube]);
  for (const s of c.sets) set = set.intersect(s);
  return set;
}

const MULTICAST: Record<Family, AddrSet> = { ipv4: blockSet('ipv4', ['multicast']), ipv6: blockSet('ipv6', ['multicast']) };

/**
 * Apply `left op right` to the condition. `construct` names the statement in uncertainties.
 */
export function applyMatch(env: MatchEnv, cond: Cond, op: string, left: Json, right: Json, construct: () => string): void {
  const unsure = (kind: Uncertainty['kind'], detail?: string): void => {
    cond.uncertain.push(detail === undefined ? { construct: construct(), kind } : { construct: construct(), kind, detail });
  };
  if (isObject(left) && soleKey(left) === 'concat') {
    applyConcat(env, cond, op, left['concat']!, right, unsure);
    return;
  }
  let mask: Json | undefined;
  let inner = left;
  if (isObject(left) && soleKey(left) === '&' && Array.isArray(left['&']) && left['&'].length === 2) {
    inner = left['&'][0]!;
    mask = left['&'][1]!;
  }
  const sel = selectorOf(inner);
  if (!dependencies(env, cond, sel)) return;
  if (sel.unmodelled !== undefined) {
    unsure(sel.unmodelled, sel.unmodelled === 'unknown' ? `expression ${selectorLabel(sel)} not understood` : `${selectorLabel(sel)} is not a packet-space dimension`);
    return;
  }
  if (sel.flags !== undefined) {
    applyFlags(env, cond, sel.flags, op, mask, right, unsure);
    return;
  }
  const kind = sel.value!;
  let values: IntervalSet<Ordinal> | null;
  if (mask !== undefined) {
    values = maskedValues(env.family, kind, op, mask, right);
    if (values === null) {
      unsure('unmodelled', `bitwise mask on ${selectorLabel(sel)}`);
      return;
    }
  } else {
    const rhs = rhsValues(env, kind, right);
    if (!rhs.ok) {
      unsure(rhs.kind, rhs.detail);
      return;
    }
    values = applyOp(kind, env.family, op, rhs.ranges, right);
    if (values === null) {
      unsure('unknown', `operator ${op} on ${selectorLabel(sel)}`);
      return;
    }
  }
  project(env, cond, kind, sel.dim, values, unsure);
}

/** Payload dependencies: the family the field needs and the protocols it implies. False when nothing can match. */
function dependencies(env: MatchEnv, cond: Cond, sel: Selector): boolean {
  if (sel.family !== undefined && sel.family !== env.family) {
    cond.empty = true;
    return false;
  }
  if (sel.proto !== undefined) restrictDim(cond, Dim.Proto, sel.proto);
  return true;
}

type Rhs = { ok: true; ranges: IntervalSet<Ordinal> } | { ok: false; kind: Uncertainty['kind']; detail: string };

/** The right-hand side as a value set: literal values, anonymous sets, or a named set. */
function rhsValues(env: MatchEnv, kind: ValueKind, right: Json): Rhs {
  if (typeof right === 'string' && right.startsWith('@')) {
    const named = namedSet(env, right.slice(1), [kind]);
    if (!named.ok) return { ok: false, kind: named.kind, detail: named.detail };
    if (!('ranges' in named.value)) return { ok: false, kind: 'unknown', detail: `set ${right} has concatenated elements` };
    return { ok: true, ranges: named.value.ranges };
  }
  if (typeof right === 'number' || typeof right === 'string') {
    // The common case, one literal value: no sorting or merging needed.
    const r = atom(kind, env.family, right);
    if (r) return { ok: true, ranges: r };
  }
  const out: Range[] = [];
  const bad = valueRanges(kind, env.family, right, out);
  if (bad !== null) return { ok: false, kind: 'unknown', detail: `value ${bad} not understood` };
  return { ok: true, ranges: I.fromRanges(out) };
}

type NamedLookup = { ok: true; value: NamedSetValue & { ok: true } } | { ok: false; kind: Uncertainty['kind']; detail: string };

/**
 * A named set lowered for the given component kinds, cached per family: a 100,000-element
 * set is converted once, then every rule referencing it shares the result.
 */
export function namedSet(env: MatchEnv, name: string, kinds: readonly ValueKind[]): NamedLookup {
  const set = env.lookupSet(name);
  if (!set) return { ok: false, kind: 'unknown', detail: `set @${name} is not declared in this table` };
  if (env.dynamicSets.has(set.path)) {
    return { ok: false, kind: 'missing-data', detail: `set @${name} is filled by rules at runtime; its members at collection time say nothing about later packets` };
  }
  const key = `${set.path}|${env.family}|${kinds.join('.')}`;
  let v = env.cache.get(key);
  if (!v) {
    v = kinds.length === 1 ? singleSet(env.family, kinds[0]!, set.elem.map((e) => e.key)) : concatSet(env.family, kinds, set.elem.map((e) => e.key), null);
    env.cache.set(key, v);
  }
  if (!v.ok) return { ok: false, kind: 'unknown', detail: `element ${v.bad} of set @${name} not understood` };
  return { ok: true, value: v };
}

function singleSet(family: Family, kind: ValueKind, elems: readonly Json[]): NamedSetValue {
  const out: Range[] = [];
  for (const e of elems) {
    const bad = valueRanges(kind, family, e, out);
    if (bad !== null) return { ok: false, bad };
  }
  return { ok: true, ranges: I.fromRanges(out) };
}

/**
 * Concatenated elements (`192.0.2.1 . 22`) → one cube each, grouped by all components but
 * the last so that "one address, many ports" stays one cube.
 */
function concatSet(family: Family, kinds: readonly ValueKind[], elems: readonly Json[], dims: readonly (Dim | undefined)[] | null): NamedSetValue {
  const groups = new Map<string, { head: IntervalSet<Ordinal>[]; tail: Range[] }>();
  for (const e of elems) {
    const parts = concatParts(e);
    if (!parts || parts.length !== kinds.length) return { ok: false, bad: JSON.stringify(e) };
    const comps: IntervalSet<Ordinal>[] = [];
    for (let k = 0; k < parts.length; k++) {
      const out: Range[] = [];
      const bad = valueRanges(kinds[k]!, family, parts[k]!, out);
      if (bad !== null) return { ok: false, bad };
      comps.push(I.fromRanges(out));
    }
    const head = comps.slice(0, -1);
    const gk = head.map((h) => h.join(',')).join('|');
    const g = groups.get(gk);
    const last = comps[comps.length - 1]!;
    const tail: Range[] = [];
    for (let k = 0; k < last.length; k += 2) tail.push([last[k]!, last[k + 1]!]);
    if (g) g.tail.push(...tail);
    else groups.set(gk, { head, tail });
  }
  // Components are stored by position; the caller maps positions onto dimensions.
  const cubes: Cube[] = [];
  const base = PacketSet.all(family).cubes[0]!;
  const positions = dims ?? kinds.map((k) => (k === 'addr' ? Dim.Src : Dim.Dport));
  for (const g of groups.values()) {
    const cube = base.slice();
    const comps = [...g.head, I.fromRanges(g.tail)];
    comps.forEach((c, k) => {
      cube[positions[k]!] = (ICMP_KINDS.has(kinds[k]!) ? icmpToDport(kinds[k]!, c as IntervalSet<number>) : c) as DimSet;
    });
    cubes.push(cube);
  }
  return { ok: true, cubes: PacketSet.fromCubes(family, cubes) };
}

function concatParts(e: Json): Json[] | null {
  if (isObject(e) && soleKey(e) === 'elem' && isObject(e['elem'])) return concatParts(e['elem']['val'] ?? null);
  if (isObject(e) && soleKey(e) === 'concat' && Array.isArray(e['concat'])) return e['concat'];
  return null;
}

/** Value kinds whose set lands directly in one dimension (usable inside concatenations). */
const DIRECT: ReadonlySet<ValueKind> = new Set(['addr', 'port', 'proto', 'iface', 'icmp-type', 'icmpv6-type', 'icmp-code', 'icmpv6-code']);

function applyConcat(env: MatchEnv, cond: Cond, op: string, parts: Json, right: Json, unsure: (k: Uncertainty['kind'], d?: string) => void): void {
  if (!Array.isArray(parts)) {
    unsure('unknown', 'malformed concatenation');
    return;
  }
  const sels = parts.map(selectorOf);
  for (const s of sels) if (!dependencies(env, cond, s)) return;
  const bad = sels.find((s) => s.value === undefined || !DIRECT.has(s.value) || s.dim === undefined);
  if (bad) {
    unsure(bad.unmodelled ?? 'unmodelled', `${selectorLabel(bad)} in a concatenation is not modelled`);
    return;
  }
  const kinds = sels.map((s) => s.value!);
  const dims = sels.map((s) => s.dim!);
  if (new Set(dims).size !== dims.length) {
    unsure('unmodelled', 'concatenation repeats a dimension');
    return;
  }
  let set: PacketSet;
  if (typeof right === 'string' && right.startsWith('@')) {
    const named = env.lookupSet(right.slice(1));
    if (!named) {
      unsure('unknown', `set ${right} is not declared in this table`);
      return;
    }
    if (env.dynamicSets.has(named.path)) {
      unsure('missing-data', `set ${right} is filled by rules at runtime`);
      return;
    }
    const key = `${named.path}|${env.family}|${kinds.join('.')}|${dims.join('.')}`;
    let v = env.cache.get(key);
    if (!v) {
      v = concatSet(env.family, kinds, named.elem.map((e) => e.key), dims);
      env.cache.set(key, v);
    }
    if (!v.ok || !('cubes' in v)) {
      unsure('unknown', `element ${v.ok ? '' : v.bad} of set ${right} not understood`);
      return;
    }
    set = v.cubes;
  } else {
    const elems = isObject(right) && soleKey(right) === 'set' ? right['set'] : right;
    const v = concatSet(env.family, kinds, Array.isArray(elems) ? elems : [elems ?? null], dims);
    if (!v.ok || !('cubes' in v)) {
      unsure('unknown', `value ${v.ok ? '' : v.bad} not understood`);
      return;
    }
    set = v.cubes;
  }
  if (op === '!=') set = PacketSet.all(env.family).difference(set);
  else if (op !== '==' && op !== 'in') {
    unsure('unknown', `operator ${op} on a concatenation`);
    return;
  }
  if (set.isEmpty()) cond.empty = true;
  else if (!set.isAll()) cond.sets.push(set);
}

/** ==, in, != and the orderings over a value set; null when the operator does not apply. */
function applyOp(kind: ValueKind, family: Family, op: string, values: IntervalSet<Ordinal>, right: Json): IntervalSet<Ordinal> | null {
  const dom = kindDomain(kind, family);
  switch (op) {
    case '==':
    case 'in':
      return values;
    case '!=':
      return I.complement(values, dom);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      // An ordering compares with one value: its range [x, x+1).
      if (values.length !== 2 || (typeof right === 'object' && right !== null) || typeof values[0] === 'string') return null;
      const lo = values[0]!;
      const hi = values[1]!;
      if (op === '<') return I.range(dom.min, lo);
      if (op === '<=') return I.range(dom.min, hi);
      if (op === '>') return I.range(hi, dom.max);
      return I.range(lo, dom.max);
    }
    default:
      return null;
  }
}

/** `(field & mask) op value` for small numeric fields (by enumeration) and address prefixes. */
function maskedValues(family: Family, kind: ValueKind, op: string, maskJson: Json, right: Json): IntervalSet<Ordinal> | null {
  if (op !== '==' && op !== '!=') return null;
  if (kind === 'addr') {
    if (typeof maskJson !== 'string' || typeof right !== 'string') return null;
    const out: Range[] = [];
    const mo: Range[] = [];
    if (valueRanges('addr', family, maskJson, mo) !== null || valueRanges('addr', family, right, out) !== null) return null;
    const bits = family === 'ipv4' ? 32 : 128;
    const mask = BigInt(mo[0]![0] as number | bigint);
    const val = BigInt(out[0]![0] as number | bigint);
    let len = 0;
    while (len < bits && (mask >> BigInt(bits - 1 - len)) & 1n) len++;
    const contiguous = len === bits ? mask === (1n << BigInt(bits)) - 1n : mask === (((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - len)) - 1n));
    if (!contiguous) return null;
    const dom = kindDomain('addr', family);
    let set: IntervalSet<Ordinal>;
    if ((val & ~mask) !== 0n) set = [];
    else {
      const size = 1n << BigInt(bits - len);
      set = family === 'ipv4' ? I.range(Number(val), Number(val + size)) : I.range(val, val + size);
    }
    return op === '==' ? set : I.complement(set, dom);
  }
  if (kind === 'iface') return null;
  const m = scalarNumber(kind, maskJson);
  const dom = kindDomain(kind, family) as Domain<number>;
  const out: Range[] = [];
  if (m === null || valueRanges(kind, family, right, out) !== null) return null;
  const target = I.fromRanges(out as [number, number][]);
  const pts: number[] = [];
  for (let v = dom.min; v < dom.max; v++) if (I.contains(target, v & m) === (op === '==')) pts.push(v);
  return I.fromPoints(pts);
}

/** ICMP types and codes live in the destination-port dimension as `type << 8 | code`. */
function icmpToDport(kind: ValueKind, values: IntervalSet<number>): DimSet {
  const pairs: [number, number][] = [];
  if (kind === 'icmp-type' || kind === 'icmpv6-type') {
    // A type range covers every code of each type.
    for (let k = 0; k < values.length; k += 2) pairs.push([values[k]! * 256, values[k + 1]! * 256]);
  } else {
    for (let t = 0; t < 256; t++) for (let k = 0; k < values.length; k += 2) pairs.push([t * 256 + values[k]!, t * 256 + values[k + 1]!]);
  }
  return I.fromRanges(pairs);
}

const ICMP_KINDS: ReadonlySet<ValueKind> = new Set(['icmp-type', 'icmpv6-type', 'icmp-code', 'icmpv6-code']);

/** Map a value set onto the packet space. */
function project(env: MatchEnv, cond: Cond, kind: ValueKind, dim: Dim | undefined, values: IntervalSet<Ordinal>, unsure: (k: Uncertainty['kind'], d?: string) => void): void {
  switch (kind) {
    case 'addr':
    case 'port':
    case 'proto':
    case 'iface':
      restrictDim(cond, dim!, values as DimSet);
      return;
    case 'icmp-type':
    case 'icmpv6-type':
    case 'icmp-code':
    case 'icmpv6-code':
      restrictDim(cond, Dim.Dport, icmpToDport(kind, values as IntervalSet<number>));
      return;
    case 'nfproto':
      if (!I.contains(values as IntervalSet<number>, env.family === 'ipv4' ? 2 : 10)) cond.empty = true;
      return;
    case 'ethertype':
      if (!I.contains(values as IntervalSet<number>, env.family === 'ipv4' ? 0x0800 : 0x86dd)) cond.empty = true;
      return;
    case 'pkttype':
    case 'fib-type': {
      const addrs = addressClasses(env, kind, values as IntervalSet<number>, unsure);
      if (addrs !== null) restrictDim(cond, Dim.Dst, addrs);
      return;
    }
  }
}

/**
 * `fib daddr type` and `meta pkttype` as destination-address sets. local, broadcast,
 * multicast and unicast (everything else) partition the address space; other route types
 * (blackhole, prohibit, …) depend on the routing table and are not modelled.
 */
function addressClasses(env: MatchEnv, kind: 'pkttype' | 'fib-type', values: IntervalSet<number>, unsure: (k: Uncertainty['kind'], d?: string) => void): DimSet | null {
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

/* ---- bitmask kinds: ct state, ct status, tcp flags ---- */

const FLAG_NAMES: Record<FlagKind, Readonly<Record<string, number>>> = {
  'ct-state': CT_STATE_BITS,
  'ct-status': CT_STATUS_BITS,
  'tcp-flags': TCP_FLAG_NAMES,
};
const NAT_STATUS = CT_STATUS_BITS['snat']! | CT_STATUS_BITS['dnat']!;

/** A flag value: a name, a number, a list of names (OR-ed), or {"|": [a, b]}. */
function flagValue(kind: FlagKind, v: Json): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string') {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(v)) return Number(v);
    return FLAG_NAMES[kind][v.toLowerCase()] ?? null;
  }
  if (Array.isArray(v)) {
    let acc = 0;
    for (const x of v) {
      const n = flagValue(kind, x);
      if (n === null) return null;
      acc |= n;
    }
    return acc;
  }
  if (isObject(v)) {
    const key = soleKey(v);
    const b = key !== null ? v[key] : undefined;
    if (key === '|' && Array.isArray(b)) return flagValue(kind, b);
    if (key === 'elem' && isObject(b)) return flagValue(kind, b['val'] ?? null);
  }
  return null;
}

function applyFlags(env: MatchEnv, cond: Cond, kind: FlagKind, op: string, maskJson: Json | undefined, right: Json, unsure: (k: Uncertainty['kind'], d?: string) => void): void {
  const mask = maskJson === undefined ? 0xffffffff : flagValue(kind, maskJson);
  let values: number[] | null = null;
  let scalar: number | null = null;
  if (isObject(right) && soleKey(right) === 'set' && Array.isArray(right['set'])) {
    values = [];
    for (const x of right['set']) {
      const n = flagValue(kind, x);
      if (n === null) {
        values = null;
        break;
      }
      values.push(n);
    }
  } else scalar = flagValue(kind, right);
  if (mask === null || (values === null && scalar === null)) {
    unsure('unknown', `value ${JSON.stringify(right)} not understood`);
    return;
  }
  const test = (bits: number): boolean | null => {
    const v = bits & mask;
    switch (op) {
      case 'in':
        return values !== null ? values.includes(v) : (v & scalar!) !== 0;
      case '==':
        return values !== null ? values.includes(v) : v === scalar;
      case '!=':
        return values !== null ? !values.includes(v) : v !== scalar;
      case '<':
        return values === null && v < scalar!;
      case '<=':
        return values === null && v <= scalar!;
      case '>':
        return values === null && v > scalar!;
      case '>=':
        return values === null && v >= scalar!;
      default:
        return null;
    }
  };
  if (!['in', '==', '!=', '<', '<=', '>', '>='].includes(op) || (values !== null && !['in', '==', '!='].includes(op))) {
    unsure('unknown', `operator ${op} on flags`);
    return;
  }
  if (kind === 'tcp-flags') {
    const pts: number[] = [];
    for (let v = 0; v < 256; v++) if (test(v)) pts.push(v);
    restrictDim(cond, Dim.TcpFlags, I.fromPoints(pts));
    return;
  }
  if (kind === 'ct-status') {
    const used = (mask === 0xffffffff ? 0 : mask) | (scalar ?? 0) | (values ?? []).reduce((a, b) => a | b, 0);
    // Only the NAT bits are packet-space states; with a full mask, == compares every bit.
    if ((used & ~NAT_STATUS) !== 0 || (op !== 'in' && mask === 0xffffffff)) {
      unsure('unmodelled', 'conntrack status bits other than snat/dnat are not modelled');
      return;
    }
  }
  const pts: number[] = [];
  for (let v = 0; v < 20; v++) {
    const bits =
      kind === 'ct-state'
        ? CT_STATE_BITS[CT_STATES[v % 5]!.toLowerCase()]!
        : (v % 10 >= 5 ? CT_STATUS_BITS['dnat']! : 0) | (v >= 10 ? CT_STATUS_BITS['snat']! : 0);
    if (test(bits)) pts.push(v);
  }
  restrictDim(cond, Dim.State, I.fromPoints(pts));
}
