/**
 * Bring a database to this Portcullis's schema, or refuse: a database with other tables and
 * no migrations table is foreign, one with a later version is newer, one whose migrations or
 * tables do not add up is damaged. Nothing is written in any of those cases. Migrations run in
 * one transaction under an advisory lock, so two first writers do not both create the tables.
 *
 * @module
 */
import { StoreError } from './errors.js';
import { MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION } from './migrations.js';
import type { SqlEngine, SqlSession } from './sql-engine.js';

/** Arbitrary, constant: "pc" "ul" in ASCII; serialises migrations of all Portcullis processes. */
const MIGRATION_LOCK = 0x7063756c;

async function tablesOf(tx: SqlSession): Promise<Set<string>> {
  const rows = await tx.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
  return new Set(rows.map((r) => r.name));
}

function listed(names: readonly string[]): string {
  return names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length} tables)` : '');
}

/** Check the database and apply what is missing; returns the versions applied now. */
export async function migrate(db: SqlEngine): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const tables = await tablesOf(tx);
    let applied: { version: number; name: string }[] = [];
    if (!tables.has(MIGRATIONS_TABLE)) {
      if (tables.size > 0) {
        throw new StoreError('foreign', `${db.display} is not a Portcullis store: it has tables (${listed([...tables].sort())}) and no ${MIGRATIONS_TABLE}; refusing to write into it. Use a database (or folder) of its own.`);
      }
      await tx.query(`CREATE TABLE ${MIGRATIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    } else {
      applied = await tx.query<{ version: number; name: string }>(`SELECT version, name FROM ${MIGRATIONS_TABLE} ORDER BY version`);
    }
    const newest = applied[applied.length - 1]?.version ?? 0;
    if (newest > SCHEMA_VERSION) {
      throw new StoreError('newer', `${db.display} has store schema version ${newest}, newer than this Portcullis knows (${SCHEMA_VERSION}); upgrade Portcullis to use it. Nothing was changed.`);
    }
    applied.forEach((row, i) => {
      const known = MIGRATIONS[i];
      if (!known || row.version !== known.version || row.name !== known.name) {
        throw new StoreError('damaged', `${db.display}: ${MIGRATIONS_TABLE} row ${i + 1} is version ${row.version} "${row.name}"; expected version ${known?.version} "${known?.name}". The store is damaged; nothing was changed.`);
      }
    });
    const missing = MIGRATIONS.slice(0, applied.length).flatMap((m) => m.tables).filter((t) => !tables.has(t));
    if (missing.length > 0) {
      throw new StoreError('damaged', `${db.display}: store schema version ${newest} but table ${missing.join(', ')} is missing. The store is damaged; nothing was changed.`);
    }
    const pending = MIGRATIONS.slice(applied.length);
    for (const m of pending) {
      for (const statement of m.statements) await tx.query(statement);
      await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    return pending.map((m) => m.version);
  });
}
