/**
 * A host's exposure history for a terminal: one line per snapshot, and under each the changes
 * since the one before (the diff's sections, as `portcullis diff` prints them).
 *
 * @module
 */
import type { ExposureHistory, HistoryEntry } from '../../analyze/audit/history.js';
import { SEVERITIES } from '../../analyze/audit/types.js';
import { printable } from '../common/printable.js';
import { diffSections } from '../diff/diff-text.js';
import { palette } from '../terminal/colors.js';
import type { Palette } from '../terminal/colors.js';
import { shortTime } from '../terminal/audit-text.js';
import { truncate } from '../terminal/layout.js';

function counts(e: HistoryEntry, p: Palette): string {
  const findings = SEVERITIES.filter((s) => e.findings[s] > 0).map((s) => p.severity(s, `${e.findings[s]} ${s}`));
  return `${e.listeners} listening, ${e.reachable} reachable from elsewhere; findings: ${findings.length > 0 ? findings.join(', ') : 'none'}`;
}

export function renderHistoryText(history: ExposureHistory, opts: { color: boolean; width?: number }): string {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const span = history.since ? ` since ${shortTime(history.since)}` : '';
  const out = [truncate(`${p.bold('Portcullis history')} · ${printable(history.host)} · ${history.snapshots.length} snapshot${history.snapshots.length === 1 ? '' : 's'}${span}`, width + 20)];
  if (history.snapshots.length === 0) out.push('', 'No snapshot in this period.');
  history.snapshots.forEach((entry, i) => {
    const change = i === 0 ? undefined : history.changes[i - 1];
    const mark = change === undefined ? ' ' : change.worsened ? p.c.red('▲') : change.changed ? p.c.green('▼') : '=';
    const verdict = change === undefined ? (history.since ? 'in force at the start' : 'first') : change.worsened ? p.bold(p.c.red('exposure got worse')) : change.changed ? 'changed, nothing worse' : 'no change';
    out.push('', `${mark} #${entry.id} ${shortTime(entry.collectedAt)}  ${verdict}`, `    ${counts(entry, p)}`);
    if (change?.changed) out.push(...diffSections(change.diff, p, width - 4).map((l) => (l === '' ? l : `  ${l}`)).filter((l, j) => j > 0 || l !== ''));
  });
  return out.join('\n') + '\n';
}
