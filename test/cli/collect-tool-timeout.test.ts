/**
 * `collect --tool-timeout`: a tool that hangs is stopped after the given time and named in
 * the snapshot, instead of the whole collection waiting for it; bad values are input errors.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-tool-timeout-'));
  // A stand-in for nft that hangs (a huge ruleset on a loaded host): first on PATH.
  writeFileSync(join(dir, 'nft'), '#!/bin/sh\nexec sleep 30\n');
  chmodSync(join(dir, 'nft'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collect(args: string[]) {
  return spawnSync(process.execPath, [BIN, 'collect', ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env['PATH']}` }, timeout: 60_000 });
}

describe('collect --tool-timeout', () => {
  it('stops a hanging tool after the given seconds and says so in the snapshot', () => {
    const started = Date.now();
    const r = collect(['--tool-timeout', '1.5']);
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    const nft = snapshot.firewall.find((f) => f.command[0] === 'nft');
    expect(nft?.status).not.toBe('ok');
    expect(JSON.stringify(nft)).toContain('did not finish within 1.5 s');
  });

  it.each(['0', '-3', 'abc', '', '100000'])('refuses %j with exit 2 and the expected form', (value) => {
    const r = collect(['--tool-timeout', value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tool-timeout: expected a number of seconds');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
