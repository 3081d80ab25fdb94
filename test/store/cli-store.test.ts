/**
 * The store through the CLI as a user meets it, on both engines: the built binary, recorded
 * snapshots of real hosts (test/fixtures/snapshots) stored under their inventory names, and
 * `audit --db`, `history`, `diff --db`, `collect --db` with their exit codes and messages.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStore } from '../../src/store/index.js';
import { embeddedEngine, serverEngine } from './engines.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli/bin.js');
const BUILT = existsSync(BIN);
if (!BUILT) console.warn('\n!!! STORE CLI TESTS SKIPPED: dist/ not built (run: npx tsc -p tsconfig.json)\n');

const fixture = (name: string): string => readFileSync(join(ROOT, 'test/fixtures/snapshots', `${name}.json`), 'utf8');
const collectedAt = (text: string): string => (JSON.parse(text) as { collectedAt: string }).collectedAt;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
function validator(name: 'audit' | 'history' | 'diff') {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
  ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas/diff.schema.json'), 'utf8')) as object);
  return name === 'diff' ? ajv.getSchema('https://portcullis.invalid/schemas/diff.schema.json')! : ajv.compile(JSON.parse(readFileSync(join(ROOT, `schemas/${name}.schema.json`), 'utf8')) as object);
}

// web-1 first allowed Redis only from its office, then opened it to the world.
const BEFORE = fixture('ufw-allowlist');
const AFTER = fixture('ufw-redis-open');
const between = new Date((Date.parse(collectedAt(BEFORE)) + Date.parse(collectedAt(AFTER))) / 2).toISOString();

// Each embedded open starts PostgreSQL in WebAssembly (seconds on a loaded machine): long timeouts.
for (const engine of [embeddedEngine(), serverEngine()]) {
  describe.skipIf(!BUILT || engine.unavailable !== null)(`the store through the CLI, ${engine.name}`, { timeout: 300_000 }, () => {
    let db = '';
    beforeAll(async () => {
      await engine.setup();
      db = await engine.fresh();
      await withStore(db, (store) =>
        store.saveSnapshots([
          { host: 'web-1', collectedAt: collectedAt(BEFORE), document: BEFORE },
          { host: 'web-1', collectedAt: collectedAt(AFTER), document: AFTER },
          { host: 'bare-1', collectedAt: collectedAt(fixture('bare-host')), document: fixture('bare-host') },
          { host: 'edge-1', collectedAt: collectedAt(fixture('mixed-backends')), document: fixture('mixed-backends') },
        ]),
      );
    }, 300_000);
    afterAll(() => engine.teardown());

    it('audit --db: the newest snapshot of every host in one report, hosts by store key, the report kept', async () => {
      const r = await cli(['audit', '--db', db, '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1); // Redis open to the world on web-1
      const report = JSON.parse(r.stdout);
      const valid = validator('audit');
      expect(valid(report), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
      expect(report.hosts.map((h: { name: string }) => h.name)).toEqual(['bare-1', 'edge-1', 'web-1']);
      expect(report.hosts[2].collectedAt).toBe(collectedAt(AFTER));
      expect(report.findings.some((f: { host: string; rule: string; service: { port: number } | null }) => f.host === 'web-1' && f.service?.port === 6379 && f.severity === 'critical')).toBe(true);
      // Kept host by host: header plus each host's audit and findings give the report back.
      const kept = (await withStore(db, (store) => store.latestReport()))!;
      const parts = kept.hosts.map((p) => JSON.parse(p.document) as { host: unknown; findings: { id: string }[] });
      const byId = (x: { id: string }, y: { id: string }): number => x.id.localeCompare(y.id);
      expect({ ...JSON.parse(kept.header), hosts: parts.map((p) => p.host), findings: parts.flatMap((p) => p.findings).sort(byId) }).toEqual({ ...report, findings: [...report.findings].sort(byId) });
      expect(kept.hosts.map((p) => [p.host, typeof p.snapshotId])).toEqual([['bare-1', 'number'], ['edge-1', 'number'], ['web-1', 'number']]);
      const sarif = await cli(['audit', '--db', db, '--format', 'sarif', '--fail-on', 'none']);
      expect(sarif.code).toBe(0);
      expect(JSON.parse(sarif.stdout).runs[0].results.length).toBe(report.findings.filter((f: { suppressed?: unknown }) => !f.suppressed).length);
    }, 300_000);

    it('history HOST: the snapshots and the widening between them', async () => {
      const r = await cli(['history', 'web-1', '--db', db, '--format', 'json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const history = JSON.parse(r.stdout);
      const valid = validator('history');
      expect(valid(history), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
      expect(history.snapshots.map((s: { collectedAt: string }) => s.collectedAt)).toEqual([collectedAt(BEFORE), collectedAt(AFTER)]);
      expect(history.snapshots[1].findings.critical).toBeGreaterThan(history.snapshots[0].findings.critical);
      expect(history.changes).toHaveLength(1);
      expect(history.changes[0]).toMatchObject({ from: history.snapshots[0].id, to: history.snapshots[1].id, worsened: true, changed: true });
      expect(history.changes[0].diff.widened).toEqual([expect.objectContaining({ host: 'web-1', proto: 'tcp', port: 6379, to: 'world' })]);
      const text = await cli(['history', 'web-1', '--db', db]);
      expect(text.stdout).toMatch(/web-1 · 2 snapshots/);
      expect(text.stdout).toMatch(/exposure got worse[\s\S]*tcp\/6379 redis: \w+ → world/);
      // Since a time between the two: the one in force then is the baseline.
      const since = JSON.parse((await cli(['history', 'web-1', '--db', db, '--since', between, '--json'])).stdout);
      expect([since.since, since.snapshots.length]).toEqual([between, 2]);
      const later = JSON.parse((await cli(['history', 'web-1', '--db', db, '--since', new Date(Date.parse(collectedAt(AFTER)) + 1000).toISOString(), '--json'])).stdout);
      expect([later.snapshots.length, later.changes]).toEqual([1, []]);
    }, 300_000);

    it('diff --db HOST --since: against the snapshot in force then; exit 1 when worse', async () => {
      const r = await cli(['diff', '--db', db, 'web-1', '--since', between, '--json']);
      expect([r.code, r.stderr]).toEqual([1, '']);
      const diff = JSON.parse(r.stdout);
      expect(validator('diff')(diff)).toBe(true);
      expect([diff.old.generatedAt, diff.new.generatedAt]).toEqual([collectedAt(BEFORE), collectedAt(AFTER)]);
      expect(diff.widened.map((c: { port: number }) => c.port)).toEqual([6379]);
      // Without --since: the one before the newest, here the same pair.
      expect(JSON.parse((await cli(['diff', '--db', db, 'web-1', '--json'])).stdout)).toEqual(diff);
      const early = await cli(['diff', '--db', db, 'web-1', '--since', '2026-01-01']);
      expect(early.code).toBe(2);
      expect(early.stderr).toMatch(/no snapshot of "web-1" at or before 20\d\d-.*; its first is from 2026-11-21T08:17:03.637Z/);
      const single = await cli(['diff', '--db', db, 'bare-1']);
      expect([single.code, single.stderr]).toEqual([2, expect.stringContaining('one snapshot of "bare-1": nothing to compare it with yet')]);
    }, 300_000);

    it('names the hosts it has when asked for one it has not; bad combinations are exit 2', async () => {
      const r = await cli(['history', 'web-9', '--db', db]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain('has no host "web-9"; it has "bare-1", "edge-1", "web-1"');
      for (const args of [
        ['audit', '--db', db, '--snapshot', join(ROOT, 'test/fixtures/snapshots/bare-host.json')],
        ['diff', '--since', '7d', 'a.json', 'b.json'],
        ['diff', '--db', db, 'web-1', 'web-2'],
        ['history', 'web-1', '--db', db, '--since', 'last tuesday'],
        ['audit', '--db', 'mysql://somewhere/db'],
      ]) {
        const bad = await cli(args);
        expect([args.join(' '), bad.code]).toEqual([args.join(' '), 2]);
        expect(bad.stderr).toMatch(/^portcullis: /);
        expect(bad.stderr).not.toMatch(/\n\s+at /);
      }
    }, 300_000);

    it('a damaged stored snapshot: exit 2 naming the host and time, nothing stored', async () => {
      const broken = await engine.fresh();
      const text = AFTER.replace('"sockets"', '"sockets": 42, "x"');
      await withStore(broken, (store) => store.saveSnapshot({ host: 'web-1', collectedAt: collectedAt(AFTER), document: text }));
      const r = await cli(['audit', '--db', broken]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/: web-1 @ 2026-11-21T08:17:06.798Z \(snapshot 1\) is not a usable Portcullis snapshot/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await withStore(broken, (store) => store.latestReport())).toBeNull();
    }, 300_000);

    if (engine.kind === 'embedded') {
      it('a folder of something else: exit 2, nothing written into it', async () => {
        const dir = join(db, '..', 'photos');
        mkdirSync(dir);
        writeFileSync(join(dir, 'cat.jpg'), 'not really');
        const r = await cli(['audit', '--db', dir]);
        expect([r.code, r.stdout]).toEqual([2, '']);
        expect(r.stderr).toContain(`${dir} is not a Portcullis store`);
        expect(readdirSync(dir)).toEqual(['cat.jpg']);
      });

      it('collect --db stores this host under --name (nothing on standard output); audit --db then sees it', async () => {
        const fresh = join(db, '..', 'collected');
        const r = await cli(['collect', '--db', fresh, '--name', 'laptop']);
        expect([r.code, r.stdout]).toEqual([0, '']);
        expect(r.stderr).toMatch(/stored snapshot 1 of laptop in /);
        const withOut = await cli(['collect', '--db', fresh, '--name', 'laptop', '--out', join(fresh, '..', 'laptop.json')]);
        expect(withOut.code).toBe(0);
        const history = JSON.parse((await cli(['history', 'laptop', '--db', fresh, '--json'])).stdout);
        expect(history.snapshots).toHaveLength(2);
        const stored = await withStore(fresh, (store) => store.snapshotAt('laptop', null));
        expect(stored!.document).toBe(readFileSync(join(fresh, '..', 'laptop.json'), 'utf8'));
        const audit = JSON.parse((await cli(['audit', '--db', fresh, '--json', '--fail-on', 'none'])).stdout);
        expect(audit.hosts.map((h: { name: string }) => h.name)).toEqual(['laptop']);
      }, 300_000);
    }
  });
}
