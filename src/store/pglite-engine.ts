/**
 * The embedded store: PostgreSQL compiled to WebAssembly (PGlite) on a local folder, so
 * `--db ./portcullis-db` needs no server. One process at a time (see folder-lock.ts).
 *
 * @module
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError, asStoreError } from './errors.js';
import { LOCK_FILE, lockFolder } from './folder-lock.js';
import type { SqlEngine, SqlParam, SqlSession } from './sql-engine.js';
import type { PGlite, Transaction } from '@electric-sql/pglite';


/**
 * A folder we may open: missing or empty (a new store), a PostgreSQL data folder, or one
 * another opener is creating (it holds our lock: look again once we hold it).
 */
async function checkFolder(folder: string): Promise<'new' | 'existing' | 'look-again'> {
  const st = await stat(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new StoreError('connect', `cannot open the store ${folder}: ${err.message}`);
  });
  if (!st) return 'new';
  if (!st.isDirectory()) throw new StoreError('foreign', `${folder} is a file, not a store folder; expected a folder (a new one is created)`);
  const all = await readdir(folder);
  const entries = all.filter((e) => e !== LOCK_FILE);
  if (entries.length === 0) return 'new';
  if (entries.includes('PG_VERSION')) return 'existing';
  if (all.includes(LOCK_FILE)) return 'look-again';
  throw new StoreError('foreign', `${folder} is not a Portcullis store: it holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) and no PG_VERSION; refusing to write into it. Name a new or empty folder.`);
}

function session(db: PGlite | Transaction, display: string): SqlSession {
  return {
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
      try {
        return (await db.query<Row>(sql, params as SqlParam[])).rows;
      } catch (err) {
        throw asStoreError(err, display);
      }
    },
  };
}

export async function openEmbedded(folder: string, display: string, lockWaitMs: number): Promise<SqlEngine> {
  const state = await checkFolder(folder);
  if (state === 'new') await mkdir(folder, { recursive: true });
  const lock = await lockFolder(folder, lockWaitMs);
  let db: PGlite;
  try {
    // Whoever was creating it is done: now it must be a store, or empty.
    if (state === 'look-again' && (await checkFolder(folder)) === 'look-again') {
      throw new StoreError('foreign', `${display} holds files but no PG_VERSION: a store whose creation was interrupted, or not a store; refusing to write into it. Remove it or name a new folder.`);
    }
    const pglite = await import('@electric-sql/pglite');
    db = await pglite.PGlite.create(folder);
  } catch (err) {
    await lock.release();
    if (err instanceof StoreError) throw err;
    const version = await stat(join(folder, 'PG_VERSION')).then(() => 'its PostgreSQL files', () => 'it');
    throw new StoreError('damaged', `cannot open the store ${display}: PGlite could not start on ${version} (${String((err as Error).message ?? err).slice(0, 200)}); the folder is damaged or from another PostgreSQL version. Nothing was changed.`);
  }
  return {
    display,
    ...session(db, display),
    transaction: (work) => db.transaction((tx) => work(session(tx, display))),
    async close() {
      try {
        await db.close();
      } finally {
        await lock.release();
      }
    },
  };
}
