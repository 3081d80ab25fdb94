/**
 * An audit diff for a terminal: services whose exposure changed (wider first), then new
 * and resolved findings.
 *
 * @module
 */
import { exposureRank, severityRank } from '../common/order.js';
import { printable } from '../common/printable.js';
import { summarizeSources } from '../common/sources.js';
import { palette } from '../terminal/colors.js';
import { shortTime } from '../terminal/audit-text.js';
import { truncate } from '../terminal/layout.js';
import type { AuditDiff, ServiceChange } from './types.js';

/** How much wider the change made it: positive when the service got more exposed. */
function widening(c: ServiceChange): number {
  const before = c.before === null ? 6 : exposureRank(c.before);
  const after = c.after === null ? 6 : exposureRank(c.after);
  return before - after;
}

/** Render an audit diff for a terminal. */
export function renderDiffText(diff: AuditDiff, opts: { color: boolean; width?: number }): string {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const out = [p.bold('Portcullis audit diff') + ` · ${shortTime(diff.before.generatedAt)} → ${shortTime(diff.after.generatedAt)}`, ''];
  const changes = [...diff.services].sort((a, b) => widening(b) - widening(a) || a.host.localeCompare(b.host) || a.port - b.port);
  out.push(p.heading('Services'));
  if (changes.length === 0) out.push('  No service changed.');
  for (const c of changes) {
    const mark = widening(c) > 0 ? p.c.red('▲') : widening(c) < 0 ? p.c.green('▼') : '·';
    const before = c.before === null ? 'absent' : p.exposure(c.before, c.before);
    const after = c.after === null ? 'gone' : p.exposure(c.after, c.after);
    out.push(`  ${mark} ${printable(c.host)} ${c.proto}/${c.port}: ${before} → ${after}`);
    if (c.sourcesAfter) out.push(p.dim(truncate(`      now from ${summarizeSources(c.sourcesAfter, width - 15)}`, width)));
  }
  const bySeverity = (a: { severity: Parameters<typeof severityRank>[0] }, b: typeof a): number => severityRank(a.severity) - severityRank(b.severity);
  for (const [title, list, mark] of [['New findings', diff.findings.added, '+'], ['Resolved findings', diff.findings.resolved, '-']] as const) {
    out.push('', p.heading(title));
    if (list.length === 0) out.push('  None.');
    for (const f of [...list].sort(bySeverity)) {
      out.push(truncate(`  ${mark} ${f.severity.toUpperCase().padEnd(8)} ${printable(f.host)}: ${printable(f.title)}`, width));
    }
  }
  return out.join('\n') + '\n';
}

