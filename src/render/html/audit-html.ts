/**
 * The audit as one self-contained HTML file: inline CSS and JS, no network access (a
 * Content-Security-Policy with `default-src 'none'` and hashes for our one style and one
 * script makes sure of it, even if some data slipped through escaping).
 *
 * @module
 */
import { EXPOSURES, SEVERITIES } from '../../analyze/audit/types.js';
import type { AuditReport } from '../../analyze/audit/types.js';
import { h, token } from './escape.js';
import { TextChunks } from '../common/text-chunks.js';
import { pageHead } from './page-head.js';
import { writeHost } from './host-view.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';
import { writeFindingsTable, writeServicesTable } from './tables.js';

function options(values: readonly string[], all: string, label: (v: string) => string = (v) => v): string {
  return `<option value="">${h(all)}</option>` + values.map((v) => `<option value="${h(v)}">${h(label(v))}</option>`).join('');
}

function controls(report: AuditReport): string {
  return (
    `<div class="controls" role="search">` +
    `<input id="f-text" type="search" placeholder="Filter: port, address, rule text…" aria-label="filter text">` +
    `<select id="f-severity" aria-label="severity">${options(SEVERITIES, 'all severities', (s) => (s === 'info' ? 'info and above' : `${s} and above`))}</select>` +
    `<select id="f-host" aria-label="host">${options(report.hosts.map((x) => x.name), 'all hosts')}</select>` +
    `<select id="f-exposure" aria-label="exposure">${options(EXPOSURES, 'any exposure')}</select>` +
    `</div>`
  );
}

function summary(report: AuditReport): string {
  const sev = SEVERITIES.map((s) => `<span class="badge severity-${token(s)}">${report.summary[s]} ${h(s)}</span>`).join('');
  const suppressed = report.findings.filter((f) => f.suppressed).length;
  return `<div class="summary" id="summary">${sev}${suppressed > 0 ? `<span class="count">${suppressed} suppressed</span>` : ''}</div>`;
}

/** Render the audit report as a self-contained HTML page. */
export function renderAuditHtml(report: AuditReport): string {
  return renderAuditHtmlChunks(report).join('');
}

/**
 * The same page in chunks of about 64 K characters, to write one after another: its rows and
 * cards are joined a chunk at a time, never all at once (issue 8, common/text-chunks.ts).
 */
export function renderAuditHtmlChunks(report: AuditReport): string[] {
  const chunks: string[] = [];
  renderAuditHtmlEach(report, (chunk) => chunks.push(chunk));
  return chunks;
}

/**
 * The same chunks, each handed to `emit` as soon as it is made: a writer that takes them one by
 * one never holds the page (issue 8: kube-proxy 5,000's, 4.9 MB, was copied twice by the
 * scavenges that ran while it was rendered).
 */
export function renderAuditHtmlEach(report: AuditReport, emit: (chunk: string) => void): void {
  const hosts = report.hosts.length === 1 ? '1 host' : `${report.hosts.length} hosts`;
  const out = new TextChunks(undefined, emit);
  out.push(`${pageHead(`Portcullis audit · ${hosts}`, STYLE, SCRIPT)}
<body>
<header><h1>Portcullis audit</h1>
<p class="meta">${h(hosts)} · generated ${h(report.generatedAt)} · ${h(report.tool.name)} ${h(report.tool.version)}${report.policy ? ` · policy ${h(report.policy.file)}` : ''}</p>
${summary(report)}</header>
${controls(report)}
<main>
<h2>Services <span class="count" id="services-count"></span></h2>
`);
  writeServicesTable(report, out);
  out.push(`
<h2>Findings <span class="count" id="findings-count"></span></h2>
`);
  writeFindingsTable(report, out);
  out.push('\n');
  report.hosts.forEach((x, i) => {
    if (i > 0) out.push('\n');
    writeHost(x, report.findings, out);
  });
  out.push(`
</main>
<footer>Exposure: world = at least half the public address space; wide = more than 65,536 public addresses; allowlisted = specific public sources; internal = private ranges only; local = this host only. Rules marked “may match” were read conservatively.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`);
  out.done();
}
