/**
 * The drop-log summary as one self-contained HTML page: charts of attempts over time, top
 * ports, top sources and exposed hits (inline SVG), and the tables behind them. No script;
 * a Content-Security-Policy with `default-src 'none'` and a hash for the one style.
 *
 * @module
 */
import type { LogSummary } from '../../analyze/log-summary/types.js';
import { h, token } from '../html/escape.js';
import { pageHead } from '../html/page-head.js';
import { exposedSentence, interfaceName, mostlyNotSyn, synShare, viaText } from './logs-text.js';
import { barChart, timeChart } from './svg-charts.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
.meta{margin:4px 0 0;color:#c6ccd8}main{padding:16px 24px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 16px}
.card{background:#fff;border-radius:8px;padding:10px 16px;box-shadow:0 1px 2px #0002;min-width:120px}
.card b{display:block;font-size:22px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure.chart{background:#fff;border-radius:8px;padding:10px 12px;margin:0 0 16px;box-shadow:0 1px 2px #0002}
figcaption{font-weight:600;margin-bottom:6px}
svg .bar{fill:#3b6fd8}svg .bar.world{fill:#c62828}svg .bar.wide{fill:#e0583a}svg .bar.allowlisted{fill:#d99a00}svg .bar.internal{fill:#1f8fa8}
svg .axis{stroke:#8890a0}svg text{font-size:11px;fill:#3a4150}svg .value{fill:#555e70}
.alert{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px;margin:6px 0;border-radius:4px}
.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:8px 12px;border-radius:4px}
table{border-collapse:collapse;background:#fff;width:100%;margin:0 0 16px;box-shadow:0 1px 2px #0002}
th,td{padding:4px 8px;border-bottom:1px solid #e4e7ec;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
h2{font-size:16px;margin:20px 0 8px}.dim{color:#687085}code{font-size:12px}
`;

const n = (x: number): string => x.toLocaleString('en-US');

function rows(cells: (string | number)[][]): string {
  return cells.map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="n">${n(c)}</td>` : `<td>${h(c)}</td>`)).join('')}</tr>`).join('');
}

function table(id: string, head: string[], body: (string | number)[][]): string {
  if (body.length === 0) return '';
  return `<table id="${token(id)}"><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows(body)}</tbody></table>`;
}

const TOP = 20;

export function renderLogsHtml(s: LogSummary): string {
  const time = s.hours
    ? timeChart(s.hours.map((x) => ({ label: x.hour.slice(0, 13).replace('T', ' ') + 'h', value: x.attempts })), 'Attempts per hour (UTC)')
    : timeChart(s.days.map((d) => ({ label: d.date, value: d.attempts })), 'Attempts per day (UTC)');
  const ports = barChart(s.ports.slice(0, TOP).map((p) => ({ label: `${p.proto}/${p.port}${p.service ? ` ${p.service.label}` : ''}`, value: p.attempts })), `Top ports (of ${n(s.ports.length)})`, 'ports');
  const sources = barChart(s.sources.slice(0, TOP).map((x) => ({ label: x.address, value: x.attempts })), `Top sources (of ${n(s.sources.length)})`, 'sources');
  let exposed = '';
  if (s.exposedHits) {
    exposed =
      `<h2>Probed and exposed on ${h(s.exposure!.host)}</h2>` +
      (s.exposedHits.length === 0
        ? `<p class="ok">None of the probed ports is reachable from beyond this host.</p>`
        : s.exposedHits.map((x) => `<p class="alert">${h(exposedSentence(x))}</p>`).join('') +
          barChart(s.exposedHits.map((x) => ({ label: `${x.proto}/${x.port}${x.service ? ` ${x.service.label}` : ''}`, value: x.attempts, tone: token(x.exposure), title: `${x.exposure}` })), 'Attempts on exposed ports', 'exposed', 900));
  }
  const l = s.lines;
  const cards = [
    ['attempts', s.attempts],
    ['sources', s.sources.length],
    ['ports', s.ports.length],
    ['scanners', s.scanners.length],
    ['lines read', l.read],
    ['malformed', l.malformed],
  ]
    .map(([k, v]) => `<div class="card"><b>${n(v as number)}</b>${h(k as string)}</div>`)
    .join('');
  return `${pageHead(`Portcullis drop log · ${n(s.attempts)} attempts`, STYLE)}
<body>
<header><h1>Portcullis drop log</h1>
<p class="meta">${h(s.first ?? '–')} – ${h(s.last ?? '–')} · ${h(s.inputs.join(', '))} · generated ${h(s.generatedAt)} · ${h(s.tool.name)} ${h(s.tool.version)}</p></header>
<main>
<div class="cards" id="cards">${cards}</div>
<p class="dim">lines: ${n(l.read)} read = ${n(l.netfilter)} netfilter (${n(l.drops)} drops, ${n(l.notDrops)} allow/audit) + ${n(l.malformed)} malformed + ${n(l.skipped)} skipped; ${n(l.repeated)} attempts from “repeated” lines</p>
${exposed}
${time}
<div class="grid">${ports}${sources}</div>
<h2>Scanners (≥${s.scan.ports} distinct ports within ${s.scan.windowSeconds} s)</h2>
${table('scanners-table', ['address', 'ports', 'attempts', 'SYN', 'via', 'first', 'last', 'detected', ''], s.scanners.slice(0, 200).map((x) => [x.address, x.ports, x.attempts, synShare(x.tcp), x.interfaces.map(interfaceName).join(', '), x.first, x.last, x.detectedAt, mostlyNotSyn(x.tcp) ? 'mostly not SYN: stray replies or an ACK/FIN scan' : ''])) || '<p class="dim">none</p>'}
<h2>Ports</h2>
<p class="dim">SYN: share of TCP attempts that open a connection; the rest (ACK, RST, FIN) are mostly stray replies to connections this host forgot.</p>
${table('ports-table', ['port', 'attempts', 'sources', 'SYN', 'via', 'service', 'risk'], s.ports.slice(0, 200).map((p) => [`${p.proto}/${p.port}`, p.attempts, p.sources, synShare(p.tcp), viaText(p.interfaces), p.service?.label ?? '', p.service?.risk?.class ?? '']))}
${s.interfaces.length > 1 ? `<h2>Per interface (IN=)</h2>${table('interfaces-table', ['interface', 'attempts', 'sources', 'ports'], s.interfaces.map((i) => [interfaceName(i.name), i.attempts, i.sources, i.ports]))}` : ''}
<h2>Sources</h2>
${table('sources-table', ['address', 'attempts', 'ports', 'first', 'last'], s.sources.slice(0, 200).map((x) => [x.address, x.attempts, x.ports, x.first, x.last]))}
${s.malformed.length ? `<h2>Malformed drop lines (${n(l.malformed)})</h2>${table('malformed-table', ['where', 'reason', 'line'], s.malformed.map((m) => [`${m.file}:${m.line}`, m.reason, m.text.slice(0, 160)]))}` : ''}
</main>
</body>
</html>
`;
}
