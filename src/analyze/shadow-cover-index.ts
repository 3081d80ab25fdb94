/**
 * The earlier rules of a chain that can overlap a later one, for the shadowed-rule analysis
 * (shadow.ts): a coarse index of the chain's covers by source block, protocol and port.
 *
 * A cover is named by its position in the chain (its order), a small integer: the index's
 * files hold numbers, not objects. A 100,000-address blocklist keeps every cover filed
 * until the chain ends; objects surviving a scavenge are copied, and on this kind of VM each
 * new page of memory costs time on first touch, so a cover costs a map entry and no more.
 *
 * @module
 */
import * as I from '../model/interval-set.js';
import { Dim, type PacketSet } from '../model/packet-set.js';
import type { Rule } from '../model/ruleset.js';
import { MAX_EXPANDED_PORTS } from './engine/rule-index.js';
import { mergeSorted } from './sorted-lists.js';

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
export interface CoarseKey {
  proto: number;
  /** Each destination port when there are few (multiport), else [ANY]. */
  ports: readonly number[];
  /** src[k]: the /LEVELS[k] block holding every source; shorter than LEVELS when the sources spread. */
  src: readonly BlockKey[];
  /** The same for the destinations. */
  dst: readonly BlockKey[];
}

/** The address axis an index files its covers by. */
type AddressAxis = 'src' | 'dst';

/** "proto|port" as one number (either may be {@link ANY}). */
function portKey(proto: number, port: number): number {
  return (proto + 1) * 65_538 + (port + 1);
}

/** The value of a one-value set, else {@link ANY}. */
function single(set: I.IntervalSet<number>): number {
  return set.length === 2 && set[1]! - set[0]! === 1 ? set[0]! : ANY;
}

/** The values of a set of at most {@link MAX_EXPANDED_PORTS} (filed and looked up port by port, as the walk's rule index does), else [ANY]. */
function few(set: I.IntervalSet<number>): readonly number[] {
  const size = I.valueCount(set, MAX_EXPANDED_PORTS);
  if (size === 0 || size > MAX_EXPANDED_PORTS) return ANY_PORT;
  const out: number[] = [];
  for (let i = 0; i < set.length; i += 2) for (let p = set[i]!; p < set[i + 1]!; p++) out.push(p);
  return out;
}

export function coarseKey(match: PacketSet): CoarseKey {
  return {
    proto: single(match.project(Dim.Proto) as I.IntervalSet<number>),
    ports: few(match.project(Dim.Dport) as I.IntervalSet<number>),
    src: addressBlocks(match, Dim.Src),
    dst: addressBlocks(match, Dim.Dst),
  };
}

/** Addresses spread over more than one block of the coarsest level (most rules' destinations). */
const NO_BLOCK: readonly BlockKey[] = Object.freeze([]);

/** The blocks holding every address of `match` on `dim`, coarse to fine, as far down as one block holds them. */
function addressBlocks(match: PacketSet, dim: typeof Dim.Src | typeof Dim.Dst): readonly BlockKey[] {
  const addrs = match.project(dim);
  if (addrs.length === 0) return NO_BLOCK;
  if (match.family === 'ipv4') {
    // IPv4 addresses are numbers below 2^32: shifts, no BigInt per rule.
    const first = addrs[0] as number;
    const last = (addrs[addrs.length - 1] as number) - 1;
    let depth = 0;
    while (depth < LEVELS.ipv4.length && blockOf(first, depth) === blockOf(last, depth)) depth++;
    if (depth === 0) return NO_BLOCK;
    const blocks = new Array<BlockKey>(depth);
    for (let k = 0; k < depth; k++) blocks[k] = blockOf(first, k);
    return blocks;
  }
  const first = BigInt(addrs[0]!);
  const last = BigInt(addrs[addrs.length - 1]!) - 1n;
  const blocks: BlockKey[] = [];
  for (const len of LEVELS[match.family]) {
    const shift = BigInt(128 - len);
    if (first >> shift !== last >> shift) break;
    blocks.push(String(first >> shift));
  }
  return blocks;
}

/** The /LEVELS.ipv4[level] block of an IPv4 address, as a signed 32-bit integer. */
function blockOf(addr: number, level: number): number {
  const len = LEVELS.ipv4[level]!;
  return len === 32 ? addr | 0 : addr >>> (32 - len);
}

/** The covers of one block or port, in rule order: the order itself while it is alone, a list once there are more. */
type Bucket = number | number[];

interface PortFiles {
  at: Map<BlockKey, Map<number, Bucket>>[];
  inside: Map<BlockKey, Map<number, Bucket>>[];
  wide: Map<number, Bucket>;
  filed: Map<number, Bucket>;
}

/**
 * Earlier covers that can overlap a rule. Covers are filed under the finest source block
 * holding them, and under every coarser block as "inside"; a rule then meets only the
 * covers on its own blocks' path and those inside its finest block, so a 5,000-line
 * fail2ban chain in one /24 costs thousands of lookups, not millions of comparisons.
 * Covers whose sources lie in no single block go to a second index of the same kind, by
 * destination block (kube-proxy's nft services chain: thousands of any-source rules, one per
 * service address, on a handful of ports, each met every earlier one on its port); covers
 * spread on both are filed by protocol and port.
 *
 * The "inside" files of a level are built on the first rule whose finest block may hold
 * finer covers, and the by-port files on the first rule with one protocol and a few ports
 * (each from every cover so far, in order, their keys computed again): a blocklist of
 * single addresses asks only for the blocks on its own path, and never pays for the others.
 */
export class CoverIndex {
  /** Under a destination index, every cover of it, in order. */
  private readonly all: number[] = [];
  /** The covers filed by block here (the others are spread). */
  private readonly filed: number[] = [];
  /** Covers whose finest block is this one (maps made on first use: most chains never get a cover). */
  private readonly at: Map<BlockKey, Bucket>[] = [];
  /** Covers whose finest block lies strictly inside this one; undefined until a rule asks. */
  private readonly inside: (Map<BlockKey, Bucket> | undefined)[] = [];
  /** The finest level any cover is filed at: no cover lies inside a block of this level or finer. */
  private deepest = -1;
  private byPort: PortFiles | null = null;
  /** Covers spread on this axis, under a source index: indexed by destination (made on the first). */
  private spread: CoverIndex | null = null;
  /** Covers spread on this axis, under a destination index. */
  private readonly wide: number[] = [];

  /** `rules`: the chain's rules, which covers are positions in. */
  constructor(
    private readonly rules: readonly Rule[],
    private readonly axis: AddressAxis = 'src',
  ) {}

  /** Files the rule at `order` (after every cover filed so far), whose coarse key is `key`. */
  add(order: number, key: CoarseKey): void {
    if (this.axis === 'dst') this.all.push(order);
    const blocks = key[this.axis];
    if (blocks.length === 0) {
      if (this.axis === 'src') (this.spread ??= new CoverIndex(this.rules, 'dst')).add(order, key);
      else this.wide.push(order);
    } else {
      this.filed.push(order);
      const finest = blocks.length - 1;
      if (finest > this.deepest) this.deepest = finest;
      file((this.at[finest] ??= new Map()), blocks[finest]!, order);
      for (let k = 0; k < finest; k++) {
        const inside = this.inside[k];
        if (inside) file(inside, blocks[k]!, order);
      }
    }
    if (this.byPort && (blocks.length > 0 || this.axis === 'dst')) fileByPort(this.byPort, order, key, this.axis);
  }

  /** The covers whose finest block lies strictly inside a /LEVELS[level] block, by block. */
  private insideAt(level: number): Map<BlockKey, Bucket> {
    let files = this.inside[level];
    if (!files) {
      this.inside[level] = files = new Map();
      for (const order of this.filed) {
        const blocks = coarseKey(this.rules[order]!.match)[this.axis];
        if (blocks.length - 1 > level) file(files, blocks[level]!, order);
      }
    }
    return files;
  }

  private portFiles(): PortFiles {
    if (!this.byPort) {
      this.byPort = { at: [], inside: [], wide: new Map(), filed: new Map() };
      for (const order of this.axis === 'src' ? this.filed : this.all) fileByPort(this.byPort, order, coarseKey(this.rules[order]!.match), this.axis);
    }
    return this.byPort;
  }

  /** The covers that may overlap a rule whose coarse key is `k`, in rule order. */
  candidates(k: CoarseKey): readonly number[] {
    const blocks = k[this.axis];
    const specificPort = k.proto !== ANY && k.ports[0] !== ANY;
    const found = new Found();
    if (this.spread) found.list(this.spread.candidates(k));
    if (!specificPort) {
      found.list(this.wide);
      if (blocks.length === 0) {
        // Addresses spread wide: any filed cover may overlap.
        if (this.axis === 'dst') return this.all;
        found.list(this.filed);
        return found.inOrder();
      }
      const finest = blocks.length - 1;
      for (let b = 0; b <= finest; b++) found.bucket(this.at[b]?.get(blocks[b]!));
      // Only a cover filed finer than this rule's finest block can lie inside it.
      if (finest < this.deepest) found.bucket(this.insideAt(finest).get(blocks[finest]!));
    } else {
      const files = this.portFiles();
      const keys = new Set<number>();
      for (const p of k.ports) keys.add(portKey(k.proto, p)).add(portKey(ANY, p));
      keys.add(portKey(k.proto, ANY)).add(portKey(ANY, ANY));
      for (const key of keys) found.bucket(files.wide.get(key));
      if (blocks.length === 0) {
        // Addresses spread wide: any filed cover may overlap; narrow by port.
        for (const key of keys) found.bucket(files.filed.get(key));
      } else {
        const finest = blocks.length - 1;
        const insideFinest = files.inside[finest]?.get(blocks[finest]!);
        for (const key of keys) {
          for (let b = 0; b <= finest; b++) found.bucket(files.at[b]?.get(blocks[b]!)?.get(key));
          found.bucket(insideFinest?.get(key));
        }
      }
    }
    return found.inOrder();
  }
}

/** Files a cover by protocol and port, as `add` files it by block. */
function fileByPort(files: PortFiles, order: number, key: CoarseKey, axis: AddressAxis): void {
  const { proto, ports } = key;
  const blocks = key[axis];
  if (blocks.length === 0) {
    for (const p of ports) file(files.wide, portKey(proto, p), order);
    return;
  }
  const finest = blocks.length - 1;
  for (const p of ports) {
    const key = portKey(proto, p);
    file(files.filed, key, order);
    file(inner((files.at[finest] ??= new Map()), blocks[finest]!), key, order);
    for (let k = 0; k < finest; k++) file(inner((files.inside[k] ??= new Map()), blocks[k]!), key, order);
  }
}

/** The covers of several buckets, gathered into one list in rule order. */
class Found {
  private readonly lists: (readonly number[])[] = [];

  bucket(b: Bucket | undefined): void {
    if (b !== undefined) this.list(typeof b === 'number' ? [b] : b);
  }

  list(list: readonly number[]): void {
    if (list.length > 0) this.lists.push(list);
  }

  /**
   * Each bucket is already in rule order, and most lookups hit one bucket or none: the lists
   * are merged, not concatenated and sorted (a copy, a sort's own, and a filtered copy per
   * rule were a tenth of what a 100,000-rule host's analysis allocated; issue 8).
   */
  inOrder(): readonly number[] {
    return this.lists.reduce<readonly number[]>(mergeSorted, []);
  }
}

function file<K>(map: Map<K, Bucket>, key: K, order: number): void {
  const b = map.get(key);
  if (b === undefined) map.set(key, order);
  else if (typeof b === 'number') map.set(key, [b, order]);
  else b.push(order);
}

function inner(map: Map<BlockKey, Map<number, Bucket>>, block: BlockKey): Map<number, Bucket> {
  let files = map.get(block);
  if (!files) map.set(block, (files = new Map()));
  return files;
}
