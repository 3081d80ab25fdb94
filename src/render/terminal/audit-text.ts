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
import { TextChunks } from '../common/text-chunks.js';
import { renderCaveats } from './caveats-text.js';
import { palette } from './colors.js';
import type { Palette } from './colors.js';
import { renderFindings } from './findings-text.js';
import { truncate, wrap } from './layout.js';
import { renderServices } from './services-text.js';
import { renderCloud } from './cloud-text.js';

/** Options of the terminal renderers. */
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

/** "Findings: 2 critical, 1 high (1 suppressed)", wrapped to the width, coloured per count. */
function severityCounts(report: AuditReport, p: Palette, width: number): string[] {
  const parts = SEVERITIES.filter((s) => report.summary[s] > 0).map((s) => ({ text: `${report.summary[s]} ${s}`, sev: s }));
  const suppressed = report.findings.filter((f) => f.suppressed).length;
  const plain = `Findings: ${parts.length > 0 ? parts.map((x) => x.text).join(', ') : 'none'}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}`;
  // Wrap the plain text, then colour each count where it landed.
  return wrap(plain, width).map((line) => {
    let out = line;
    for (const x of parts) out = out.replace(new RegExp(`\\b${x.text}\\b`), p.severity(x.sev, x.text));
    return out.replace(/\(\d+ suppressed\)/, (m) => p.dim(m));
  });
}

function hostHeader(host: AuditedHost, p: Palette, width: number): string[] {
  const backends = FAMILIES.map((f) => {
    const list = host.backends[f];
    const unreadable = host.firewallUnreadable?.[f];
    // Unread rules are not "no rules": say which (issue 9).
    if (unreadable !== undefined) return `${f === 'ipv4' ? 'IPv4' : 'IPv6'} ${printable(unreadable.split(' (')[0]!)}`;
    return `${f === 'ipv4' ? 'IPv4' : 'IPv6'} ${list.length > 0 ? list.join(' + ') : 'no rules'}`;
  }).join(', ');
  const counts = EXPOSURES.map((e) => ({ e, text: `${host.services.filter((s) => s.exposure === e).length} ${e}` })).filter((x) => !x.text.startsWith('0 '));
  const countLines = wrap(counts.map((x) => x.text).join(' · '), width - 3).map((line) => {
    let out = line;
    for (const x of counts) out = out.replace(new RegExp(`\\b${x.text}\\b`), p.exposure(x.e, x.text));
    return '   ' + out;
  });
  const meta = wrap(`collected ${shortTime(host.collectedAt)}; ${backends}`, width - 3).map((l) => '   ' + p.dim(l));
  return [p.bold(truncate(`━━ ${printable(host.name)}`, width)), ...meta, ...(counts.length > 0 ? countLines : ['   no services'])];
}

/** Render an audit report for a terminal. Pure: colour is decided by the caller. */
export function renderAuditText(report: AuditReport, opts: TextOptions): string {
  const chunks: string[] = [];
  renderAuditTextEach(report, opts, (chunk) => chunks.push(chunk));
  return chunks.join('');
}

/**
 * The same text in chunks of about 64 K characters, each handed to `emit` as soon as it is made:
 * a writer that takes them one by one never holds the whole text (issue 8: kube-proxy 5,000's
 * 3.3 MB report, kept as lines until one join, outlived the young generation and was copied by
 * its scavenges).
 */
export function renderAuditTextEach(report: AuditReport, opts: TextOptions, emit: (chunk: string) => void): void {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const hosts = report.hosts.length === 1 ? '1 host' : `${report.hosts.length} hosts`;
  const out = new TextChunks(undefined, emit);
  // Every line ends with a newline: the lines joined by newlines, and one after the last.
  const lines = (list: readonly string[]): void => {
    for (const l of list) out.push(l + '\n');
  };
  lines(wrap(`Portcullis audit · ${hosts} · ${shortTime(report.generatedAt)}`, width).map((l, i) => (i === 0 ? l.replace('Portcullis audit', p.bold('Portcullis audit')) : l)));
  lines(severityCounts(report, p, width));
  if (report.policy) lines(wrap(`Policy: ${printable(report.policy.file)}`, width).map((l) => p.dim(l)));
  for (const host of report.hosts) {
    const findings = report.findings.filter((f) => f.host === host.name);
    lines(['', ...hostHeader(host, p, width), '']);
    if (host.cloud) lines([p.heading('Internet through the cloud'), ...renderCloud(host, p, width), '']);
    lines(renderServices(host, findings, p, width));
    lines(['', p.heading('Findings')]);
    lines(renderFindings(findings, p, width));
    const caveats = renderCaveats(host, p, width);
    if (caveats.length > 0) {
      lines(['', p.heading('Read with caution')]);
      lines(caveats);
    }
  }
  const orphans = report.findings.filter((f) => !report.hosts.some((h) => h.name === f.host));
  if (orphans.length > 0) {
    lines(['', p.heading('Other findings')]);
    lines(renderFindings(orphans, p, width));
  }
  out.done();
}
