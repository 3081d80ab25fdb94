/**
 * The drop-log summary for a terminal: totals, days (or hours), the exposed ports that were
 * probed (the finding that matters), top ports, sources and scanners.
 *
 * @module
 */
import type { ExposedHit, InterfaceShare, LogSummary, PortCount, ServiceTag, TcpFlagCount } from '../../analyze/log-summary/types.js';
import { printable } from '../common/printable.js';
import { withThousands } from '../common/thousands.js';
import { palette } from '../terminal/colors.js';

export interface LogsTextOptions {
  color: boolean;
  /** Rows per table. */
  top?: number;
}

const n = withThousands;

function service(tag: ServiceTag | null): string {
  return tag ? tag.label : '';
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(rows: string[][], rightCols: number[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => '  ' + r.map((c, i) => pad(c, widths[i]!, rightCols.includes(i))).join('  ').trimEnd());
}

/** "scanners probed 6379 612 times from 301 sources; Redis is reachable from the world here" */
export function exposedSentence(hit: ExposedHit): string {
  const what = hit.service ? hit.service.label : `${hit.proto}/${hit.port}`;
  const from = hit.exposure === 'world' ? 'from the world' : hit.exposure === 'wide' ? 'from wide public ranges' : hit.exposure === 'allowlisted' ? 'from allowlisted public sources' : 'from internal networks';
  return `${hit.proto}/${hit.port} was probed ${n(hit.attempts)} times from ${n(hit.sources)} sources; ${what} is reachable ${from} here`;
}

/** An interface name as printed (`IN=` is empty for packets the host sent itself). */
export function interfaceName(name: string): string {
  return name === '' ? '(local)' : name;
}

/** "eth0" when all came in there; "eth0 92%, wg0 8%" otherwise (the first `max`). */
export function viaText(shares: InterfaceShare[], max = 2): string {
  const total = shares.reduce((a, x) => a + x.attempts, 0);
  if (shares.length === 1) return interfaceName(shares[0]!.name);
  const shown = shares.slice(0, max).map((x) => `${interfaceName(x.name)} ${Math.round((x.attempts / total) * 100)}%`);
  return shares.length > max ? `${shown.join(', ')}, +${shares.length - max}` : shown.join(', ');
}

/** Share of TCP attempts that were SYN only (connection attempts); empty without TCP. */
export function synShare(tcp: TcpFlagCount | null): string {
  if (!tcp || tcp.syn + tcp.other === 0) return '';
  return `${Math.round((tcp.syn / (tcp.syn + tcp.other)) * 100)}%`;
}

/** Mostly ACK/RST/FIN: the host forgot a connection and the peer's replies are dropped, or an ACK/FIN scan. */
export function mostlyNotSyn(tcp: TcpFlagCount | null): boolean {
  return tcp !== null && tcp.other > tcp.syn;
}

function portRow(p: PortCount): string[] {
  return [`${p.proto}/${p.port}`, n(p.attempts), n(p.sources), synShare(p.tcp), viaText(p.interfaces), service(p.service), p.service?.risk ? p.service.risk.class : ''];
}

export function renderLogsText(s: LogSummary, opts: LogsTextOptions): string {
  const pal = palette(opts.color);
  const top = opts.top ?? 10;
  const out: string[] = [];
  const span = s.first && s.last ? `${s.first.slice(0, 16).replace('T', ' ')} – ${s.last.slice(0, 16).replace('T', ' ')} UTC` : 'no attempts';
  out.push(pal.heading('Portcullis drop log'));
  out.push(`${n(s.attempts)} attempts from ${n(s.sources.length)} sources on ${n(s.ports.length)} ports (${span})`);
  const l = s.lines;
  out.push(pal.dim(`lines: ${n(l.read)} read = ${n(l.netfilter)} netfilter (${n(l.drops)} drops, ${n(l.notDrops)} allow/audit) + ${n(l.malformed)} malformed + ${n(l.skipped)} skipped; ${n(l.repeated)} from "repeated" lines${l.outsideRange ? `; ${n(l.outsideRange)} outside the time range` : ''}`));
  if (s.exposedHits) {
    out.push('', pal.heading(`Probed and exposed on ${printable(s.exposure!.host)}`));
    if (s.exposedHits.length === 0) out.push('  none of the probed ports is reachable from beyond this host');
    for (const hit of s.exposedHits) out.push('  ' + pal.exposure(hit.exposure, exposedSentence(hit)));
  }
  if (s.hours) {
    out.push('', pal.heading('Per hour (UTC)'));
    out.push(...table([['hour', 'attempts'], ...s.hours.map((h) => [h.hour.slice(0, 13).replace('T', ' '), n(h.attempts)])], [1]));
  } else if (s.days.length > 0) {
    out.push('', pal.heading('Per day (UTC)'));
    out.push(...table([['date', 'attempts', 'sources'], ...s.days.map((d) => [d.date, n(d.attempts), n(d.sources)])], [1, 2]));
  }
  if (s.ports.length > 0) {
    out.push('', pal.heading(`Top ports (${n(s.ports.length)})`));
    out.push(...table([['port', 'attempts', 'sources', 'SYN', 'via', 'service', 'risk'], ...s.ports.slice(0, top).map(portRow)], [1, 2, 3]));
    out.push(pal.dim('  SYN: share of TCP attempts that open a connection; the rest (ACK, RST, FIN) are mostly stray replies to connections this host forgot'));
  }
  if (s.protocols.length > 0) {
    out.push('', pal.heading('Other protocols'));
    out.push(...table([['proto', 'attempts', 'sources'], ...s.protocols.map((p) => [p.proto, n(p.attempts), n(p.sources)])], [1, 2]));
  }
  if (s.interfaces.length > 1) {
    out.push('', pal.heading('Per interface (IN=)'));
    out.push(...table([['interface', 'attempts', 'sources', 'ports'], ...s.interfaces.map((i) => [interfaceName(i.name), n(i.attempts), n(i.sources), n(i.ports)])], [1, 2, 3]));
  }
  if (s.sources.length > 0) {
    out.push('', pal.heading(`Top sources (${n(s.sources.length)})`));
    out.push(...table([['address', 'attempts', 'ports', 'first', 'last'], ...s.sources.slice(0, top).map((x) => [x.address, n(x.attempts), n(x.ports), x.first.slice(0, 19), x.last.slice(0, 19)])], [1, 2]));
  }
  out.push('', pal.heading(`Scanners: ${n(s.scanners.length)} (≥${s.scan.ports} distinct ports within ${s.scan.windowSeconds} s)`));
  if (s.scanners.length > 0) {
    const rows = s.scanners.slice(0, top).map((x) => [x.address, n(x.ports), n(x.attempts), synShare(x.tcp), x.interfaces.map(interfaceName).join(', '), x.detectedAt.slice(0, 19), mostlyNotSyn(x.tcp) ? 'mostly not SYN: stray replies or an ACK/FIN scan' : '']);
    out.push(...table([['address', 'ports', 'attempts', 'SYN', 'via', 'detected', ''], ...rows], [1, 2, 3]));
  }
  if (s.malformed.length > 0) {
    out.push('', pal.heading(`Malformed drop lines: ${n(l.malformed)} (first ${s.malformed.length})`));
    for (const m of s.malformed) out.push(`  ${printable(m.file)}:${m.line}: ${m.reason}: ${printable(m.text.slice(0, 120))}`);
  }
  return out.join('\n') + '\n';
}
