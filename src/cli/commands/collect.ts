/**
 * `portcullis collect [--out FILE]`: snapshot this host as JSON (stdout, or FILE written
 * atomically) and say on stderr what could not be read.
 *
 * @module
 */
import { collectSnapshot, realHostIO, snapshotToJson, writeFileAtomic } from '../../collect/index.js';
import type { Snapshot } from '../../model/snapshot.js';

export async function runCollect(opts: { out?: string }): Promise<number> {
  const snapshot = await collectSnapshot(realHostIO());
  const json = snapshotToJson(snapshot);
  if (opts.out !== undefined) await writeFileAtomic(opts.out, json);
  else process.stdout.write(json);
  const summary = collectSummary(snapshot);
  if (summary) process.stderr.write(summary);
  return 0;
}

/** A few lines on what the snapshot lacks; empty when it is complete. */
export function collectSummary(snapshot: Snapshot): string {
  const u = snapshot.unreadable;
  if (u.length === 0) return '';
  const lines: string[] = [];
  if (!snapshot.privileges.root) {
    const needRoot = u.filter((e) => e.hint === 'run as root').map((e) => e.what);
    lines.push(`portcullis collect: not root: ${needRoot.length > 0 ? `could not read ${needRoot.join(', ')}` : 'some facts may be missing'}; run as root for a full snapshot`);
  }
  lines.push(`portcullis collect: ${u.length} thing(s) could not be read:`);
  const shown = u.slice(0, 15);
  for (const e of shown) lines.push(`  ${e.what}: ${e.reason}${e.hint ? ` (${e.hint})` : ''}`);
  if (u.length > shown.length) lines.push(`  … and ${u.length - shown.length} more (see "unreadable" in the snapshot)`);
  return lines.join('\n') + '\n';
}
