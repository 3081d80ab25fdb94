/**
 * A snapshot read from its file's bytes, its long firewall dumps decoded on first read
 * (issue 8). Same value, same diagnostics as {@link parseSnapshot} of the decoded text: any
 * doubt (a damaged literal, a placeholder not where a dump goes, a schema error) parses the
 * whole text instead.
 *
 * @module
 */
import type { Parsed } from '../../model/diagnostics.js';
import type { FirewallSource, Snapshot } from '../../model/snapshot.js';
import { parseSnapshot } from '../snapshot.js';
import { decodeLiteralInPlace } from './json-string-literal.js';
import { type NftDumpShape, escapedNftDumpShape } from './nft-dump-shape.js';
import { type AsideLiteral, setAsideContents } from './set-aside.js';

export { type NftDumpShape, nftDumpShape } from './nft-dump-shape.js';

interface Aside {
  bytes: Uint8Array;
  literal: AsideLiteral;
}

/** Sources whose content is still bytes. */
const undecoded = new WeakMap<FirewallSource, Aside>();

/** Reads the snapshot in `bytes`, which become its own: a dump's text is decoded over its bytes when first read. */
export function parseSnapshotBytes(bytes: Uint8Array, file: string): Parsed<Snapshot | null> {
  const whole = (): Parsed<Snapshot | null> => parseSnapshot(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
  const split = setAsideContents(bytes, Math.random().toString(36).slice(2));
  if (split === null || split.aside.length === 0) return whole();
  const parsed = parseSnapshot(split.json, file);
  if (parsed.value === null) return whole();
  const found = new Map<number, FirewallSource>();
  for (const source of parsed.value.firewall) {
    const i = split.aside.findIndex((_, k) => source.content === split.placeholder(k));
    if (i >= 0 && !found.has(i)) found.set(i, source);
    else if (i >= 0) return whole();
  }
  if (found.size !== split.aside.length) return whole();
  for (const [i, source] of found) setAside(source, { bytes, literal: split.aside[i]! });
  return parsed;
}

/** `content` becomes a property read from the bytes on first use (and written like any other). */
function setAside(source: FirewallSource, aside: Aside): void {
  undecoded.set(source, aside);
  const settle = (value: string | undefined): void => {
    undecoded.delete(source);
    Object.defineProperty(source, 'content', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(source, 'content', {
    enumerable: true,
    configurable: true,
    get() {
      // Read once (settle drops the bytes' entry), so the text may be written over its bytes.
      const text = decodeLiteralInPlace(aside.bytes, aside.literal.start, aside.literal.end, aside.literal.unicodeEscape);
      settle(text);
      return text;
    },
    set: settle,
  });
}

/** Whether a source's dump is still undecoded bytes. */
export function isSetAside(source: FirewallSource): boolean {
  return undecoded.has(source);
}

/**
 * The shape of an nft-json source's dump read without decoding it, when it is still bytes
 * and the bytes decide it; undefined otherwise (read `content` and use nftDumpShape).
 */
export function undecodedNftShape(source: FirewallSource): NftDumpShape | null | undefined {
  const aside = undecoded.get(source);
  if (!aside) return undefined;
  return escapedNftDumpShape(aside.bytes, aside.literal.start, aside.literal.end, aside.literal.unicodeEscape);
}
