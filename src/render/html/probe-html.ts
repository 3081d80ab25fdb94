/**
 * The probe report as one self-contained HTML page (same style, CSP and escaping as the
 * audit's: banners come from whoever runs the service, so every byte goes through `h`).
 *
 * @module
 */
import { SEVERITIES } from '../../analyze/audit/types.js';
import type { ProbeReport, ProbeReportTarget } from '../../analyze/probe/types.js';
import { h, token } from './escape.js';
import { pageHead } from './page-head.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';
import { renderFindingsTable } from './tables.js';

function options(values: readonly string[], all: string): string {
  return `<option value="">${h(all)}</option>` + values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
}

/** The audit page's filter controls (its script expects them); no exposure classes in a probe. */
function controls(report: ProbeReport): string {
  return (
    `<div class="controls" role="search">` +
    `<input id="f-text" type="search" placeholder="Filter findings: port, address, text…" aria-label="filter text">` +
    `<select id="f-severity" aria-label="severity">${options(SEVERITIES, 'all severities')}</select>` +
    `<select id="f-host" aria-label="target">${options(report.targets.map((t) => t.address), 'all targets')}</select>` +
    `<select id="f-exposure" hidden aria-hidden="true"><option value=""></option></select><span id="services-count" hidden></span>` +
    `</div>`
  );
}

function portsTable(t: ProbeReportTarget): string {
  const rows = t.ports.map(
    (p) =>
      `<tr><td>${p.port}/${h(p.proto)}</td><td>${h(p.state)}</td><td>${h(p.service ?? '')}</td><td>${h(p.auth ?? '')}</td>` +
      `<td>${p.tls ? h(p.tls.versions.join(' ')) + (p.tls.certificate ? `<br>${h(p.tls.certificate.subjectCN ?? '')} until ${h(p.tls.certificate.notAfter ?? '?')}` : '') : ''}</td>` +
      `<td>${h(p.product ?? '')}${p.banner ? `<br><code>${h(p.banner)}</code>` : ''}</td></tr>`,
  );
  const other = t.otherPorts.map((o) => `<p class="meta">${o.count} ${h(o.proto)} ports ${h(o.state)}</p>`).join('');
  return `<h2>${h(t.address)}${t.hostname ? ` (${h(t.hostname)})` : ''}${t.vantage ? ` <span class="count">probed from ${h(t.vantage)}</span>` : ''}</h2>` +
    `<table><thead><tr><th>Port</th><th>State</th><th>Service</th><th>Auth</th><th>TLS</th><th>Product / banner</th></tr></thead><tbody>${rows.join('')}</tbody></table>${other}`;
}

export function renderProbeHtml(report: ProbeReport): string {
  const sev = SEVERITIES.map((s) => `<span class="badge severity-${token(s)}">${report.summary[s]} ${h(s)}</span>`).join('');
  const c = report.comparison;
  const comparison = c
    ? `<h2>Predicted vs observed <span class="count">${c.compared} compared</span></h2>` +
      (c.disagreements.length === 0
        ? '<p>No disagreement.</p>'
        : `<table><thead><tr><th>Address</th><th>Port</th><th>Predicted</th><th>Observed</th><th>Kind</th></tr></thead><tbody>${c.disagreements.map((d) => `<tr><td>${h(d.address)}</td><td>${d.port}/${h(d.proto)}</td><td>${h(d.predicted)}</td><td>${h(d.observed)}</td><td>${h(d.kind)}</td></tr>`).join('')}</tbody></table>`)
    : '';
  return `${pageHead(`Portcullis probe · ${report.targets.length} target(s)`, STYLE, SCRIPT)}
<body>
<header><h1>Portcullis probe</h1>
<p class="meta">${report.targets.length} target(s) · ${h(report.startedAt)} → ${h(report.finishedAt)} · ${h(report.tool.name)} ${h(report.tool.version)}${report.origin.kind === 'nmap-xml' ? ` · from nmap XML ${h(report.origin.file)}` : ''}</p>
<div class="summary" id="summary">${sev}</div></header>
${controls(report)}
<main>
${report.targets.map(portsTable).join('\n')}
${comparison}
<h2>Findings <span class="count" id="findings-count"></span></h2>
${renderFindingsTable(report)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
