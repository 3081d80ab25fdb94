/**
 * `portcullis diff --db URL HOST [--since TIME]`: the host's newest stored snapshot against the
 * one in force at TIME (without --since: against the one before the newest). Same output and
 * exit codes as `diff OLD NEW`.
 *
 * @module
 */
import { diffReports } from '../../analyze/audit/index.js';
import { renderDiffJson, renderDiffText, shouldColor } from '../../render/index.js';
import { ExitCode, InputError } from '../errors.js';
import { writeOutput } from '../output.js';
import { checkHostKey, checkStoreLocation, withCliStore } from '../store-access.js';
import { storedReport, unknownHost } from '../stored-history.js';
import { parseTime } from './logs/options.js';
import { readPolicy } from './audit.js';
import type { DiffOptions } from './diff.js';

export interface StoredDiffOptions extends DiffOptions {
  db: string;
  since?: string;
}

export async function runDiffStored(hostArg: string, opts: StoredDiffOptions): Promise<number> {
  checkStoreLocation(opts.db);
  const host = checkHostKey(hostArg, 'HOST');
  const now = new Date();
  const since = opts.since === undefined ? null : new Date(parseTime(opts.since, '--since', now));
  const policy = await readPolicy(opts.config);
  const { display, older, newest } = await withCliStore(opts.db, async (store) => {
    const newest = await store.snapshotAt(host, null);
    if (!newest) throw await unknownHost(store, host);
    const older = since ? await store.snapshotAt(host, since) : (await store.history(host, null)).at(-2);
    if (!older) {
      const first = (await store.history(host, null))[0]!;
      throw new InputError(since ? `the store ${store.display} has no snapshot of ${JSON.stringify(host)} at or before ${since.toISOString()}; its first is from ${first.collectedAt}` : `the store ${store.display} has one snapshot of ${JSON.stringify(host)}: nothing to compare it with yet`);
    }
    return { display: store.display, older, newest };
  });
  const diff = diffReports(storedReport(display, older, policy), storedReport(display, newest, policy), { failOn: opts.failOn ?? 'high' });
  const json = opts.json || opts.format === 'json';
  const color = !opts.out && !json && shouldColor(process.stdout, process.env);
  await writeOutput(opts.out, json ? renderDiffJson(diff) : renderDiffText(diff, { color, width: process.stdout.columns ?? 80 }), opts.config ? [opts.config] : []);
  return diff.worsened ? ExitCode.findings : ExitCode.ok;
}
