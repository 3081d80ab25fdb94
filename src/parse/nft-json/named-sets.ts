/**
 * Named sets and maps lowered to value sets (one dimension) or unions of cubes
 * (concatenations), once per set, family and key type, then shared by every rule.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { IntervalSet, Ordinal } from '../../model/interval-set.js';
import type { OneRangeSets } from '../../model/one-range-sets.js';
import { type Cube, Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { MatchEnv, NamedSetValue } from './cond.js';
import type { ValueKind } from './selector.js';
import { addressBounds } from './address-set-text.js';
import { type Json, type NftSet, isObject, soleKey } from './types.js';
import { readIpv4Prefix } from '../ipv4-prefix.js';
import { ICMP_KINDS, type Range, icmpToDport, valueRanges } from './values.js';

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
    v = kinds.length === 1 ? singleSet(env.family, kinds[0]!, set) : concatSet(env.family, kinds, set.elem.map((e) => e.key), null);
    env.cache.set(key, v);
  }
  if (!v.ok) return { ok: false, kind: 'unknown', detail: `element ${v.bad} of set @${name} not understood` };
  return { ok: true, value: v };
}

/**
 * One-dimension sets straight into two bound lists, merged once: IPv4 addresses and
 * prefixes (fail2ban bans, country blocklists: most big sets) are read without a pair or a
 * regular expression per element; every other element takes the general value reader.
 */
function singleSet(family: Family, kind: ValueKind, set: NftSet): NamedSetValue {
  const fastV4 = kind === 'addr' && family === 'ipv4';
  // Read from the dump text into bounds already (the same bounds as the loop below).
  const known = kind === 'addr' ? addressBounds(set, family) : undefined;
  if (known !== undefined) return { ok: true, ranges: I.fromBounds(known.los, known.his) };
  const elems = set.elem.map((e) => e.key);
  const los: Ordinal[] = [];
  const his: Ordinal[] = [];
  const bounds = new Float64Array(2);
  const spill: Range[] = [];
  for (const e of elems) {
    if (fastV4 && readIpv4Element(e, bounds)) {
      los.push(bounds[0]!);
      his.push(bounds[1]!);
      continue;
    }
    spill.length = 0;
    const bad = valueRanges(kind, family, e, spill);
    if (bad !== null) return { ok: false, bad };
    for (const [lo, hi] of spill) {
      los.push(lo);
      his.push(hi);
    }
  }
  return { ok: true, ranges: I.fromBounds(los, his) };
}

/** A bare IPv4 address or `{"prefix": {"addr", "len"}}` read fast; false leaves it to valueRanges. */
function readIpv4Element(e: Json, bounds: Float64Array): boolean {
  if (typeof e === 'string') return readIpv4Prefix(e, null, bounds);
  if (!isObject(e)) return false;
  const p = e['prefix'];
  if (!isObject(p) || typeof p['addr'] !== 'string' || typeof p['len'] !== 'number' || soleKey(e) !== 'prefix') return false;
  return readIpv4Prefix(p['addr'], p['len'], bounds);
}

/**
 * Concatenated elements (`192.0.2.1 . 22`) → one cube each, grouped by all components but
 * the last so that "one address, many ports" stays one cube.
 */
export function concatSet(family: Family, kinds: readonly ValueKind[], elems: readonly Json[], dims: readonly (Dim | undefined)[] | null, shared?: OneRangeSets): NamedSetValue {
  // Components are stored by position; the caller maps positions onto dimensions.
  const positions = dims ?? kinds.map((k) => (k === 'addr' ? Dim.Src : Dim.Dport));
  if (elems.length === 1) {
    // One element (a verdict map's key, once per verdict: kube-proxy's 5,000 services): one cube, nothing to group.
    const comps = elementComponents(family, kinds, elems[0]!);
    return 'bad' in comps ? { ok: false, bad: comps.bad } : { ok: true, cubes: PacketSet.fromCubes(family, [cubeOf(family, kinds, comps, positions, shared)]) };
  }
  const groups = new Map<string, { head: IntervalSet<Ordinal>[]; tail: Range[] }>();
  for (const e of elems) {
    const comps = elementComponents(family, kinds, e);
    if ('bad' in comps) return { ok: false, bad: comps.bad };
    const head = comps.slice(0, -1);
    const gk = head.map((h) => h.join(',')).join('|');
    const g = groups.get(gk);
    const last = comps[comps.length - 1]!;
    const tail: Range[] = [];
    for (let k = 0; k < last.length; k += 2) tail.push([last[k]!, last[k + 1]!]);
    if (g) g.tail.push(...tail);
    else groups.set(gk, { head, tail });
  }
  const cubes: Cube[] = [];
  for (const g of groups.values()) cubes.push(cubeOf(family, kinds, [...g.head, I.fromRanges(g.tail)], positions, shared));
  return { ok: true, cubes: PacketSet.fromCubes(family, cubes) };
}

/** One concatenated element's components as value sets, or the part not understood. */
function elementComponents(family: Family, kinds: readonly ValueKind[], e: Json): IntervalSet<Ordinal>[] | { bad: string } {
  const parts = concatParts(e);
  if (!parts || parts.length !== kinds.length) return { bad: JSON.stringify(e) };
  const comps: IntervalSet<Ordinal>[] = [];
  const out: Range[] = [];
  for (let k = 0; k < parts.length; k++) {
    out.length = 0;
    const bad = valueRanges(kinds[k]!, family, parts[k]!, out);
    if (bad !== null) return { bad };
    // One range (a value, a prefix) is already a set: no sort or merge (what fromRanges gives it).
    const one = out.length === 1 ? out[0]! : null;
    comps.push(one !== null ? (one[0] < one[1] ? [one[0], one[1]] : []) : I.fromRanges(out));
  }
  return comps;
}

const FULL_CUBE: Record<Family, Cube> = { ipv4: PacketSet.all('ipv4').cubes[0]!, ipv6: PacketSet.all('ipv6').cubes[0]! };

/** The cube of one group of components, each in its dimension (ICMP kinds as destination ports); one-range components from `shared` when given. */
function cubeOf(family: Family, kinds: readonly ValueKind[], comps: readonly IntervalSet<Ordinal>[], positions: readonly (Dim | undefined)[], shared: OneRangeSets | undefined): Cube {
  const cube = FULL_CUBE[family].slice();
  for (let k = 0; k < comps.length; k++) {
    const c = comps[k]!;
    const d = (ICMP_KINDS.has(kinds[k]!) ? icmpToDport(kinds[k]!, c as IntervalSet<number>) : c) as DimSet;
    cube[positions[k]!] = shared === undefined ? d : shared.share(d);
  }
  return cube;
}

function concatParts(e: Json): Json[] | null {
  if (isObject(e) && soleKey(e) === 'elem' && isObject(e['elem'])) return concatParts(e['elem']['val'] ?? null);
  if (isObject(e) && soleKey(e) === 'concat' && Array.isArray(e['concat'])) return e['concat'];
  return null;
}

