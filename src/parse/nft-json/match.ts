/**
 * One nft `match` statement (or a map/vmap key lookup) → a constraint on a rule's
 * packets, for one address family. The condition of a rule is the intersection of its
 * matches; a match that cannot be decided leaves the packets unconstrained and adds an
 * {@link Uncertainty}, so the rule *may* match (never a port wrongly closed).
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { Domain, IntervalSet, Ordinal } from '../../model/interval-set.js';
import { ctFieldSet } from '../../model/conntrack-tuple.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import { addressClasses } from './address-classes.js';
import { type Cond, type MatchEnv, type Unsure, restrictDim } from './cond.js';
import { applyFlags } from './flags.js';
import { concatSet, namedSet } from './named-sets.js';
import { type Selector, type ValueKind, selectorLabel, selectorOf } from './selector.js';
import { type Json, isObject, soleKey } from './types.js';
import { type Range, atom, icmpToDport, kindDomain, scalarNumber, valueRanges } from './values.js';

export { type Cond, type MatchEnv, type NamedSetValue, cloneCond, condToSet, newCond } from './cond.js';

/**
 * Apply `left op right` to the condition. `construct` names the statement in uncertainties.
 */
export function applyMatch(env: MatchEnv, cond: Cond, op: string, left: Json, right: Json, construct: () => string): void {
  const unsure = reporter(cond, construct);
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
  if (sel.reversePath && (typeof right === 'boolean' || right === 0 || right === '0') && (op === '==' || op === '!=')) {
    // `oif missing` is `== false` (ifindex 0, which nft prints as "0" when written `oif 0`): never true for a packet that can open a connection.
    const assertsRoute = (right === true) !== (op === '!=');
    if (!assertsRoute) cond.empty = true;
    return;
  }
  if (sel.reversePath) {
    unsure('unmodelled', `${selectorLabel(sel)} compared with an interface depends on the routing table`);
    return;
  }
  if (sel.flags !== undefined) {
    applyFlags(cond, sel.flags, op, mask, right, unsure);
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
  if (sel.ct !== undefined) {
    const set = ctFieldSet(env.family, sel.ct, values as DimSet);
    if (set.isEmpty()) cond.empty = true;
    else cond.sets.push(set);
    return;
  }
  project(env, cond, kind, sel.dim, values, unsure);
}

/**
 * What adds a match's uncertainties to its condition. Made by a function apart: the bundle
 * keeps names (`keepNames`), so a closure bound to a name costs an Object.defineProperty each
 * time it is made, and this one is made for every match statement of every rule.
 */
function reporter(cond: Cond, construct: () => string): Unsure {
  return (kind, detail) => {
    cond.uncertain.push(detail === undefined ? { construct: construct(), kind } : { construct: construct(), kind, detail });
  };
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

/** Value kinds whose set lands directly in one dimension (usable inside concatenations). */
const DIRECT: ReadonlySet<ValueKind> = new Set(['addr', 'port', 'proto', 'iface', 'icmp-type', 'icmpv6-type', 'icmp-code', 'icmpv6-code']);

/** What a concatenation's parts read, decided once per expression. */
interface ConcatShape {
  sels: Selector[];
  /** The first part that is not a packet-space dimension usable in a concatenation. */
  bad: Selector | undefined;
  kinds: ValueKind[];
  dims: Dim[];
  repeats: boolean;
}

/**
 * A verdict map applies its key once per distinct verdict (kube-proxy: thousands per map), in
 * every family: the shape of one key expression is worked out once. Selectors depend on the
 * expression alone and are never changed once built.
 */
const SHAPES = new WeakMap<Json[], ConcatShape>();

function concatShape(parts: Json[]): ConcatShape {
  let shape = SHAPES.get(parts);
  if (shape) return shape;
  const sels = parts.map(selectorOf);
  const bad = sels.find((s) => s.value === undefined || !DIRECT.has(s.value) || s.dim === undefined);
  const kinds = bad ? [] : sels.map((s) => s.value!);
  const dims = bad ? [] : sels.map((s) => s.dim!);
  shape = { sels, bad, kinds, dims, repeats: new Set(dims).size !== dims.length };
  SHAPES.set(parts, shape);
  return shape;
}

function applyConcat(env: MatchEnv, cond: Cond, op: string, parts: Json, right: Json, unsure: Unsure): void {
  if (!Array.isArray(parts)) {
    unsure('unknown', 'malformed concatenation');
    return;
  }
  const { sels, bad, kinds, dims, repeats } = concatShape(parts);
  for (const s of sels) if (!dependencies(env, cond, s)) return;
  if (bad) {
    unsure(bad.unmodelled ?? 'unmodelled', `${selectorLabel(bad)} in a concatenation is not modelled`);
    return;
  }
  if (repeats) {
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
    const v = concatSet(env.family, kinds, Array.isArray(elems) ? elems : [elems ?? null], dims, env.oneRangeSets);
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

/** Map a value set onto the packet space. */
function project(env: MatchEnv, cond: Cond, kind: ValueKind, dim: Dim | undefined, values: IntervalSet<Ordinal>, unsure: Unsure): void {
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
      if (addrs !== null) restrictDim(cond, dim ?? Dim.Dst, addrs);
      return;
    }
  }
}

