/**
 * Open the store a `--db` value names, check or bring its schema up to date, and hand back
 * the snapshot store. Close it when done (an embedded store holds its folder's lock until then).
 *
 * @module
 */
import { parseStoreLocation } from './db-url.js';
import { migrate } from './migrate.js';
import { openEmbedded } from './pglite-engine.js';
import { openServer } from './postgres-engine.js';
import { SnapshotStore } from './snapshot-store.js';
import type { SqlEngine } from './sql-engine.js';

export interface OpenStoreOptions {
  /** How long to wait for another process to let go of an embedded store (default 30 s). */
  lockWaitMs?: number;
}

export const DEFAULT_LOCK_WAIT_MS = 30_000;

export async function openStore(db: string, options: OpenStoreOptions = {}): Promise<SnapshotStore> {
  const where = parseStoreLocation(db);
  const engine: SqlEngine =
    where.kind === 'server' ? await openServer(where.url, where.display) : await openEmbedded(where.folder, where.display, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  try {
    await migrate(engine);
  } catch (err) {
    await engine.close().catch(() => undefined);
    throw err;
  }
  return new SnapshotStore(engine);
}

/** Open, run `work`, close (also when it throws). */
export async function withStore<T>(db: string, work: (store: SnapshotStore) => Promise<T>, options: OpenStoreOptions = {}): Promise<T> {
  const store = await openStore(db, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
