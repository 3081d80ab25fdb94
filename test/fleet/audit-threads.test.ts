/**
 * `audit --snapshot a.json b.json …` over worker threads gives the very report one thread
 * gives, byte for byte, in every format (the built CLI's code: the workers run dist/); and a
 * bad snapshot among many stops the run with the same error either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the benchmark, shared so the test audits the same kind of fleet.
import { fleetHost } from '../../bench/lib/fleet.mjs';

const DIST = join(process.cwd(), 'dist');
const BIN = join(DIST, 'cli/bin.js');
const built = existsSync(join(DIST, 'pool/analyze-worker.js'));
if (!built) console.warn('\n!!! AUDIT POOL TEST SKIPPED: dist/ not built (run: npx tsc -p tsconfig.json)\n');

let dir: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-pool-'));
  files = [];
  for (let i = 0; i < 6; i++) {
    const file = join(dir, `host-${i}.json`);
    writeFileSync(file, JSON.stringify(fleetHost(i, 3)));
    files.push(file);
  }
  // Real-world shapes too: the project's snapshot fixtures (docker, ufw, mixed backends…).
  const fixtures = join(process.cwd(), 'test/fixtures/snapshots');
  for (const f of readdirSync(fixtures).sort()) if (f.endsWith('.json')) files.push(join(fixtures, f));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface AuditModule {
  auditReport(opts: { snapshot: string[]; config?: string }, now: Date): Promise<unknown>;
  renderReport(report: unknown, format: string, color: boolean): string;
}

async function reports(threads: string): Promise<Record<string, string>> {
  const mod = (await import(pathToFileURL(join(DIST, 'cli/commands/audit.js')).href)) as AuditModule;
  const saved = process.env.PORTCULLIS_THREADS;
  process.env.PORTCULLIS_THREADS = threads;
  try {
    const report = await mod.auditReport({ snapshot: files, config: join(process.cwd(), 'test/fixtures/policy/full.yaml') }, new Date('2026-12-01T00:00:00Z'));
    return Object.fromEntries(['text', 'json', 'sarif', 'html'].map((f) => [f, mod.renderReport(report, f, false)]));
  } finally {
    if (saved === undefined) delete process.env.PORTCULLIS_THREADS;
    else process.env.PORTCULLIS_THREADS = saved;
  }
}

describe.skipIf(!built)('audit over worker threads', () => {
  it('gives the single-thread report byte for byte in every format', { timeout: 120_000 }, async () => {
    const one = await reports('1');
    const two = await reports('2');
    expect(JSON.parse(one.json!).hosts).toHaveLength(files.length);
    for (const format of ['text', 'json', 'sarif', 'html']) {
      expect(two[format], format).toBe(one[format]);
    }
  });

  it('stops at a bad snapshot with the same error and exit status 2 either way', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"portcullis-snapshot","version":1,\n"host": 7}\n');
    const argv = [BIN, 'audit', '--snapshot', files[0]!, bad, files[1]!, '--format', 'json'];
    const run = (threads: string) => spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, PORTCULLIS_THREADS: threads } });
    const one = run('1');
    const two = run('2');
    expect(one.status).toBe(2);
    expect(two.status).toBe(2);
    expect(one.stderr).toContain(bad);
    expect(one.stderr).not.toMatch(/\n\s+at /);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout).toBe('');
  });
});
