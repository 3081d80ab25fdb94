/**
 * Write a file so readers see the old content or the new, never half: a temporary file in
 * the same directory (same file system, so rename is atomic), fsync, rename. On failure, or
 * when SIGINT/SIGTERM stops the process, the old file stays and the temporary file is
 * removed; the next write removes those a killed process left behind.
 *
 * @module
 */
import { rmSync } from 'node:fs';
import { type FileHandle, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomHex } from './random-hex.js';

/** Temporary files being written now: removed if SIGINT or SIGTERM stops us (issue 9). */
const pending = new Set<string>();
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

function onSignal(signal: keyof typeof SIGNALS): void {
  for (const temp of pending) rmSync(temp, { force: true });
  process.exit(SIGNALS[signal]);
}

function track(temp: string): void {
  if (pending.size === 0) for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.on(sig, onSignal);
  pending.add(temp);
}

function untrack(temp: string): void {
  pending.delete(temp);
  // Handlers only while a write is under way: otherwise the default (exit) applies.
  if (pending.size === 0) for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.off(sig, onSignal);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Remove temporary files of earlier writes to `path` whose process is gone (`kill -9`, power loss). */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`.${base}.`) || !name.endsWith('.tmp')) continue;
    const m = /^\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(base.length + 1));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !alive(pid)) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

/**
 * What to write: the content, or a function that writes it to the open temporary file (a
 * large report goes piece by piece, never as one buffer; issue 8).
 */
export type AtomicContent = string | Uint8Array | ((file: FileHandle) => Promise<void>);

/** Replace `path` with `data` atomically; rejects (old file intact) on failure. */
export async function writeFileAtomic(path: string, data: AtomicContent): Promise<void> {
  const dir = dirname(path);
  await removeStaleTemps(dir, basename(path));
  const temp = join(dir, `.${basename(path)}.${process.pid}.${await randomHex(6)}.tmp`);
  // Keep the mode of the file we replace (a 0600 snapshot stays 0600).
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => 0o644,
  );
  track(temp);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await (typeof data === 'function' ? data(handle) : handle.writeFile(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    untrack(temp);
  }
  // Make the rename itself durable; some file systems refuse fsync on a directory.
  const dirHandle = await open(dir, 'r').catch(() => null);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}
