/**
 * The two engines the store suite runs on: embedded PGlite (a folder) and a real PostgreSQL
 * server (a throwaway cluster of Debian's binaries, test/helpers/postgres-cluster.mjs). Each
 * gives fresh empty databases and a raw SQL door to tamper with them.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { postgresUnavailable, startPostgres } from '../helpers/postgres-cluster.mjs';

export interface StoreEngine {
  name: string;
  kind: 'embedded' | 'server';
  /** Why it cannot run here, or null. */
  unavailable: string | null;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A --db value naming a new, empty database. */
  fresh(): Promise<string>;
  /** A --db value naming a database that does not exist yet (embedded: a missing folder; a server's database must be created first, so: fresh). */
  unborn(): Promise<string>;
  /** Run statements on the database directly (not through the store); rows of the last. */
  sql(db: string, ...statements: string[]): Promise<Record<string, unknown>[]>;
}

export function embeddedEngine(): StoreEngine {
  let root = '';
  let count = 0;
  return {
    name: 'embedded PGlite',
    kind: 'embedded',
    unavailable: null,
    async setup() {
      root = mkdtempSync(join(tmpdir(), 'pc-store-'));
      // initdb once (seconds under WebAssembly); each fresh database is a copy of the empty cluster.
      const template = await PGlite.create(join(root, 'template'));
      await template.close();
    },
    async teardown() {
      if (root) rmSync(root, { recursive: true, force: true });
    },
    async fresh() {
      const dir = join(root, `db-${++count}`);
      cpSync(join(root, 'template'), dir, { recursive: true });
      return dir;
    },
    async unborn() {
      return join(root, `new-${++count}`, 'db');
    },
    async sql(db, ...statements) {
      const raw = await PGlite.create(db);
      try {
        let rows: Record<string, unknown>[] = [];
        for (const s of statements) rows = (await raw.query<Record<string, unknown>>(s)).rows;
        return rows;
      } finally {
        await raw.close();
      }
    },
  };
}

export function serverEngine(): StoreEngine {
  let cluster: ReturnType<typeof startPostgres> | null = null;
  let count = 0;
  return {
    name: 'PostgreSQL server',
    kind: 'server',
    unavailable: postgresUnavailable(),
    async setup() {
      cluster = startPostgres();
    },
    async teardown() {
      cluster?.stop();
    },
    async fresh() {
      return cluster!.createDatabase(`store_${process.pid}_${++count}`);
    },
    unborn() {
      return this.fresh();
    },
    async sql(db, ...statements) {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      try {
        let rows: Record<string, unknown>[] = [];
        for (const s of statements) rows = (await client.query(s)).rows as Record<string, unknown>[];
        return rows;
      } finally {
        await client.end();
      }
    },
  };
}
