/**
 * One behaviour suite for the store, run on both engines: embedded PGlite and a real
 * PostgreSQL server. Schema and migrations, round trips, refusing foreign, newer and damaged
 * databases without writing, and two writer processes at once losing nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, StoreError, openStore, withStore } from '../../src/store/index.js';
import { embeddedEngine, serverEngine, type StoreEngine } from './engines.js';

const run = promisify(execFile);
const WRITER = join(import.meta.dirname, 'writer.mjs');
const BUILT = existsSync(join(import.meta.dirname, '../../dist/store/index.js'));

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

async function writer(db: string, host: string, n: number, lockWaitMs: number, holdMs = 0): Promise<{ ids?: number[]; error?: string; message?: string }> {
  const { stdout } = await run('node', [WRITER, db, host, String(n), String(lockWaitMs), String(holdMs)], { timeout: 280_000 });
  return JSON.parse(stdout) as { ids?: number[]; error?: string };
}

const tableNames = async (engine: StoreEngine, db: string): Promise<string[]> =>
  (await engine.sql(db, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`)).map((r) => String(r.name));

const T = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 12, minute)).toISOString();

// Each embedded open starts PostgreSQL in WebAssembly (seconds on a loaded machine): long timeouts.
for (const engine of [embeddedEngine(), serverEngine()]) {
  if (engine.unavailable) console.warn(`\n!!! STORE TESTS ON ${engine.name.toUpperCase()} SKIPPED: ${engine.unavailable}\n`);
  describe.skipIf(engine.unavailable !== null)(`store on ${engine.name}`, { timeout: 300_000 }, () => {
    beforeAll(() => engine.setup(), 300_000);
    afterAll(() => engine.teardown());

    it('a new database gets the schema; opening it again applies nothing', async () => {
      const db = await engine.fresh();
      await withStore(db, async () => undefined);
      await withStore(db, async () => undefined);
      expect(await engine.sql(db, 'SELECT version, name FROM portcullis_migrations ORDER BY version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(await tableNames(engine, db)).toEqual(['portcullis_migrations', ...MIGRATIONS.flatMap((m) => m.tables)].sort());
    });

    it('keeps snapshots byte for byte and finds the newest, the one in force at a time, and a history', async () => {
      const db = await engine.fresh();
      const doc = (n: number): string => `{\n  "n": ${n},\n  "text": "ünïcode ✓ \\u0000 \t"\n}\n`;
      await withStore(db, async (store) => {
        await store.saveSnapshot({ host: 'web-1', collectedAt: T(20), document: doc(2) });
        // Stored later but collected earlier: order is by collection time.
        await store.saveSnapshot({ host: 'web-1', collectedAt: T(10), document: doc(1) });
        await store.saveSnapshot({ host: 'db-1', collectedAt: T(5), document: doc(3) });
        const latest = await store.latestSnapshots();
        expect(latest.map((s) => [s.host, s.collectedAt, s.document])).toEqual([
          ['db-1', T(5), doc(3)],
          ['web-1', T(20), doc(2)],
        ]);
        expect((await store.snapshotAt('web-1', new Date(T(15))))?.document).toBe(doc(1));
        expect((await store.snapshotAt('web-1', new Date(T(10))))?.document).toBe(doc(1));
        expect(await store.snapshotAt('web-1', new Date(T(9)))).toBeNull();
        expect(await store.snapshotAt('nobody', null)).toBeNull();
        expect((await store.history('web-1', null)).map((s) => s.document)).toEqual([doc(1), doc(2)]);
        // Since 12:15: the one in force then (12:10) as the baseline, then 12:20.
        expect((await store.history('web-1', new Date(T(15)))).map((s) => s.collectedAt)).toEqual([T(10), T(20)]);
        expect((await store.history('web-1', new Date(T(25)))).map((s) => s.collectedAt)).toEqual([T(20)]);
        expect(await store.hosts()).toEqual([
          { name: 'db-1', snapshots: 1, latest: T(5) },
          { name: 'web-1', snapshots: 2, latest: T(20) },
        ]);
      });
    });

    it('stores a batch all or none', async () => {
      const db = await engine.fresh();
      await withStore(db, async (store) => {
        const ok = { host: 'a', collectedAt: T(1), document: '{}' };
        await expect(store.saveSnapshots([ok, { host: 'b', collectedAt: 'not a time', document: '{}' }])).rejects.toThrow();
        expect(await store.hosts()).toEqual([]);
        expect((await store.saveSnapshots([ok, { ...ok, host: 'b' }])).map((s) => s.host)).toEqual(['a', 'b']);
      });
    });

    it('keeps an audit report host by host, with the snapshots it was made from', async () => {
      const db = await engine.fresh();
      await withStore(db, async (store) => {
        expect(await store.latestReport()).toBeNull();
        const [a, b] = await store.saveSnapshots([
          { host: 'a', collectedAt: T(1), document: '{}' },
          { host: 'b', collectedAt: T(2), document: '{}' },
        ]);
        const parts = [
          { host: 'b', snapshotId: b!.id, document: '{"host":"b"}' },
          { host: 'a', snapshotId: a!.id, document: '{"host":"a"}' },
          { host: 'from-a-file', snapshotId: null, document: '{}' },
        ];
        await store.saveReport({ generatedAt: T(3), header: '{"old":true}', hosts: parts.slice(0, 1) });
        const id = await store.saveReport({ generatedAt: T(4), header: '{"format":"portcullis-audit"}', hosts: parts });
        expect(await store.latestReport()).toEqual({ id, generatedAt: T(4), header: '{"format":"portcullis-audit"}', hosts: [parts[1], parts[0], parts[2]] });
        // A report part must name a stored snapshot (or none): all or nothing.
        await expect(store.saveReport({ generatedAt: T(5), header: '{}', hosts: [{ host: 'x', snapshotId: 999_999, document: '{}' }] })).rejects.toThrow();
        expect((await store.latestReport())!.id).toBe(id);
      });
    });

    it('refuses a database of another application and leaves it as it was', async () => {
      const db = await engine.fresh();
      await engine.sql(db, 'CREATE TABLE app_users (id integer, name text)', "INSERT INTO app_users VALUES (1, 'alice')");
      const err = await storeError(openStore(db));
      expect(err.code).toBe('foreign');
      expect(err.message).toMatch(/not a Portcullis store: it has tables \(app_users\)/);
      expect(await tableNames(engine, db)).toEqual(['app_users']);
      expect(await engine.sql(db, 'SELECT * FROM app_users')).toEqual([{ id: 1, name: 'alice' }]);
    });

    it('refuses a store written by a newer Portcullis, changing nothing', async () => {
      const db = await engine.fresh();
      await withStore(db, (store) => store.saveSnapshot({ host: 'a', collectedAt: T(1), document: '{}' }));
      await engine.sql(db, `INSERT INTO portcullis_migrations (version, name) VALUES (${SCHEMA_VERSION + 1}, 'from the future')`);
      const err = await storeError(openStore(db));
      expect(err.code).toBe('newer');
      expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}, newer than this Portcullis knows (${SCHEMA_VERSION})`);
      expect(await engine.sql(db, 'SELECT count(*)::integer AS n FROM portcullis_snapshots')).toEqual([{ n: 1 }]);
    });

    it('refuses a damaged store: a table missing, a migration row not ours', async () => {
      const db = await engine.fresh();
      await withStore(db, async () => undefined);
      await engine.sql(db, 'DROP TABLE portcullis_report_hosts');
      const missing = await storeError(openStore(db));
      expect([missing.code, missing.message]).toEqual(['damaged', expect.stringContaining('table portcullis_report_hosts is missing')]);
      expect(await tableNames(engine, db)).not.toContain('portcullis_report_hosts');

      const other = await engine.fresh();
      await withStore(other, async () => undefined);
      await engine.sql(other, "UPDATE portcullis_migrations SET name = 'something else'");
      const renamed = await storeError(openStore(other));
      expect([renamed.code, renamed.message]).toEqual(['damaged', expect.stringContaining('row 1 is version 1 "something else"')]);
    });

    describe.skipIf(!BUILT)('two writer processes at once', () => {
      if (!BUILT) console.warn('\n!!! STORE CONCURRENCY TESTS SKIPPED: dist/ not built (run: npx tsc -p tsconfig.json)\n');

      it('lose no snapshot, also when both create the store', async () => {
        const db = await engine.unborn();
        const [a, b] = await Promise.all([writer(db, 'web-1', 25, 240_000), writer(db, 'web-1', 25, 240_000)]);
        expect(a.ids).toHaveLength(25);
        expect(b.ids).toHaveLength(25);
        expect(new Set([...a.ids!, ...b.ids!]).size).toBe(50);
        expect(await engine.sql(db, 'SELECT count(*)::integer AS n, count(DISTINCT host_id)::integer AS hosts FROM portcullis_snapshots')).toEqual([{ n: 50, hosts: 1 }]);
        expect(await engine.sql(db, 'SELECT count(*)::integer AS n FROM portcullis_migrations')).toEqual([{ n: MIGRATIONS.length }]);
      }, 300_000);

      if (engine.kind === 'embedded') {
        it('an embedded store serves one process at a time: the second waits, or says who holds it', async () => {
          const db = await engine.fresh();
          await withStore(db, async () => undefined);
          const holder = writer(db, 'a', 1, 30_000, 15_000);
          // Wait until the first process holds the folder.
          for (let i = 0; i < 400 && !existsSync(join(db, 'portcullis.lock')); i++) await new Promise((r) => setTimeout(r, 25));
          const impatient = await writer(db, 'b', 1, 500);
          expect(impatient.error).toBe('locked');
          expect(impatient.message).toMatch(/in use by process \d+ on .*one process at a time.*postgres:\/\//);
          expect((await holder).ids).toHaveLength(1);
          expect(await engine.sql(db, 'SELECT count(*)::integer AS n FROM portcullis_snapshots')).toEqual([{ n: 1 }]);
        }, 300_000);
      }
    });

    if (engine.kind === 'embedded') {
      it('refuses a folder that holds other files, touching none of them', async () => {
        const dir = join(await engine.fresh(), '..', 'not-a-store');
        mkdirSync(dir);
        writeFileSync(join(dir, 'notes.txt'), 'mine');
        const err = await storeError(openStore(dir));
        expect([err.code, err.message]).toEqual(['foreign', expect.stringContaining('holds other files (notes.txt) and no PG_VERSION')]);
        expect(readdirSync(dir)).toEqual(['notes.txt']);
        const file = join(dir, 'notes.txt');
        expect((await storeError(openStore(file))).message).toContain('is a file, not a store folder');
        expect(readFileSync(file, 'utf8')).toBe('mine');
      });

      it('refuses a damaged data folder and releases it', async () => {
        const db = await engine.fresh();
        writeFileSync(join(db, 'PG_VERSION'), 'garbage\n');
        const err = await storeError(openStore(db));
        expect([err.code, err.message]).toEqual(['damaged', expect.stringContaining('PGlite could not start')]);
        expect(readFileSync(join(db, 'PG_VERSION'), 'utf8')).toBe('garbage\n');
        expect(existsSync(join(db, 'portcullis.lock'))).toBe(false);
      }, 300_000);

      it('takes over the lock of a process that is gone', async () => {
        const db = await engine.fresh();
        // A pid above the kernel's pid_max cannot be alive.
        writeFileSync(join(db, 'portcullis.lock'), `${2 ** 22 + 1}\n${(await import('node:os')).hostname()}\n`);
        await withStore(db, (store) => store.saveSnapshot({ host: 'a', collectedAt: T(1), document: '{}' }), { lockWaitMs: 1000 });
        expect(existsSync(join(db, 'portcullis.lock'))).toBe(false);
      }, 300_000);
    } else {
      it('a statement the server refuses (no privilege) is a StoreError naming the database', async () => {
        const db = await engine.fresh();
        await engine.sql(db, 'CREATE ROLE visitor LOGIN', 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
        const err = await storeError(openStore(db.replace('postgres@', 'visitor@')));
        expect(err.code).toBe('server');
        expect(err.message).toMatch(/permission denied for schema public \(SQLSTATE 42501\)/);
        expect(await tableNames(engine, db)).toEqual([]);
      });

      it('says which server it cannot reach, without the password', async () => {
        const err = await storeError(openStore('postgresql://portcullis:s3cret@/nowhere?host=/nonexistent-socket-dir'));
        expect(err.code).toBe('connect');
        expect(err.message).toContain('cannot connect to postgresql://portcullis:***@');
        expect(err.message).not.toContain('s3cret');
      });
    }
  });
}
