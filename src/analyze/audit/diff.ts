/**
 * `portcullis diff OLD NEW`: what changed in exposure between two audit reports. Services
 * are matched by host, protocol and port (all sockets of a port together: a listener that
 * moved from two sockets to one dual-stack socket is not news); findings by their stable id.
 *
 * @module
 */
import { FAMILIES, type Family, toCidrs } from '../../model/addr.js';
import { exposureRank, minus, sourceSet, worstExposure } from './exposure.js';
import { type AuditedService, type AuditReport, type Exposure, type Finding, SEVERITIES, type Severity } from './types.js';
import type { SourceLists } from '../types.js';
import { union, type IntervalSet } from '../../model/interval-set.js';
import { addToList } from '../../model/list-map.js';

/** A port of a host, all its sockets together. */
export interface ServiceSummary {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  /** Catalog name ("redis", "unknown"). */
  service: string;
  exposure: Exposure;
  sources: SourceLists;
}

export interface ExposureChange {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string;
  from: Exposure;
  to: Exposure;
  /** Sources that can connect now and could not before. */
  addedSources: SourceLists;
  removedSources: SourceLists;
}

export interface ExposureDiff {
  format: 'portcullis-diff';
  version: 1;
  old: { generatedAt: string };
  new: { generatedAt: string };
  /** Ports listening now that did not before. */
  newListeners: ServiceSummary[];
  /** Ports that no longer listen. */
  goneListeners: ServiceSummary[];
  /** Reachable from more sources (a wider class, or added sources within the same class). */
  widened: ExposureChange[];
  /** Reachable from fewer sources and from none new. */
  narrowed: ExposureChange[];
  /** Unsuppressed findings that are new (by id). */
  findingsAdded: Finding[];
  /** Unsuppressed findings that are gone (fixed, or now suppressed). */
  findingsRemoved: Finding[];
  /** The gate's severity threshold: new findings below it are listed but do not worsen. */
  failOn: Severity | 'none';
  /**
   * True when anything got worse: a new listener reachable from outside, a widening, or a new
   * finding at or above {@link failOn}. For exit codes.
   */
  worsened: boolean;
}

export interface DiffOptions {
  /** Default `high`, as `audit --fail-on`: a new low finding (a drop that is not logged) is news, not a regression. */
  failOn?: Severity | 'none';
}

/** Whether a finding of this severity trips a gate set at `failOn`. */
export function atOrAbove(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

type AnySet = IntervalSet<number>;

function summarize(report: AuditReport): Map<string, ServiceSummary> {
  const out = new Map<string, ServiceSummary>();
  for (const host of report.hosts) {
    const byPort = new Map<string, AuditedService[]>();
    for (const s of host.services) {
      const key = `${host.name}\u0000${s.proto}/${s.port}`;
      addToList(byPort, key, s);
    }
    for (const [key, list] of byPort) {
      const sources = {} as SourceLists;
      for (const f of FAMILIES) sources[f] = toCidrs(list.reduce((acc, s) => union(acc as AnySet, sourceSet(s.sources, f) as AnySet), [] as AnySet) as never, f);
      const first = list[0]!;
      out.set(key, {
        host: host.name,
        proto: first.proto,
        port: first.port,
        service: first.service.name,
        exposure: worstExposure(...list.map((s) => s.exposure)),
        sources,
      });
    }
  }
  return out;
}

function sourceDelta(a: SourceLists, b: SourceLists): SourceLists {
  const out = {} as SourceLists;
  for (const f of FAMILIES as readonly Family[]) out[f] = toCidrs(minus(sourceSet(a, f), sourceSet(b, f)), f);
  return out;
}

const isEmptyLists = (s: SourceLists): boolean => s.ipv4.length === 0 && s.ipv6.length === 0;

export function diffReports(oldReport: AuditReport, newReport: AuditReport, opts: DiffOptions = {}): ExposureDiff {
  const failOn = opts.failOn ?? 'high';
  const before = summarize(oldReport);
  const after = summarize(newReport);
  const newListeners: ServiceSummary[] = [];
  const goneListeners: ServiceSummary[] = [];
  const widened: ExposureChange[] = [];
  const narrowed: ExposureChange[] = [];
  for (const [key, now] of after) {
    const was = before.get(key);
    if (!was) {
      newListeners.push(now);
      continue;
    }
    const added = sourceDelta(now.sources, was.sources);
    const removed = sourceDelta(was.sources, now.sources);
    const change: ExposureChange = { host: now.host, proto: now.proto, port: now.port, service: now.service, from: was.exposure, to: now.exposure, addedSources: added, removedSources: removed };
    const rankDelta = exposureRank(now.exposure) - exposureRank(was.exposure);
    if (rankDelta < 0 || (rankDelta === 0 && !isEmptyLists(added))) widened.push(change);
    else if (rankDelta > 0 || !isEmptyLists(removed)) narrowed.push(change);
  }
  for (const [key, was] of before) if (!after.has(key)) goneListeners.push(was);

  const oldIds = new Set(oldReport.findings.filter((f) => !f.suppressed).map((f) => f.id));
  const newIds = new Set(newReport.findings.filter((f) => !f.suppressed).map((f) => f.id));
  const findingsAdded = newReport.findings.filter((f) => !f.suppressed && !oldIds.has(f.id));
  const findingsRemoved = oldReport.findings.filter((f) => !f.suppressed && !newIds.has(f.id));

  const remoteNew = newListeners.some((s) => s.exposure !== 'local' && s.exposure !== 'closed');
  const gatingFinding = findingsAdded.some((f) => atOrAbove(f.severity, failOn));
  return {
    format: 'portcullis-diff',
    version: 1,
    old: { generatedAt: oldReport.generatedAt },
    new: { generatedAt: newReport.generatedAt },
    newListeners,
    goneListeners,
    widened,
    narrowed,
    findingsAdded,
    findingsRemoved,
    failOn,
    worsened: remoteNew || widened.length > 0 || gatingFinding,
  };
}
