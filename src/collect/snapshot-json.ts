/**
 * A snapshot as JSON text in a stable key order: the order of the schema's `properties`
 * (format and version first), map keys such as sysctl names sorted. Two collections of an
 * unchanged host then differ only in collectedAt, so snapshots diff well.
 *
 * @module
 */
import type { Snapshot } from '../model/snapshot.js';
import { isHighSurrogate, isLowSurrogate } from '../model/utf16.js';
import { SNAPSHOT_SCHEMA } from '../parse/snapshot-schema.js';

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; $ref?: string; additionalProperties?: unknown };

const DEFINITIONS = SNAPSHOT_SCHEMA.definitions as unknown as Record<string, SchemaNode>;

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node?.$ref?.startsWith('#/definitions/')) return DEFINITIONS[node.$ref.slice('#/definitions/'.length)];
  return node;
}

/** Replaces a string value on its way into the ordered copy (the pieces' placeholders), or keeps it. */
type StringHook = (s: string) => string;

function ordered(value: unknown, schema: SchemaNode | undefined, hook?: StringHook): unknown {
  const node = resolve(schema);
  if (Array.isArray(value)) return value.map((v) => ordered(v, resolve(node?.items), hook));
  if (typeof value === 'string') return hook ? hook(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const known = Object.keys(node?.properties ?? {}).filter((k) => k in obj);
  const rest = Object.keys(obj)
    .filter((k) => !known.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const k of known) out[k] = ordered(obj[k], node?.properties?.[k], hook);
  for (const k of rest) out[k] = ordered(obj[k], undefined, hook);
  return out;
}

/** JSON with 2-space indent and a trailing newline. */
export function snapshotToJson(snapshot: Snapshot): string {
  return JSON.stringify(ordered(snapshot, SNAPSHOT_SCHEMA as unknown as SchemaNode), null, 2) + '\n';
}

/** Strings at least this long (the firewall dumps) are written in pieces of this many UTF-16 units. */
const PIECE_UNITS = 1 << 16;

/**
 * The text of {@link snapshotToJson} as pieces, none longer than ~6 × {@link PIECE_UNITS}
 * characters, each handed to `emit` as it is made (the shape of the CLI's `PieceSource`): the
 * dumps' long strings are escaped a slice at a time, so neither the JSON nor its UTF-8 copy
 * exists whole (issue 8: f2b-ipset-50000's 1.9 MB snapshot was made as one string and one UTF-8
 * copy, ~4 MB of fresh memory, each MB ~2.6 ms of page faults on this VM, on the critical path
 * of `collect`). The pieces joined are exactly snapshotToJson's text. One by one, because held
 * in an array until written, the ~30 escaped slices of f2b-ipset-50000's `ipset save` outlived a
 * dozen scavenges each and were copied into the old generation (~10 ms of collect's tail after
 * its last dump); handed over one by one, each dies young. The placeholders are checked before
 * the first piece goes out.
 */
export function snapshotJsonSource(snapshot: Snapshot): { each(emit: (piece: string) => void): void } {
  return { each: (emit) => emitPieces(snapshot, emit) };
}

function emitPieces(snapshot: Snapshot, emit: (piece: string) => void): void {
  const long: string[] = [];
  const marker = (i: number) => `\u0000portcullis-piece-${i}\u0000`;
  const hook = (s: string) => (s.length < PIECE_UNITS ? s : marker(long.push(s) - 1));
  const skeleton = JSON.stringify(ordered(snapshot, SNAPSHOT_SCHEMA as unknown as SchemaNode, hook), null, 2) + '\n';
  if (long.length === 0) return emit(skeleton);
  // Each placeholder is a whole string value, so it stands in the text as "\u0000portcullis-piece-i\u0000".
  // A host string ending in such text could look the same: then each is not found exactly once,
  // and the snapshot is made whole, as snapshotToJson makes it.
  const quoted = long.map((_, i) => JSON.stringify(marker(i)));
  const at = quoted.map((q) => skeleton.indexOf(q));
  const once = at.every((p, i) => p >= 0 && skeleton.indexOf(quoted[i]!, p + 1) < 0) && at.every((p, i) => i === 0 || p > at[i - 1]!);
  if (!once) return emit(snapshotToJson(snapshot));
  let from = 0;
  long.forEach((s, i) => {
    emit(skeleton.slice(from, at[i]! + 1));
    emitEscaped(emit, s);
    from = at[i]! + quoted[i]!.length - 1;
  });
  emit(skeleton.slice(from));
}

/** `s` as JSON.stringify escapes it, without its quotes, a slice at a time; a slice never ends between the halves of a surrogate pair. */
function emitEscaped(emit: (piece: string) => void, s: string): void {
  for (let from = 0; from < s.length; ) {
    let to = Math.min(s.length, from + PIECE_UNITS);
    // A pair cut in two would be escaped as two lone surrogates (\udXXX), not passed through.
    if (to < s.length && isHighSurrogate(s.charCodeAt(to - 1)) && isLowSurrogate(s.charCodeAt(to))) to--;
    const escaped = JSON.stringify(s.slice(from, to));
    emit(escaped.slice(1, -1));
    from = to;
  }
}
