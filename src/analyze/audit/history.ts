/**
 * `portcullis history HOST`: a host's stored snapshots in time order and the exposure changes
 * between each one and the next (diffReports of their audits), so "when did 6379 start to
 * stick out" has an answer.
 *
 * @module
 */
import { diffReports, type ExposureDiff } from './diff.js';
import type { AuditReport, Exposure, Severity } from './types.js';

export interface HistoryPoint {
  /** The store's id of the snapshot. */
  id: number;
  collectedAt: string;
  storedAt: string;
  /** The snapshot's audit (one host). */
  report: AuditReport;
}

export interface HistoryEntry {
  id: number;
  collectedAt: string;
  storedAt: string;
  /** Ports listening (a port's sockets together). */
  listeners: number;
  /** Ports some other machine can connect to (exposure neither local nor closed). */
  reachable: number;
  /** Unsuppressed findings by severity. */
  findings: Record<Severity, number>;
}

export interface HistoryChange {
  /** Ids of the two snapshots compared. */
  from: number;
  to: number;
  /** True when the later one exposes more (new reachable listener, widening, new finding at or above failOn). */
  worsened: boolean;
  /** False when nothing changed in exposure or findings. */
  changed: boolean;
  diff: ExposureDiff;
}

export interface ExposureHistory {
  format: 'portcullis-history';
  version: 1;
  host: string;
  /** The --since time; the first snapshot is then the one in force at that time. Null: all snapshots. */
  since: string | null;
  snapshots: HistoryEntry[];
  changes: HistoryChange[];
}

const UNREACHABLE: ReadonlySet<Exposure> = new Set(['local', 'closed']);

function entryOf(point: HistoryPoint): HistoryEntry {
  const ports = new Map<string, boolean>();
  for (const host of point.report.hosts) {
    for (const s of host.services) {
      const key = `${s.proto}/${s.port}`;
      ports.set(key, (ports.get(key) ?? false) || !UNREACHABLE.has(s.exposure));
    }
  }
  return {
    id: point.id,
    collectedAt: point.collectedAt,
    storedAt: point.storedAt,
    listeners: ports.size,
    reachable: [...ports.values()].filter(Boolean).length,
    findings: { ...point.report.summary },
  };
}

function isEmpty(d: ExposureDiff): boolean {
  return d.newListeners.length + d.goneListeners.length + d.widened.length + d.narrowed.length + d.findingsAdded.length + d.findingsRemoved.length === 0;
}

/** The history of `host` from its points, oldest first. */
export function buildHistory(host: string, since: Date | null, points: readonly HistoryPoint[], options: { failOn?: Severity | 'none' } = {}): ExposureHistory {
  const changes: HistoryChange[] = [];
  for (let i = 1; i < points.length; i++) {
    const diff = diffReports(points[i - 1]!.report, points[i]!.report, { failOn: options.failOn ?? 'high' });
    changes.push({ from: points[i - 1]!.id, to: points[i]!.id, worsened: diff.worsened, changed: !isEmpty(diff), diff });
  }
  return { format: 'portcullis-history', version: 1, host, since: since?.toISOString() ?? null, snapshots: points.map(entryOf), changes };
}
