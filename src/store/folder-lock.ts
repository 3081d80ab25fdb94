/**
 * PGlite runs PostgreSQL inside this process: two processes opening one folder would both
 * write its files and lose or corrupt data (PGlite itself does not stop them). So each opener
 * first takes `portcullis.lock` in the folder (created exclusively, holding pid and host name),
 * waits while another live process holds it, and takes over a lock whose process is gone.
 *
 * @module
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './errors.js';

export const LOCK_FILE = 'portcullis.lock';

export interface FolderLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  text: string;
}

async function readHolder(path: string): Promise<Holder | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  const [pid, host] = text.split('\n');
  return { pid: Number(pid), host: host ?? '', text };
}

/** A holder on this machine whose process no longer exists. */
function isStale(holder: Holder): boolean {
  if (holder.host !== hostname() || !Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n${hostname()}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StoreError('damaged', `cannot lock ${path}: ${(err as Error).message}`);
  }
}

/** Take the folder's lock, waiting up to `waitMs` for another process to let go. */
export async function lockFolder(folder: string, waitMs: number): Promise<FolderLock> {
  const path = join(folder, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(path)) return { release: () => unlink(path).catch(() => undefined) };
    const holder = await readHolder(path);
    if (holder && isStale(holder)) {
      // Remove only the stale lock we read, not one a third process has just taken.
      const again = await readHolder(path);
      if (again?.text === holder.text) await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host || 'an unknown host'}` : 'another process';
      throw new StoreError('locked', `the store ${folder} is in use by ${who} (an embedded store serves one process at a time); waited ${Math.round(waitMs / 1000)} s. Try again when it is done, or use a PostgreSQL server (--db postgres://…) for concurrent writers. If no such process runs, remove ${path}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}
