/**
 * An exposure diff for a terminal: what got worse first (new listeners, widened), then
 * what got better, then findings added and removed.
 *
 * @module
 */
import type { ExposureDiff, ExposureChange, ServiceSummary } from '../../analyze/audit/diff.js';
import type { Finding } from '../../analyze/audit/types.js';
import type { SourceLists } from '../../analyze/types.js';
import { severityRank } from '../common/order.js';
import { printable } from '../common/printable.js';
import { summarizeSources } from '../common/sources.js';
import { palette } from '../terminal/colors.js';
import type { Palette } from '../terminal/colors.js';
import { shortTime } from '../terminal/audit-text.js';
import { truncate, wrap } from '../terminal/layout.js';

const empty = (s: SourceLists): boolean => s.ipv4.length === 0 && s.ipv6.length === 0;

function listener(s: ServiceSummary, mark: string, p: Palette, width: number): string[] {
  const what = truncate(`${printable(s.host)} ${s.proto}/${s.port} ${printable(s.service)}`, width - 6 - s.exposure.length);
  return [
    `  ${mark} ${what}: ${p.exposure(s.exposure, s.exposure)}`,
    p.dim(truncate(`      from ${empty(s.sources) ? 'this host only' : summarizeSources(s.sources, width - 12)}`, width)),
  ];
}

function change(c: ExposureChange, mark: string, p: Palette, width: number): string[] {
  const what = truncate(`${printable(c.host)} ${c.proto}/${c.port} ${printable(c.service)}`, width - 9 - c.from.length - c.to.length);
  const out = [`  ${mark} ${what}: ${p.exposure(c.from, c.from)} → ${p.exposure(c.to, c.to)}`];
  if (!empty(c.addedSources)) out.push(p.dim(truncate(`      now also from ${summarizeSources(c.addedSources, width - 20)}`, width)));
  if (!empty(c.removedSources)) out.push(p.dim(truncate(`      no longer from ${summarizeSources(c.removedSources, width - 22)}`, width)));
  return out;
}

function finding(f: Finding, mark: string, p: Palette, width: number): string {
  const sev = p.severity(f.severity, f.severity.toUpperCase().padEnd(8));
  return `  ${mark} ${sev} ${truncate(`${printable(f.host)}: ${printable(f.title)}`, width - 14)}`;
}

/** The diff's sections (new listeners, widened, narrowed, gone, findings), each after a blank line; empty when nothing changed. */
export function diffSections(diff: ExposureDiff, p: Palette, width: number): string[] {
  const up = p.c.red('▲');
  const down = p.c.green('▼');
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length > 0) out.push('', p.heading(title), ...lines);
  };
  section('New listeners', diff.newListeners.flatMap((s) => listener(s, up, p, width)));
  section('Widened', diff.widened.flatMap((c) => change(c, up, p, width)));
  section('Narrowed', diff.narrowed.flatMap((c) => change(c, down, p, width)));
  section('Gone', diff.goneListeners.flatMap((s) => listener(s, down, p, width)));
  const bySeverity = (a: Finding, b: Finding): number => severityRank(a.severity) - severityRank(b.severity);
  section('New findings', [...diff.findingsAdded].sort(bySeverity).map((f) => finding(f, '+', p, width)));
  section('Resolved findings', [...diff.findingsRemoved].sort(bySeverity).map((f) => finding(f, '-', p, width)));
  return out;
}

/** Render an exposure diff for a terminal. */
export function renderDiffText(diff: ExposureDiff, opts: { color: boolean; width?: number }): string {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const verdict = diff.worsened ? p.bold(p.c.red('Exposure got worse.')) : p.c.green('Nothing got worse.');
  const head = wrap(`Portcullis diff · ${shortTime(diff.old.generatedAt)} → ${shortTime(diff.new.generatedAt)}`, width);
  const out = [...head.map((l, i) => (i === 0 ? l.replace('Portcullis diff', p.bold('Portcullis diff')) : l)), verdict];
  const sections = diffSections(diff, p, width);
  out.push(...(sections.length > 0 ? sections : ['', 'No change in exposure or findings.']));
  return out.join('\n') + '\n';
}
