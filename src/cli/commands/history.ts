/**
 * `portcullis history HOST --db URL [--since TIME]`: the host's stored snapshots and what
 * changed in exposure from each to the next.
 *
 * @module
 */
import { buildHistory } from '../../analyze/audit/index.js';
import type { Severity } from '../../analyze/audit/types.js';
import { renderHistoryJson, renderHistoryText, shouldColor } from '../../render/index.js';
import { ExitCode } from '../errors.js';
import { writeOutput } from '../output.js';
import { checkHostKey, checkStoreLocation, withCliStore } from '../store-access.js';
import { storedReport, unknownHost } from '../stored-history.js';
import { readPolicy } from './audit.js';
import { parseTime } from './logs/options.js';

export interface HistoryOptions {
  db: string;
  since?: string;
  config?: string;
  format?: 'text' | 'json';
  json?: boolean;
  out?: string;
  failOn?: Severity | 'none';
}

export async function runHistory(hostArg: string, opts: HistoryOptions): Promise<number> {
  checkStoreLocation(opts.db);
  const host = checkHostKey(hostArg, 'HOST');
  const now = new Date();
  const since = opts.since === undefined ? null : new Date(parseTime(opts.since, '--since', now));
  const policy = await readPolicy(opts.config);
  const { display, snapshots } = await withCliStore(opts.db, async (store) => {
    if (!(await store.snapshotAt(host, null))) throw await unknownHost(store, host);
    return { display: store.display, snapshots: await store.history(host, since) };
  });
  const points = snapshots.map((s) => ({ id: s.id, collectedAt: s.collectedAt, storedAt: s.storedAt, report: storedReport(display, s, policy) }));
  const history = buildHistory(host, since, points, { failOn: opts.failOn ?? 'high' });
  const json = opts.json || opts.format === 'json';
  const color = !opts.out && !json && shouldColor(process.stdout, process.env);
  await writeOutput(opts.out, json ? renderHistoryJson(history) : renderHistoryText(history, { color, width: process.stdout.columns ?? 80 }), opts.config ? [opts.config] : []);
  return ExitCode.ok;
}
