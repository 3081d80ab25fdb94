/**
 * A stateful reader for one input (a file or a stream): takes byte chunks in order, cuts them
 * into lines, numbers them, and applies the rule that `last message repeated N times` means
 * N more of the drop just before it in the same file (after anything else it counts nothing).
 *
 * @module
 */
import { type LineContext, lineContext } from './context.js';
import { parseLine } from './line.js';
import { type ParsedRecord, emptyRecord } from './record.js';
import { LineKind, type MalformedReason, type NetfilterRecord } from './types.js';

/** What the reader reports, line by line. Callbacks, not objects: this runs per line. */
export interface LineSink {
  /** A netfilter line (drop or not). */
  record(rec: NetfilterRecord, line: number): void;
  /** `last message repeated N times` right after the drop `rec` (the line itself is skipped after). */
  repeated(rec: NetfilterRecord, count: number, line: number): void;
  malformed(reason: MalformedReason, line: number, text: string): void;
  /** Lines that are not netfilter lines (repeat markers included). */
  skipped(line: number, recognised: boolean): void;
}

export class LogLineReader {
  /** The record lines are parsed into; swapped with `spare` when it becomes the last drop (no copy). */
  private rec: ParsedRecord = emptyRecord();
  private spare: ParsedRecord = emptyRecord();
  private readonly ctx: LineContext;
  /** A partial line carried over from the previous chunk. */
  private carry: Buffer | null = null;
  /** The drop just before the current line, for `repeated` lines (it is `spare` then). */
  private lastDrop: ParsedRecord | null = null;
  /** Lines seen so far (the next line's number minus one). */
  line: number;
  /** Lines whose framing was recognised (syslog or journal). */
  recognised = 0;
  /** The first stamp seen (ms, UTC; NaN before one). */
  firstTime = NaN;
  bytes = 0;

  /** `reference`: the moment BSD stamps (no year) are read against: the file's mtime, or now. */
  constructor(
    private readonly sink: LineSink,
    reference: Date,
    firstLine = 1,
  ) {
    this.ctx = lineContext(reference);
    this.line = firstLine - 1;
  }

  /**
   * Feed the next chunk; lines split across chunks are joined. The reader keeps no reference
   * to `chunk` after it returns, so the caller may reuse its buffer.
   */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    if (this.carry) {
      // Join only the cut line, not the whole chunk (copying every chunk cost a third of the parse).
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = null;
      this.parse(line, 0, line.length);
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.parse(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = Buffer.from(chunk.subarray(start));
    // The last drop may be repeated by a line of the next chunk: its addresses must outlive this one.
    this.lastDrop?.detach();
  }

  /** The input ended: a last line without a newline still counts. */
  end(): void {
    if (this.carry && this.carry.length > 0) this.parse(this.carry, 0, this.carry.length);
    this.carry = null;
  }

  /** Read one line given apart (e.g. the line before a chunk) only to set the repeat state. */
  prime(line: Buffer): void {
    const kind = parseLine(line, 0, line.length, this.rec, this.ctx);
    if (kind === LineKind.netfilter && this.rec.drop) this.keepAsLastDrop();
    else if (kind !== LineKind.repeat) this.lastDrop = null;
    this.lastDrop?.detach();
  }

  /** The record just read becomes the last drop; the next line is parsed into the other one. */
  private keepAsLastDrop(): void {
    const kept = this.rec;
    this.rec = this.spare;
    this.spare = kept;
    this.lastDrop = kept;
  }

  private parse(buf: Buffer, start: number, end: number): void {
    const lineNo = ++this.line;
    this.ctx.format = null;
    this.ctx.repeatInline = false;
    const kind = parseLine(buf, start, end, this.rec, this.ctx);
    if (this.ctx.format) {
      this.recognised++;
      if (Number.isNaN(this.firstTime)) this.firstTime = this.ctx.time;
    }
    switch (kind) {
      case LineKind.netfilter:
        this.sink.record(this.rec, lineNo);
        if (this.rec.drop) this.keepAsLastDrop();
        else this.lastDrop = null;
        return;
      case LineKind.malformed:
        this.lastDrop = null;
        this.sink.malformed(this.ctx.reason!, lineNo, buf.toString('utf8', start, Math.min(end, start + 300)));
        return;
      case LineKind.repeat:
        if (this.ctx.repeatInline) {
          // rsyslog names the message it repeats: that drop, N more times (and it is the last one now).
          if (this.ctx.repeat > 0) this.sink.repeated(this.rec, this.ctx.repeat, lineNo);
          this.sink.skipped(lineNo, true);
          this.keepAsLastDrop();
          return;
        }
        // A repeat repeats the last message, so the drop stays "just before" the next one.
        if (this.lastDrop && this.ctx.repeat > 0) this.sink.repeated(this.lastDrop, this.ctx.repeat, lineNo);
        this.sink.skipped(lineNo, true);
        return;
      default:
        this.lastDrop = null;
        this.sink.skipped(lineNo, this.ctx.format !== null);
    }
  }
}
