/**
 * The shape of a rule line: its words with the constants that vary from rule to rule taken
 * out as holes (numbers and addresses, quoted comments, the chain a rule jumps to). A
 * kube-proxy node writes 76,000 rule lines in a dozen shapes; lines of one shape parse the
 * same way, so lower-template.ts reads a shape once and fills its holes per line (issue 8).
 *
 * One scan per line, no word split: a hash of the literal text and the holes' kinds, and
 * where the holes lie. Two lines have the same shape when their literal text between the
 * holes is the same ({@link sameShape}); the hash only finds candidates.
 *
 * @module
 */
import { KNOWN_TARGETS } from './targets.js';

/** A word that starts with a digit or `[`, or has a colon: an address, a port, a probability, `IP:PORT`, `fd00::1`. */
export const HOLE_NUMBER = 1;
/** A word in double quotes (a comment); the hole is what is between them. */
export const HOLE_QUOTED = 2;
/** The word after `-j`/`-g` when it names a chain of the table. */
export const HOLE_CHAIN = 3;

/** More holes than kube-proxy's lines have (at most 4): such a line is read the long way. */
export const MAX_HOLES = 12;

const FNV_PRIME = 16777619;
const FNV_OFFSET = 0x811c9dc5 | 0;

/** The shape of one line, reused from line to line. */
export class LineShape {
  hash = 0;
  count = 0;
  /** Where hole k starts and ends in the line (inside the quotes of a quoted word). */
  readonly starts = new Int32Array(MAX_HOLES);
  readonly ends = new Int32Array(MAX_HOLES);
  readonly kinds = new Uint8Array(MAX_HOLES);
  /** The chain of the last chain hole, as read for the lookup (its hash computed once, kept by the string). */
  chain = '';

  /**
   * Read the shape of `line` from offset `from` (after `-A CHAIN `). False when a word holds
   * a quote or backslash other than one plain quoted word (escapes change what the tokenizer
   * reads), or when there are too many holes: the line takes the long way.
   */
  scan(line: string, from: number, chains: ReadonlyMap<string, unknown>): boolean {
    const { starts, ends, kinds } = this;
    const n = line.length;
    let h = FNV_OFFSET;
    let count = 0;
    let afterJump = false;
    let i = from;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
        continue;
      }
      let kind = 0;
      let start = i;
      let end: number;
      if (c === 34 /* " */) {
        let j = i + 1;
        while (j < n) {
          const d = line.charCodeAt(j);
          if (d === 34 || d === 92) break;
          j++;
        }
        if (j >= n || line.charCodeAt(j) !== 34) return false;
        const after = j + 1 < n ? line.charCodeAt(j + 1) : 32;
        if (after !== 32 && after !== 9 && after !== 13) return false;
        kind = HOLE_QUOTED;
        start = i + 1;
        end = j;
        i = j + 1;
      } else {
        let j = i;
        while (j < n) {
          const d = line.charCodeAt(j);
          if (d === 32 || d === 9 || d === 13) break;
          if (d === 34 || d === 92) return false;
          j++;
        }
        end = j;
        if ((c >= 48 && c <= 57) || c === 91 /* [ */ || (c !== 45 && hasColon(line, i, j))) kind = HOLE_NUMBER;
        else if (afterJump && c !== 45) {
          const name = line.slice(i, j);
          if (chains.has(name) && !KNOWN_TARGETS.has(name)) {
            kind = HOLE_CHAIN;
            this.chain = name;
          }
        }
        if (kind === 0) for (let k = i; k < j; k++) h = Math.imul(h ^ line.charCodeAt(k), FNV_PRIME);
        i = j;
      }
      // "-j" or "-g": the next word may be a chain.
      afterJump = kind === 0 && end - start === 2 && c === 45 && (line.charCodeAt(start + 1) === 106 || line.charCodeAt(start + 1) === 103);
      if (kind !== 0) {
        if (count === MAX_HOLES) return false;
        starts[count] = start;
        ends[count] = end;
        kinds[count] = kind;
        count++;
        h = Math.imul(h ^ (0x10000 + kind), FNV_PRIME);
      }
    }
    this.hash = h;
    this.count = count;
    return true;
  }
}

function hasColon(line: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (line.charCodeAt(k) === 58) return true;
  return false;
}

/** A shape kept with the line it was read from (a template's). */
export interface KeptShape {
  line: string;
  from: number;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  kinds: Uint8Array;
}

/** A copy of `shape` (read from `line`, body at `from`) that later scans do not overwrite. */
export function keepShape(shape: LineShape, line: string, from: number): KeptShape {
  const count = shape.count;
  return { line, from, count, starts: shape.starts.slice(0, count), ends: shape.ends.slice(0, count), kinds: shape.kinds.slice(0, count) };
}

/** Whether `line` (body at `from`, scanned into `shape`) has the kept shape: the same holes and the same text between them. */
export function sameShape(line: string, from: number, shape: LineShape, kept: KeptShape): boolean {
  const count = shape.count;
  if (count !== kept.count) return false;
  const other = kept.line;
  let a = from;
  let b = kept.from;
  for (let k = 0; k <= count; k++) {
    const aEnd = k < count ? shape.starts[k]! : line.length;
    const bEnd = k < count ? kept.starts[k]! : other.length;
    if (aEnd - a !== bEnd - b) return false;
    for (let x = a, y = b; x < aEnd; x++, y++) if (line.charCodeAt(x) !== other.charCodeAt(y)) return false;
    if (k < count) {
      if (shape.kinds[k] !== kept.kinds[k]) return false;
      a = shape.ends[k]!;
      b = kept.ends[k]!;
    }
  }
  return true;
}
