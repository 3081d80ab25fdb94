/**
 * `logs --follow`: read one growing file (through rotation and truncation) or the live
 * journal, and print one line per new scanner and per first contact on an exposed port
 * (JSON lines with --format json). Runs until interrupted.
 *
 * @module
 */
import { FOLD_NEW_PORT, FOLD_NEW_SCANNER, type ExposedPort, LogFold, type FoldOptions, portKey } from '../../../analyze/log-summary/index.js';
import { followFile, readJournal, readStdin } from '../../../collect/logs/index.js';
import { LogLineReader, type LineSink, type MalformedReason, type NetfilterRecord } from '../../../parse/netfilter-log/index.js';
import { renderFollowEventJson } from '../../../render/logs/logs-json.js';

export type FollowEvent =
  | { event: 'scanner'; address: string; ports: number; detectedAt: string }
  | { event: 'exposed-contact'; proto: string; port: number; exposure: string; service: string | null; address: string; time: string };

export function followEventText(e: FollowEvent): string {
  if (e.event === 'scanner') return `${e.detectedAt} scanner ${e.address}: ${e.ports} distinct ports within the window\n`;
  return `${e.time} first contact on exposed ${e.proto}/${e.port}${e.service ? ` (${e.service})` : ''}, reachable ${e.exposure}: from ${e.address}\n`;
}

/** Wraps the fold: after each attempt, turns its "new scanner / new port" bits into events. */
class EventSink implements LineSink {
  constructor(
    private readonly fold: LogFold,
    private readonly exposed: Map<number, ExposedPort>,
    private readonly emit: (e: FollowEvent) => void,
    private readonly scanPorts: number,
  ) {}

  private after(rec: NetfilterRecord, bits: number): void {
    if (bits & FOLD_NEW_SCANNER) {
      const src = this.fold.state.sources.get(rec.src)!;
      this.emit({ event: 'scanner', address: rec.src, ports: Math.max(this.scanPorts, src.ports.size), detectedAt: new Date(src.detectedAt).toISOString() });
    }
    if (bits & FOLD_NEW_PORT) {
      const hit = this.exposed.get(portKey(rec.proto, rec.dpt));
      if (hit) this.emit({ event: 'exposed-contact', proto: hit.proto, port: hit.port, exposure: hit.exposure, service: hit.service?.label ?? null, address: rec.src, time: new Date(rec.time).toISOString() });
    }
  }

  record(rec: NetfilterRecord, line: number): void {
    this.after(rec, this.fold.record(rec, line));
  }

  repeated(rec: NetfilterRecord, count: number, line: number): void {
    this.after(rec, this.fold.repeated(rec, count, line));
  }

  malformed(reason: MalformedReason, line: number, text: string): void {
    this.fold.malformed(reason, line, text);
  }

  skipped(line: number, recognised: boolean): void {
    this.fold.skipped(line, recognised);
  }
}

export interface FollowRun {
  input: { kind: 'file'; path: string } | { kind: 'journal' } | { kind: 'stdin' };
  fold: FoldOptions;
  exposed: ExposedPort[];
  json: boolean;
  now: Date;
  signal: AbortSignal;
  write: (text: string) => void;
  /** Poll interval for files (ms). */
  interval?: number;
}

export async function runFollow(run: FollowRun): Promise<void> {
  const fold = new LogFold({ ...run.fold, live: true });
  const exposed = new Map(run.exposed.map((e) => [portKey(e.proto, e.port), e]));
  const sink = new EventSink(fold, exposed, (e) => run.write(run.json ? renderFollowEventJson(e) : followEventText(e)), run.fold.scan.ports);
  const reader = new LogLineReader(sink, run.now);
  const chunks =
    run.input.kind === 'file'
      ? followFile(run.input.path, { signal: run.signal, ...(run.interval ? { interval: run.interval } : {}) })
      : run.input.kind === 'journal'
        ? readJournal({ follow: true, ...(run.fold.since !== undefined ? { since: run.fold.since } : {}) })
        : readStdin();
  for await (const chunk of chunks) {
    reader.push(chunk);
    if (run.signal.aborted) break;
  }
  reader.end();
}
