/**
 * Rules no packet can reach, as Batfish's filterLineReachability finds them: within a
 * chain, a rule is shadowed when the earlier rules that certainly end the chain's walk
 * (accept, drop, reject, return, goto, NAT) already match everything it matches. A rule
 * with an uncertain construct never shadows another (it may not match), and jumps never do
 * (the packet may come back).
 *
 * Each chain is judged on its own, over the whole packet space; a rule can also be dead
 * because no caller ever sends it the packets it matches, which this does not claim.
 *
 * @module
 */
import * as I from '../model/interval-set.js';
import { DIM_COUNT, Dim, type PacketSet } from '../model/packet-set.js';
import type { Chain, FirewallModel, Rule } from '../model/ruleset.js';
import { ruleRef } from './engine/refs.js';
import type { ShadowedRule } from './types.js';

const ENDS_WALK = new Set(['accept', 'drop', 'reject', 'return', 'goto', 'dnat', 'snat', 'queue']);

/**
 * An earlier rule that certainly ends the walk, with its coarse position. One object per
 * cover (it is its own key): a 100,000-rule blocklist keeps 100,000 of them alive through
 * the chain, and every object that survives a scavenge is copied, so fewer is faster.
 */
interface Cover extends CoarseKey {
  order: number;
  rule: Rule;
  match: PacketSet;
  protoSet: I.IntervalSet<number>;
  portSet: I.IntervalSet<number>;
}

/** Source block sizes (prefix lengths) the cover index buckets by, coarse to fine. */
const LEVELS = { ipv4: [8, 16, 24, 32], ipv6: [16, 32, 48, 64, 96, 128] } as const;

/** Stands for "any" (several values) in a coarse protocol or port. */
const ANY = -1;

/** The port list of every match with many ports: shared, as most rules have it. */
const ANY_PORT: readonly number[] = Object.freeze([ANY]);

/**
 * A source block, as a key of its level's map: the block number for IPv4 (as a signed 32-bit
 * integer, which V8 keeps unboxed), a string for IPv6. Not "len:block" strings: a
 * 50,000-rule blocklist files each rule under four blocks, and building those strings and
 * hashing them was most of the analysis.
 */
type BlockKey = number | string;

/**
 * Coarse position of a match: its protocol and port when single ({@link ANY} otherwise), and
 * the blocks holding all its sources at each level, as far down as one block holds them all.
 */
interface CoarseKey {
  proto: number;
  /** Each destination port when there are few (multiport), else [ANY]. */
  ports: readonly number[];
  /** blocks[k]: the /LEVELS[k] block holding every source; shorter than LEVELS when the sources spread. */
  blocks: BlockKey[];
}

/** "proto|port" as one number (either may be {@link ANY}). */
function portKey(proto: number, port: number): number {
  return (proto + 1) * 65_538 + (port + 1);
}

/** The value of a one-value set, else {@link ANY}. */
function single(set: I.IntervalSet<number>): number {
  return set.length === 2 && set[1]! - set[0]! === 1 ? set[0]! : ANY;
}

/** The values of a set of at most 16, else [ANY]; counts the set's size before listing it. */
function few(set: I.IntervalSet<number>): readonly number[] {
  let size = 0;
  for (let i = 0; i < set.length && size <= 16; i += 2) size += set[i + 1]! - set[i]!;
  if (size === 0 || size > 16) return ANY_PORT;
  const out: number[] = [];
  for (let i = 0; i < set.length; i += 2) for (let p = set[i]!; p < set[i + 1]!; p++) out.push(p);
  return out;
}

function coarseKey(match: PacketSet, protos: I.IntervalSet<number>, ports: I.IntervalSet<number>): CoarseKey {
  return { proto: single(protos), ports: few(ports), blocks: sourceBlocks(match) };
}

function sourceBlocks(match: PacketSet): BlockKey[] {
  const src = match.project(Dim.Src);
  const bits = match.family === 'ipv4' ? 32 : 128;
  const blocks: BlockKey[] = [];
  if (src.length > 0 && match.family === 'ipv4') {
    // IPv4 addresses are numbers below 2^32: plain division, no BigInt per rule.
    const first = src[0] as number;
    const last = (src[src.length - 1] as number) - 1;
    for (const len of LEVELS.ipv4) {
      const size = 2 ** (bits - len);
      const block = Math.floor(first / size);
      if (block !== Math.floor(last / size)) break;
      blocks.push(block | 0);
    }
  } else if (src.length > 0) {
    const first = BigInt(src[0]!);
    const last = BigInt(src[src.length - 1]!) - 1n;
    for (const len of LEVELS[match.family]) {
      const shift = BigInt(bits - len);
      if (first >> shift !== last >> shift) break;
      blocks.push(String(first >> shift));
    }
  }
  return blocks;
}

/**
 * A file of covers in rule order: the cover itself while it is alone (most blocks of a
 * blocklist hold one rule), a list once there are more.
 */
type Bucket = Cover | Cover[];

/** Per level, buckets by block. */
type Levels = Map<BlockKey, Bucket>[];

/** Per level, buckets by block and port key. */
type PortLevels = Map<BlockKey, Map<number, Bucket>>[];

/**
 * Earlier covers that can overlap a rule. Covers are filed under the finest source block
 * holding them, and under every coarser block as "inside"; a rule then meets only the
 * covers on its own blocks' path and those inside its finest block, so a 5,000-line
 * fail2ban chain in one /24 costs thousands of lookups, not millions of comparisons.
 * Covers with sources in no single block are filed by protocol and port.
 *
 * The "inside" files of a level are built on the first rule whose finest block is at that
 * level (from every cover so far, in order), and the by-port files on the first rule with
 * one protocol and a few ports: a blocklist of single addresses asks only for the blocks on
 * its own path, and never pays for the others.
 */
class CoverIndex {
  private readonly all: Cover[] = [];
  /** Covers whose finest block is this one (maps made on first use: most chains never get a cover). */
  private readonly at: Levels = [];
  /** Covers whose finest block lies strictly inside this one; undefined until a rule asks. */
  private readonly inside: (Map<BlockKey, Bucket> | undefined)[] = [];
  private readonly wide: Cover[] = [];
  /** The finest level any cover is filed at: no cover lies inside a block of this level or finer. */
  private deepest = -1;
  private byPort: { at: PortLevels; inside: PortLevels; wide: Map<number, Bucket>; filed: Map<number, Bucket> } | null = null;

  isEmpty(): boolean {
    return this.all.length === 0;
  }

  add(c: Cover): void {
    this.all.push(c);
    const { blocks } = c;
    if (blocks.length === 0) this.wide.push(c);
    else {
      const finest = blocks.length - 1;
      if (finest > this.deepest) this.deepest = finest;
      file((this.at[finest] ??= new Map()), blocks[finest]!, c);
      for (let k = 0; k < finest; k++) {
        const inside = this.inside[k];
        if (inside) file(inside, blocks[k]!, c);
      }
    }
    if (this.byPort) this.fileByPort(c);
  }

  /** The covers whose finest block lies strictly inside a /LEVELS[level] block, by block. */
  private insideAt(level: number): Map<BlockKey, Bucket> {
    let files = this.inside[level];
    if (!files) {
      this.inside[level] = files = new Map();
      for (const c of this.all) if (c.blocks.length - 1 > level) file(files, c.blocks[level]!, c);
    }
    return files;
  }

  /** Files a cover by protocol and port, as `add` files it by block. */
  private fileByPort(c: Cover): void {
    const files = this.byPort!;
    const { blocks, proto, ports } = c;
    if (blocks.length === 0) {
      for (const p of ports) file(files.wide, portKey(proto, p), c);
      return;
    }
    const finest = blocks.length - 1;
    for (const p of ports) {
      const key = portKey(proto, p);
      file(files.filed, key, c);
      file(inner((files.at[finest] ??= new Map()), blocks[finest]!), key, c);
      for (let k = 0; k < finest; k++) file(inner((files.inside[k] ??= new Map()), blocks[k]!), key, c);
    }
  }

  candidates(k: CoarseKey): readonly Cover[] {
    const specificPort = k.proto !== ANY && k.ports[0] !== ANY;
    const found = new Found();
    if (!specificPort) {
      found.list(this.wide);
      // Sources spread wide: any filed cover may overlap.
      if (k.blocks.length === 0) return this.all;
      const finest = k.blocks.length - 1;
      for (let b = 0; b <= finest; b++) found.bucket(this.at[b]?.get(k.blocks[b]!));
      // A blocklist of single addresses never needs the "inside" files: none is finer.
      if (finest < this.deepest) found.bucket(this.insideAt(finest).get(k.blocks[finest]!));
    } else {
      if (!this.byPort) {
        this.byPort = { at: [], inside: [], wide: new Map(), filed: new Map() };
        for (const c of this.all) this.fileByPort(c);
      }
      const files = this.byPort;
      const keys = new Set<number>();
      for (const p of k.ports) keys.add(portKey(k.proto, p)).add(portKey(ANY, p));
      keys.add(portKey(k.proto, ANY)).add(portKey(ANY, ANY));
      for (const key of keys) found.bucket(files.wide.get(key));
      if (k.blocks.length === 0) {
        // Sources spread wide: any filed cover may overlap; narrow by port.
        for (const key of keys) found.bucket(files.filed.get(key));
      } else {
        const finest = k.blocks.length - 1;
        const insideFinest = files.inside[finest]?.get(k.blocks[finest]!);
        for (const key of keys) {
          for (let b = 0; b <= finest; b++) found.bucket(files.at[b]?.get(k.blocks[b]!)?.get(key));
          found.bucket(insideFinest?.get(key));
        }
      }
    }
    return found.inOrder();
  }
}

/** The covers of several buckets, gathered into one list in rule order. */
class Found {
  private first: readonly Cover[] | null = null;
  private more: Cover[] | null = null;

  bucket(b: Bucket | undefined): void {
    if (b !== undefined) this.list(Array.isArray(b) ? b : [b]);
  }

  list(list: readonly Cover[]): void {
    if (list.length === 0) return;
    if (this.first === null) this.first = list;
    else (this.more ??= [...this.first]).push(...list);
  }

  /** Each bucket is already in rule order; most lookups hit one bucket or none. */
  inOrder(): readonly Cover[] {
    if (this.more === null) return this.first ?? [];
    const all = this.more.sort((a, b) => a.order - b.order);
    return all.filter((c, i) => i === 0 || all[i - 1] !== c);
  }
}

function file<K>(map: Map<K, Bucket>, key: K, c: Cover): void {
  const b = map.get(key);
  if (b === undefined) map.set(key, c);
  else if (Array.isArray(b)) b.push(c);
  else map.set(key, [b, c]);
}

function inner(map: Map<BlockKey, Map<number, Bucket>>, block: BlockKey): Map<number, Bucket> {
  let files = map.get(block);
  if (!files) map.set(block, (files = new Map()));
  return files;
}

/**
 * How much comparing the analysis may do (earlier covers met by later rules, summed over
 * chains) before it stops: a deterministic bound, so that a pathological ruleset gets an
 * honest "not analysed" instead of a hang, and the same input always gets the same report.
 */
export class ShadowBudget {
  private used = 0;
  /** Chains (by id) whose rules from `from` on were not analysed, with how many rules that is. */
  readonly skipped: { chain: string; from: number; rules: number }[] = [];
  constructor(readonly limit = DEFAULT_WORK_LIMIT) {}

  /** Charge `work`; false once the limit is passed. */
  spend(work: number): boolean {
    this.used += work;
    return this.used <= this.limit;
  }

  exhausted(): boolean {
    return this.used > this.limit;
  }
}

/** Comparisons allowed per family: a bound for pathological rulesets (every rule meeting thousands of earlier covers), seconds of work. */
const DEFAULT_WORK_LIMIT = 50_000_000;

export function findShadowedRules(model: FirewallModel, budget = new ShadowBudget()): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const reachable = reachableChains(model);
  for (const chain of model.chains.values()) {
    if (!reachable.has(chain.id)) {
      // A user chain no base chain ever jumps to: none of its rules sees a packet.
      for (const rule of chain.rules) out.push({ rule: ruleRef(chain, rule), kind: 'unreachable', coveredBy: [] });
      continue;
    }
    out.push(...shadowedIn(chain, budget));
  }
  return out;
}

/**
 * A necessary condition, cheap to test: on every dimension, the covers' values must include
 * the rule's. Most rules fail it at once, sparing the exact (and costly) set difference.
 */
function coveredOnEveryAxis(match: PacketSet, covers: readonly Cover[]): boolean {
  for (let d = 0; d < DIM_COUNT; d++) {
    const own = match.project(d as Dim);
    // Covers matching everything on this axis (the common case off the source axis) settle it at once.
    if (covers.some((c) => I.isSubset(own, c.match.project(d as Dim)))) continue;
    if (!enoughToCover(own, covers, d as Dim)) return false;
    if (!I.isSubset(own, I.unionAll(covers.map((c) => c.match.project(d as Dim))))) return false;
  }
  return true;
}

/**
 * Whether the covers' values on axis `d`, counted within the rule's bounds, add up to at least
 * the rule's own count: necessary for their union to hold the rule's, and a sum needs no
 * sort. The catch-all RETURN after a 100,000-address blocklist fails it at once instead of
 * sorting 100,000 ranges. Number axes only (IPv6 addresses and interface names say yes).
 */
function enoughToCover(own: I.IntervalSet<I.Ordinal>, covers: readonly Cover[], d: Dim): boolean {
  if (typeof own[0] !== 'number') return true;
  const lo = own[0];
  const hi = own[own.length - 1] as number;
  let need = 0;
  for (let k = 0; k < own.length; k += 2) need += (own[k + 1] as number) - (own[k] as number);
  let have = 0;
  for (const c of covers) {
    const set = c.match.project(d) as I.IntervalSet<number>;
    for (let k = 0; k < set.length; k += 2) {
      const from = Math.max(set[k]!, lo);
      const to = Math.min(set[k + 1]!, hi);
      if (to > from) have += to - from;
    }
    if (have >= need) return true;
  }
  return false;
}

/** Chains a packet can enter: base chains and everything they jump or go to. */
function reachableChains(model: FirewallModel): Set<string> {
  const seen = new Set<string>();
  const stack = model.baseChains.map((b) => b.chain);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const rule of model.chains.get(id)?.rules ?? []) {
      if ((rule.action.type === 'jump' || rule.action.type === 'goto') && !rule.match.isEmpty() && !seen.has(rule.action.chain)) stack.push(rule.action.chain);
    }
  }
  return seen;
}

/** Past this many cubes the exact difference is abandoned: the rule is not claimed dead. */
const MAX_CUBES = 256;

function shadowedIn(chain: Chain, budget: ShadowBudget): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const covers = new CoverIndex();
  for (let order = 0; order < chain.rules.length; order++) {
    const rule = chain.rules[order]!;
    if (rule.match.isEmpty()) continue;
    // A limited rule decides only some connections: it covers nothing.
    const isCover = rule.uncertain.length === 0 && !rule.limits && ENDS_WALK.has(rule.action.type);
    // Before the first cover nothing can be shadowed, and a rule that covers nothing adds nothing:
    // kube-proxy's thousands of jump-only chains cost one test per rule.
    if (covers.isEmpty() && !isCover) continue;
    const protos = rule.match.project(Dim.Proto) as I.IntervalSet<number>;
    const ports = rule.match.project(Dim.Dport) as I.IntervalSet<number>;
    const key = coarseKey(rule.match, protos, ports);
    const candidates = covers.candidates(key);
    if (budget.exhausted() || !budget.spend(candidates.length + 1)) {
      budget.skipped.push({ chain: chain.id, from: order, rules: chain.rules.length - order });
      break;
    }
    // Cheap projections first: most earlier rules are about other protocols or ports.
    const touching = candidates.filter((c) => I.intersects(c.protoSet, protos) && I.intersects(c.portSet, ports) && c.match.intersects(rule.match));
    let remaining = touching.length > 0 && coveredOnEveryAxis(rule.match, touching) ? rule.match : null;
    const by: Cover[] = [];
    for (const c of remaining ? touching : []) {
      if (!c.match.intersects(remaining!)) continue;
      remaining = remaining!.difference(c.match, { merge: false });
      by.push(c);
      if (remaining.isEmpty() || remaining.cubes.length > MAX_CUBES) break;
    }
    if (remaining?.isEmpty()) {
      out.push({ rule: ruleRef(chain, rule), kind: 'shadowed', coveredBy: by.slice(0, 3).map((c) => ruleRef(chain, c.rule)) });
    }
    if (isCover) covers.add({ order, rule, match: rule.match, protoSet: protos, portSet: ports, proto: key.proto, ports: key.ports, blocks: key.blocks });
  }
  return out;
}
