/**
 * The text stableStringify writes, in pieces of about `chunkChars` characters: a large report
 * never exists as one string. JSON.stringify builds its result as a tree of parts that is
 * copied into one string (two bytes a character as soon as one "…" appears) before the escape
 * search reads it, copied again to add the newline, then encoded to UTF-8: four copies of an
 * 8 MB report, each page touched for the first time (issue 8). Here keys are sorted as they
 * are written, so the value is not copied first either.
 *
 * @module
 */
import { escapeUnsafeJson } from './stable-json.js';

/** A canonical array index ("0", "17"; not "017" or "4294967295"). */
function isIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  return (key === '0' || (c !== 48 && /^\d+$/.test(key))) && Number(key) < 4294967295;
}

/**
 * Keys in the order stableStringify's sorted copy holds them: the copy is a plain object,
 * which lists index keys first in numeric order, then the others in the order inserted.
 */
function orderOf(unordered: string[]): string[] {
  const keys = sortStrings(unordered);
  if (!keys.some(isIndex)) return keys;
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isIndex(k))];
}

/**
 * The written order of the key lists met last, by their first key: a report's 200,000 objects
 * have a few dozen shapes, each met thousands of times in a row, so a list equal (key by key)
 * to the one remembered takes its order without sorting or testing for index keys again
 * (issue 8).
 */
interface KeyOrder {
  readonly keys: readonly string[];
  readonly ordered: readonly string[];
}

/** `orderOf(keys)`, for `keys = Object.keys(value)`, from `known` when that list was met last. */
function rememberedOrder(keys: string[], known: Map<string, KeyOrder>): readonly string[] {
  const n = keys.length;
  if (n === 0) return keys;
  const last = known.get(keys[0]!);
  if (last !== undefined && last.keys.length === n) {
    let k = 1;
    while (k < n && last.keys[k] === keys[k]) k++;
    if (k === n) return last.ordered;
  }
  const copy = keys.slice();
  const ordered = orderOf(keys);
  if (known.size >= 4096) known.clear();
  known.set(copy[0]!, { keys: copy, ordered });
  return ordered;
}

/** Up to this many keys are sorted in place by insertion; more go to Array.prototype.sort. */
const FEW_KEYS = 16;

/**
 * `keys.sort()`, in place. A report has some 200,000 objects of a few keys each, and the
 * built-in sort allocates a work array per call: a third of what writing kube-nft-5000's
 * report allocated (issue 8). `<` on strings compares UTF-16 code units, as sort() does.
 */
function sortStrings(keys: string[]): string[] {
  if (keys.length > FEW_KEYS) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * `JSON.stringify(key) + colon` per distinct key and colon: a report's keys are a few dozen
 * names, each written thousands of times, and every piece joined per key was a string made.
 */
const KEY_TEXTS = new Map<string, Map<string, string>>();

function keyText(key: string, colon: string): string {
  let texts = KEY_TEXTS.get(colon);
  if (!texts) KEY_TEXTS.set(colon, (texts = new Map()));
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size >= 4096) texts.clear();
    texts.set(key, (text = JSON.stringify(key) + colon));
  }
  return text;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function isOmitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Lists this long or longer are looked up among those already written (see RepeatedLists). */
const LONG_LIST = 64;
/** At most this many characters of list texts are kept per document (~8 MB: a 100,000-rule host's peak is near its 500 MB goal). */
const MAX_KEPT_CHARS = 8_000_000;

/**
 * The texts of long lists of strings met more than once in one document, by identity (issue
 * 8): services behind the same rules share one list of up to 10,000 source prefixes (reach.ts,
 * cidrsOf), and iptables-10000's report wrote one such list 132 times, nine tenths of its
 * 58 MB, a JSON.stringify and a concatenation per prefix each time. A document is written at
 * once from a value nobody edits meanwhile, so a list's text at one depth is the same each
 * time. Only a list met a second time is kept: lists written once cost no memory.
 */
class RepeatedLists {
  private readonly seen = new Set<readonly unknown[]>();
  private readonly kept = new Map<readonly unknown[], { depth: number; pieces: readonly string[] }>();
  private chars = 0;

  /**
   * The list's text at `depth`, in escaped pieces, when it is kept or worth keeping now; else
   * null (the caller writes it item by item).
   */
  pieces(list: readonly unknown[], depth: number, build: () => string[] | null): readonly string[] | null {
    const known = this.kept.get(list);
    if (known !== undefined && known.depth === depth) return known.pieces;
    if (!this.seen.has(list)) {
      this.seen.add(list);
      return null;
    }
    if (this.chars >= MAX_KEPT_CHARS) return null;
    const pieces = build();
    if (pieces === null) return null;
    this.kept.set(list, { depth, pieces });
    for (const p of pieces) this.chars += p.length;
    return pieces;
  }
}

/**
 * `stableStringify(value, indent) + end`, as pieces whose concatenation is those bytes. A
 * piece ends between two tokens, never inside a string, so each can be encoded on its own.
 */
export function stableJsonChunks(value: unknown, indent = 2, end = '', chunkChars = 1 << 16): string[] {
  const chunks: string[] = [];
  stableJsonEach(value, (piece) => chunks.push(piece), indent, end, chunkChars);
  return chunks;
}

/**
 * The same pieces, each handed to `emit` as soon as it is written and kept by nobody here:
 * a consumer that writes them out never holds the whole report (issue 8: kept until written,
 * the pieces of the 100,000-rule host's 271 MB report took its peak from 380 MB to 600 MB).
 */
export function stableJsonEach(value: unknown, emit: (piece: string) => void, indent = 2, end = '', chunkChars = 1 << 16): void {
  let buf = '';
  const breaks: string[] = [];
  // Newline and indentation at a depth; JSON.stringify writes none without an indent.
  const lineAt = (depth: number): string => (indent === 0 ? '' : (breaks[depth] ??= '\n' + ' '.repeat(depth * indent)));
  const colon = indent === 0 ? ':' : ': ';
  // "{", "[" or "," with the line break after it, and the break before "}" or "]", per depth: made once.
  const pieces: Record<string, string[]> = { '{': [], '[': [], ',': [], '}': [], ']': [] };
  const before = (mark: '{' | '[' | ',', depth: number): string => (pieces[mark]![depth] ??= mark + lineAt(depth));
  const after = (mark: '}' | ']', depth: number): string => (pieces[mark]![depth] ??= lineAt(depth) + mark);
  const keyOrders = new Map<string, KeyOrder>();
  let emitted = false;
  const lists = new RepeatedLists();
  /**
   * A list of strings as writeArray writes it, in escaped pieces of about `chunkChars` (so a
   * file writer copies each into its buffer, no piece as big as a whole list); null when some
   * item is not a string.
   */
  const stringListPieces = (arr: readonly unknown[], depth: number): string[] | null => {
    const pieces: string[] = [];
    let text = '';
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== 'string') return null;
      text += before(i === 0 ? '[' : ',', depth + 1) + JSON.stringify(v);
      if (text.length >= chunkChars) {
        pieces.push(escapeUnsafeJson(text));
        text = '';
      }
    }
    pieces.push(escapeUnsafeJson(text + after(']', depth)));
    return pieces;
  };
  const flush = (): void => {
    if (buf.length >= chunkChars) {
      emit(escapeUnsafeJson(buf));
      emitted = true;
      buf = '';
    }
  };

  function write(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        buf += JSON.stringify(v);
        return;
      case 'number':
        buf += Number.isFinite(v) ? String(v) : 'null';
        return;
      case 'boolean':
        buf += v ? 'true' : 'false';
        return;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object':
        if (v === null) buf += 'null';
        else if (Array.isArray(v)) writeArray(v, depth);
        else writeObject(v, depth);
        return;
      default:
        buf += 'null'; // undefined, a function or a symbol in an array (an object leaves them out)
    }
  }

  function writeArray(arr: readonly unknown[], depth: number): void {
    if (arr.length === 0) {
      buf += '[]';
      return;
    }
    const kept = arr.length >= LONG_LIST ? lists.pieces(arr, depth, () => stringListPieces(arr, depth)) : null;
    if (kept !== null) {
      // What was written so far goes first, then the list's own pieces as they are.
      if (buf.length > 0) emit(escapeUnsafeJson(buf));
      for (const piece of kept) emit(piece);
      emitted = true;
      buf = '';
      return;
    }
    for (let i = 0; i < arr.length; i++) {
      buf += before(i === 0 ? '[' : ',', depth + 1);
      write(arr[i], depth + 1);
      flush();
    }
    buf += after(']', depth);
  }

  function writeObject(obj: object, depth: number): void {
    const record = obj as Record<string, unknown>;
    let first = true;
    const keys = rememberedOrder(Object.keys(obj), keyOrders);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      // The sorted copy's "__proto__" assignment sets its prototype: JSON never sees that key.
      if (key === '__proto__') continue;
      const v = record[key];
      if (isOmitted(v)) continue;
      buf += before(first ? '{' : ',', depth + 1) + keyText(key, colon);
      first = false;
      write(v, depth + 1);
      flush();
    }
    buf += first ? '{}' : after('}', depth);
  }

  if (isOmitted(value)) throw new TypeError('stableJsonChunks: the value has no JSON text');
  write(value, 0);
  buf += end;
  if (buf.length > 0 || !emitted) emit(escapeUnsafeJson(buf));
}
