/**
 * The widenings between two rounds of `watch`: the exposure diff (diff.ts) read for what got
 * worse only. A narrowing, a gone listener or a fixed finding is not an alert; a new listener
 * that only this host can reach (loopback, or closed by the firewall) is not either.
 *
 * @module
 */
import { atOrAbove, diffReports } from '../audit/diff.js';
import type { AuditReport, Severity } from '../audit/types.js';
import type { WideningEvent } from './types.js';

export interface WideningOptions {
  /** New findings at or above this severity are events (default `high`, as `audit`). */
  failOn?: Severity | 'none';
}

/** Every widening from `before` to `after`, listeners first, then sources, then findings. */
export function wideningEvents(before: AuditReport, after: AuditReport, opts: WideningOptions = {}): WideningEvent[] {
  const failOn = opts.failOn ?? 'high';
  const diff = diffReports(before, after, { failOn });
  const out: WideningEvent[] = [];
  for (const s of diff.newListeners) {
    if (s.exposure === 'local' || s.exposure === 'closed') continue;
    out.push({ event: 'new-listener', host: s.host, proto: s.proto, port: s.port, service: s.service, exposure: s.exposure, sources: s.sources });
  }
  for (const c of diff.widened) {
    out.push({ event: 'widened', host: c.host, proto: c.proto, port: c.port, service: c.service, from: c.from, to: c.to, addedSources: c.addedSources });
  }
  for (const f of diff.findingsAdded) {
    if (!atOrAbove(f.severity, failOn)) continue;
    out.push({ event: 'new-finding', host: f.host, id: f.id, rule: f.rule, severity: f.severity, title: f.title, service: f.service });
  }
  return out;
}
