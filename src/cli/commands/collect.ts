/**
 * `portcullis collect [--out FILE] [--imds]`: snapshot this host as JSON (stdout, or FILE
 * written atomically) and say on stderr what could not be read; `--imds` adds the EC2
 * instance id from the metadata service.
 *
 * @module
 */
import { collectSnapshot, realHostIO, snapshotToJson } from '../../collect/index.js';
import { InputError } from '../errors.js';
import { writeOutput } from '../output.js';
import type { Snapshot } from '../../model/snapshot.js';

export async function runCollect(opts: { out?: string; imds?: boolean; toolTimeout?: string }): Promise<number> {
  const timeoutMs = toolTimeoutMs(opts.toolTimeout);
  const snapshot = await collectSnapshot(realHostIO(timeoutMs === undefined ? {} : { timeoutMs }));
  if (opts.imds) {
    const { ImdsError, imdsInstanceId } = await import('../../collect/aws/index.js');
    try {
      snapshot.host.cloud = { provider: 'aws', instanceId: await imdsInstanceId() };
    } catch (err) {
      if (err instanceof ImdsError) throw new InputError(`collect --imds: ${err.message}`);
      throw err;
    }
  }
  const json = snapshotToJson(snapshot);
  await writeOutput(opts.out, json);
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
