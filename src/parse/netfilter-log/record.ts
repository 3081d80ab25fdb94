/**
 * The record the parser fills, line after line. Its source and destination addresses stay
 * bytes until read: a fold keys most sources by number (`srcV4`) and never reads `dst`, so
 * most lines make no string for them (a string per line was a fifth of the parse).
 *
 * @module
 */
import type { NetfilterRecord } from './types.js';

export class ParsedRecord implements NetfilterRecord {
  time = 0;
  prefix = '';
  drop = true;
  inIface = '';
  outIface = '';
  srcV4 = -1;
  family: 4 | 6 = 4;
  proto = '';
  spt = -1;
  dpt = -1;
  icmpType = -1;
  icmpCode = -1;
  tcpFlags = 0;
  // Each address is text, or bytes [from, to) of a buffer not yet decoded (buffer set); # keeps them out of `{ ...rec }`.
  #srcText = '';
  #srcBuf: Buffer | null = null;
  #srcFrom = 0;
  #srcTo = 0;
  #dstText = '';
  #dstBuf: Buffer | null = null;
  #dstFrom = 0;
  #dstTo = 0;

  declare src: string;
  declare dst: string;

  constructor() {
    // Own, enumerable accessors (not the prototype's): `{ ...rec }`, the obvious copy, keeps them.
    Object.defineProperties(this, ADDRESS_ACCESSORS);
  }

  /** The source is bytes [from, to) of `buf` (not empty), decoded when first read. */
  srcBytes(buf: Buffer, from: number, to: number): void {
    this.#srcBuf = buf;
    this.#srcFrom = from;
    this.#srcTo = to;
  }

  dstBytes(buf: Buffer, from: number, to: number): void {
    this.#dstBuf = buf;
    this.#dstFrom = from;
    this.#dstTo = to;
  }

  /** Decode what is still bytes, because the buffer is about to be reused or dropped. */
  detach(): void {
    if (this.#srcBuf !== null) void this.src;
    if (this.#dstBuf !== null) void this.dst;
  }

  /** @internal */ srcString(): string {
    if (this.#srcBuf !== null) {
      this.#srcText = this.#srcBuf.toString('latin1', this.#srcFrom, this.#srcTo);
      this.#srcBuf = null;
    }
    return this.#srcText;
  }

  /** @internal */ setSrc(text: string): void {
    this.#srcText = text;
    this.#srcBuf = null;
  }

  /** @internal */ dstString(): string {
    if (this.#dstBuf !== null) {
      this.#dstText = this.#dstBuf.toString('latin1', this.#dstFrom, this.#dstTo);
      this.#dstBuf = null;
    }
    return this.#dstText;
  }

  /** @internal */ setDst(text: string): void {
    this.#dstText = text;
    this.#dstBuf = null;
  }

  /** The fields as plain data (a copy that outlives the buffer). */
  toJSON(): NetfilterRecord {
    const { time, prefix, drop, inIface, outIface, src, srcV4, dst, family, proto, spt, dpt, icmpType, icmpCode, tcpFlags } = this;
    return { time, prefix, drop, inIface, outIface, src, srcV4, dst, family, proto, spt, dpt, icmpType, icmpCode, tcpFlags };
  }
}

/** One pair of functions for every record, so records share one hidden class. */
const ADDRESS_ACCESSORS: PropertyDescriptorMap = {
  src: { enumerable: true, get(this: ParsedRecord) { return this.srcString(); }, set(this: ParsedRecord, text: string) { this.setSrc(text); } },
  dst: { enumerable: true, get(this: ParsedRecord) { return this.dstString(); }, set(this: ParsedRecord, text: string) { this.setDst(text); } },
};

export function emptyRecord(): ParsedRecord {
  return new ParsedRecord();
}
