/**
 * `portcullis collect [--out FILE] [--db URL [--name NAME]] [--imds] [--tool-timeout S]`:
 * snapshot this host as JSON (stdout, or FILE written atomically, and/or kept in the store
 * under NAME, by default the host name) and say on stderr what could not be read; `--imds`
 * adds the EC2 instance id from the metadata service.
 *
 * @module
 */
import { tmpdir } from 'node:os';
import { collectSnapshot, realHostIO, snapshotJsonSource } from '../../collect/index.js';
import { InputError } from '../errors.js';
import { writeOutput } from '../output.js';
import type { Snapshot } from '../../model/snapshot.js';
import { printable } from '../../render/common/printable.js';

export interface CollectOptions {
  out?: string;
  /** Also keep the snapshot in this store (a folder, file: or postgres:// URL). */
  db?: string;
  imds?: boolean;
  toolTimeout?: string;
  /** The host's key in the store (default: its host name). */
  name?: string;
}

export async function runCollect(opts: CollectOptions): Promise<number> {
  // The store's modules load only with --db: a plain collect starts faster without them (issue 8).
  const store = opts.db === undefined && opts.name === undefined ? undefined : await import('../store-access.js');
  if (opts.db !== undefined) store!.checkStoreLocation(opts.db);
  const name = opts.name === undefined ? undefined : store!.checkHostKey(opts.name, '--name');
  if (name !== undefined && opts.db === undefined) throw new InputError('--name is the host\'s key in the store: use it with --db');
  const timeoutMs = toolTimeoutMs(opts.toolTimeout);
  // Each tool's output into an unlinked file in the temporary folder: a big dump never waits
  // for this thread to read a pipe while it starts the other tools (issue 8).
  const snapshot = await collectSnapshot(realHostIO({ outputDir: tmpdir(), ...(timeoutMs === undefined ? {} : { timeoutMs }) }));
  if (opts.imds) {
    const { ImdsError, imdsInstanceId } = await import('../../collect/aws/index.js');
    try {
      snapshot.host.cloud = { provider: 'aws', instanceId: await imdsInstanceId() };
    } catch (err) {
      if (err instanceof ImdsError) throw new InputError(`collect --imds: ${err.message}`);
      throw err;
    }
  }
  // With --db alone the snapshot goes to the store, not to the terminal. In pieces: the dumps'
  // megabytes are never one string nor one UTF-8 copy, and each piece is written as it is made (issue 8).
  if (opts.out !== undefined || opts.db === undefined) await writeOutput(opts.out, snapshotJsonSource(snapshot));
  if (opts.db !== undefined) {
    const host = name ?? snapshot.host.hostname;
    const [stored] = await store!.storeSnapshots(opts.db, [{ host, snapshot }]);
    process.stderr.write(`portcullis collect: stored snapshot ${stored!.id} of ${printable(host)} in ${printable(opts.db)}\n`);
  }
  const summary = collectSummary(snapshot);
  if (summary) process.stderr.write(summary);
  return 0;
}

/** `--tool-timeout SECONDS` in milliseconds: a positive number of seconds, at most a day. */
export function toolTimeoutMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new InputError(`--tool-timeout: expected a number of seconds between 0 and 86400, e.g. --tool-timeout 300; got "${text}"`);
  }
  return Math.round(seconds * 1000);
}

/** A few lines on what the snapshot lacks; empty when it is complete. */
export function collectSummary(snapshot: Snapshot): string {
  const needRoot = snapshot.unreadable.filter((e) => e.hint === ROOT_HINT);
  const other = snapshot.unreadable.filter((e) => e.hint !== ROOT_HINT);
  const lines: string[] = [];
  if (needRoot.length > 0) {
    const who = snapshot.privileges.root ? 'as root, still' : 'not root';
    lines.push(`portcullis collect: ${who}: could not read ${needRoot.map((e) => e.what).join(', ')}; run as root for a full snapshot`);
  }
  const shown = other.slice(0, MAX_LINES);
  for (const e of shown) lines.push(`portcullis collect: could not read ${e.what}: ${e.reason}${e.hint ? ` (${e.hint})` : ''}`);
  if (other.length > shown.length) lines.push(`portcullis collect: … and ${other.length - shown.length} more (see "unreadable" in the snapshot)`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

const ROOT_HINT = 'run as root';
const MAX_LINES = 12;
