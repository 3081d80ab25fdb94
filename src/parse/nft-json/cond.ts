/**
 * A rule's condition while it is being lowered (one cube of per-dimension sets plus extra
 * packet sets, e.g. from concatenations), and what lowering a match needs to know.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { HostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import type { IntervalSet, Ordinal } from '../../model/interval-set.js';
import { type Cube, DIM_COUNT, type Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { OneRangeSets } from '../../model/one-range-sets.js';
import type { Limiter, Uncertainty } from '../../model/ruleset.js';
import type { NftSet } from './types.js';

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
  /** The load's one-range sets, one array per value for every rule (absent: each rule keeps its own). */
  oneRangeSets?: OneRangeSets;
}

export type NamedSetValue = { ok: true; ranges: IntervalSet<Ordinal> } | { ok: true; cubes: PacketSet } | { ok: false; bad: string };

/** A rule's condition being built: one cube (per-dimension sets) and extra packet sets. */
export interface Cond {
  dims: (DimSet | undefined)[];
  sets: PacketSet[];
  empty: boolean;
  uncertain: Uncertainty[];
  /** Rate and count statements decided for the first connection. */
  limits?: Limiter[];
}

export function newCond(): Cond {
  return { dims: new Array(DIM_COUNT).fill(undefined), sets: [], empty: false, uncertain: [] };
}

export function cloneCond(c: Cond): Cond {
  const out: Cond = { dims: c.dims.slice(), sets: c.sets.slice(), empty: c.empty, uncertain: c.uncertain.slice() };
  if (c.limits) out.limits = c.limits.slice();
  return out;
}

export function restrictDim(c: Cond, dim: Dim, set: DimSet): void {
  const prev = c.dims[dim];
  const next = prev === undefined ? set : I.intersect(prev, set);
  c.dims[dim] = next;
  if (next.length === 0) c.empty = true;
}

/** Every packet and none, one set each per family, shared by the rules that match so (the model is read-only). */
const ALL: Record<Family, PacketSet> = { ipv4: PacketSet.all('ipv4'), ipv6: PacketSet.all('ipv6') };
const NONE: Record<Family, PacketSet> = { ipv4: PacketSet.empty('ipv4'), ipv6: PacketSet.empty('ipv6') };
const FULL: Record<Family, Cube> = { ipv4: ALL.ipv4.cubes[0]!, ipv6: ALL.ipv6.cubes[0]! };

export function condToSet(c: Cond, family: Family, shared?: OneRangeSets): PacketSet {
  if (c.empty) return NONE[family];
  let cube: DimSet[] | null = null;
  for (let k = 0; k < DIM_COUNT; k++) {
    const d = c.dims[k];
    if (d !== undefined) (cube ??= FULL[family].slice())[k] = shared === undefined ? d : shared.share(d);
  }
  // A rule of no condition (`jump mark-for-masquerade`, `goto service-…`) matches every packet.
  if (cube === null && c.sets.length === 0) return ALL[family];
  cube ??= FULL[family].slice();
  // ofCube, not fromCubes: the filtered copy is an array grown by push, 17 slots for one cube,
  // kept by every rule (issue 8: 6 MB of a kube-proxy model).
  let set = PacketSet.ofCube(family, cube);
  for (const s of c.sets) set = set.intersect(s);
  return set;
}

/** Records an uncertainty of the statement being lowered. */
export type Unsure = (kind: Uncertainty['kind'], detail?: string) => void;
