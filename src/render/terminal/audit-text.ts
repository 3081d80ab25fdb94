/**
 * `portcullis audit` for a terminal: a summary line, then per host the services worst
 * first, its findings, and what to read with caution.
 *
 * @module
 */
import { EXPOSURES, SEVERITIES } from '../../analyze/audit/types.js';
import type { AuditedHost, AuditReport } from '../../analyze/audit/types.js';
import { FAMILIES } from '../../model/addr.js';
import { printable } from '../common/printable.js';
import { renderCaveats } from './caveats-text.js';
import { palette } from './colors.js';
import type { Palette } from './colors.js';
import { renderFindings } from './findings-text.js';
import { renderServices } from './services-text.js';

export interface TextOptions {
  color: boolean;
  /** Terminal columns; 80 when absent. Narrower than 40 is read as 40. */
  width?: number;
}

/** "2026-11-21 07:39 UTC" from an ISO time; the input as is when it is not one. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function severityCounts(report: AuditReport, p: Palette): string {
  const parts = SEVERITIES.filter((s) => report.summary[s] > 0).map((s) => p.severity(s, `${report.summary[s]} ${s}`));
  const suppressed = report.findings.filter((f) => f.suppressed).length;
  const tail = suppressed > 0 ? p.dim(` (${suppressed} suppressed)`) : '';
  return (parts.length > 0 ? parts.join(', ') : 'none') + tail;
}

function hostHeader(host: AuditedHost, p: Palette): string[] {
  const backends = FAMILIES.map((f) => {
    const list = host.backends[f];
    return `${f === 'ipv4' ? 'IPv4' : 'IPv6'} ${list.length > 0 ? list.join(' + ') : 'no rules'}`;
  }).join(', ');
  const counts = EXPOSURES.map((e) => [e, host.services.filter((s) => s.exposure === e).length] as const)
    .filter(([, n]) => n > 0)
    .map(([e, n]) => p.exposure(e, `${n} ${e}`))
    .join(' · ');
  return [
    p.bold(`━━ ${printable(host.name)} `) + p.dim(`collected ${shortTime(host.collectedAt)}; ${backends}`),
    counts ? `   ${counts}` : '   no services',
  ];
}

/** Render an audit report for a terminal. Pure: colour is decided by the caller. */
export function renderAuditText(report: AuditReport, opts: TextOptions): string {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const hosts = report.hosts.length === 1 ? '1 host' : `${report.hosts.length} hosts`;
  const out: string[] = [
    p.bold(`Portcullis audit`) + ` · ${hosts} · ${shortTime(report.generatedAt)}`,
    `Findings: ${severityCounts(report, p)}`,
  ];
  if (report.policy) out.push(p.dim(`Policy: ${printable(report.policy.file)}`));
  for (const host of report.hosts) {
    const findings = report.findings.filter((f) => f.host === host.name);
    out.push('', ...hostHeader(host, p), '');
    out.push(...renderServices(host, findings, p, width));
    out.push('', p.heading('Findings'), ...renderFindings(findings, p, width));
    const caveats = renderCaveats(host, p, width);
    if (caveats.length > 0) out.push('', p.heading('Read with caution'), ...caveats);
  }
  const orphans = report.findings.filter((f) => !report.hosts.some((h) => h.name === f.host));
  if (orphans.length > 0) out.push('', p.heading('Other findings'), ...renderFindings(orphans, p, width));
  return out.join('\n') + '\n';
}
