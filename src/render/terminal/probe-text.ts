/**
 * `probe` on a terminal: per target, the ports that answered (service, auth, TLS, banner),
 * the rest counted; the disagreements with the engine; the findings.
 *
 * @module
 */
import type { ProbeReport, ProbeReportTarget } from '../../analyze/probe/types.js';
import type { ProbedPort } from '../../model/probe.js';
import { SEVERITIES } from '../../analyze/audit/types.js';
import { printable } from '../common/printable.js';
import { palette } from './colors.js';
import { renderFindings } from './findings-text.js';
import { type Cell, table } from './layout.js';

export interface ProbeTextOptions {
  color: boolean;
  width: number;
}

function tlsText(p: ProbedPort): string {
  if (!p.tls) return '';
  const cert = p.tls.certificate;
  return `${p.tls.versions.join(' ')}${cert?.daysLeft !== null && cert?.daysLeft !== undefined ? `, cert ${cert.daysLeft}d` : ''}`;
}

function targetLines(t: ProbeReportTarget, width: number, pal: ReturnType<typeof palette>): string[] {
  const title = `${t.address}${t.hostname ? ` (${t.hostname})` : ''}${t.vantage ? `, probed from ${t.vantage}` : ''}`;
  const out = [pal.heading(printable(title))];
  const rows: Cell[][] = t.ports.map((p) => [
    { text: `${p.port}/${p.proto}` },
    { text: p.state, style: p.state === 'open' ? pal.bold : pal.dim },
    { text: printable(p.service ?? '') },
    { text: p.auth ?? '', ...(p.auth === 'none' ? { style: pal.c.red } : {}) },
    { text: tlsText(p) },
    { text: printable(p.product ?? p.banner ?? '') },
  ]);
  if (rows.length > 0) {
    const lines = table(
      [{ header: 'PORT', min: 9 }, { header: 'STATE', min: 6 }, { header: 'SERVICE', min: 7, shrink: 1 }, { header: 'AUTH', min: 4 }, { header: 'TLS', min: 3, shrink: 2 }, { header: 'PRODUCT / BANNER', min: 10, shrink: 3 }],
      rows,
      width,
      '  ',
      pal.dim,
    );
    out.push(lines.head, ...lines.rows);
  }
  for (const o of t.otherPorts) out.push(pal.dim(`  ${o.count} ${o.proto} ports ${o.state}`));
  if (rows.length === 0 && t.otherPorts.length === 0) out.push('  No port scanned.');
  return out;
}

export function renderProbeText(report: ProbeReport, opts: ProbeTextOptions): string {
  const pal = palette(opts.color);
  const width = Math.max(60, opts.width);
  const origin = report.origin.kind === 'scan' ? 'scan' : `nmap XML ${report.origin.file}${report.origin.args ? ` (${report.origin.args})` : ''}`;
  const out = [pal.bold(`Portcullis probe · ${printable(origin)} · ${report.startedAt} → ${report.finishedAt}`), ''];
  for (const t of report.targets) out.push(...targetLines(t, width, pal), '');
  if (report.comparison) {
    const c = report.comparison;
    out.push(pal.heading(`Predicted (${printable(c.snapshot)}) vs observed: ${c.compared} port(s) compared, ${c.disagreements.length} disagreement(s)`));
    for (const d of c.disagreements) out.push(`  ${d.address} ${d.port}/${d.proto}: predicted ${d.predicted}, observed ${d.observed} (${d.kind})`);
    out.push('');
  }
  out.push(pal.heading('Findings'));
  out.push(...renderFindings(report.findings, pal, width));
  out.push('', SEVERITIES.map((s) => `${report.summary[s]} ${s}`).join(', '));
  return out.join('\n') + '\n';
}
