/**
 * `portcullis apply` against the real kernel, in namespaces holding a messy ruleset (Docker's
 * iptables-nft chains built one command at a time, legacy rules, native nft tables before and
 * after them). The way back must be exact: every backend's dump (counters and dates aside)
 * byte for byte what it was, including when the applying process and its whole session are
 * killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trackChild } from './harness/cleanup.js';
import { runAsync, runIn, type RunResult } from './harness/exec.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';
import { messyHost, rulesOf, type MessyHost } from './apply/messy-host.js';
import { stateFileProblems } from './apply/state-schema.js';

const skip = kernelSkipReason(['nft', 'iptables-nft-save', 'iptables-legacy-save', 'ip6tables-legacy-save', 'iptables-restore', 'sh']);

const HARDEN_LIKE = `table inet portcullis
delete table inet portcullis
table inet portcullis {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    ct state established,related accept
    tcp dport 22 ip saddr 192.0.2.0/24 accept comment "sshd: policy admins"
  }
}
`;
/** What /etc/nftables.conf usually starts with: everything else goes, Docker's tables too. */
const FLUSHING = `flush ruleset
table inet filter {
  chain input { type filter hook input priority 0; policy drop; iif "lo" accept; tcp dport 22 accept; }
}
`;
const RULES_V4 = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp --dport 22 -s 192.0.2.0/24 -j ACCEPT
COMMIT
`;
const RULES_V6 = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
COMMIT
`;

function cli(host: MessyHost, args: string[]): Promise<RunResult> {
  return runAsync(['ip', 'netns', 'exec', host.ns, process.execPath, PORTCULLIS_BIN, ...args]);
}

function writeInput(host: MessyHost, name: string, files: Record<string, string>): string {
  const dir = join(host.work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function waitUntil(what: string, withinMs: number, check: () => boolean): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    if (check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${withinMs} ms`);
}

function guardPid(host: MessyHost): number {
  return (JSON.parse(readFileSync(join(host.stateDir, 'guard.json'), 'utf8')) as { pid: number }).pid;
}

describe.skipIf(skip !== null)('kernel: apply with an automatic way back', () => {
  let host: MessyHost | undefined;
  afterEach(() => {
    host?.dispose();
    host = undefined;
  }, 120_000);

  it('apply then confirm: the new rules stay after the timeout', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const dir = writeInput(host, 'harden-out', { 'ruleset.nft': HARDEN_LIKE });
    const applied = await cli(host, ['apply', dir, '--confirm-within', '10', '--state-dir', host.stateDir]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`portcullis apply --confirm --state-dir ${host.stateDir}`);
    const after = rulesOf(host.ns);
    expect(after.nft).toContain('table inet portcullis');
    // The state files of a real apply follow the schema; the backup is what the host held.
    for (const f of ['guard.json', 'backup/manifest.json']) expect(stateFileProblems(join(host.stateDir, f)).problems).toEqual([]);
    const guard = stateFileProblems(join(host.stateDir, 'guard.json')).data as { deadline: string };
    expect(guard).toMatchObject({ phase: 'armed', confirmWithinSeconds: 10 });
    expect(readFileSync(join(host.stateDir, 'backup', 'nft.txt'), 'utf8').replace(/packets \d+ bytes \d+/g, 'packets 0 bytes 0')).toBe(before.nft);
    const confirmed = await cli(host, ['apply', '--confirm', '--state-dir', host.stateDir]);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('confirmed');
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(guard.deadline) - Date.now()) + 1500));
    expect(rulesOf(host.ns)).toEqual(after);
    expect(after).not.toEqual(before);
    expect(existsSync(join(host.stateDir, 'guard.json'))).toBe(false);
    expect(stateFileProblems(join(host.stateDir, 'outcome.json'))).toMatchObject({ problems: [], data: { result: 'kept', reason: 'confirmed' } });
  }, 120_000);

  const killCases: [string, (h: MessyHost) => string][] = [
    ['a harden-like ruleset.nft (one new table)', (h) => writeInput(h, 'harden-out', { 'ruleset.nft': HARDEN_LIKE })],
    ['an nft file that flushes the whole ruleset, Docker\'s tables too', (h) => join(writeInput(h, 'flushing', { 'nftables.conf': FLUSHING }), 'nftables.conf')],
    ['rules.v4/rules.v6 replacing the iptables-nft filter tables', (h) => writeInput(h, 'persistent', { 'rules.v4': RULES_V4, 'rules.v6': RULES_V6 })],
  ];
  for (const [name, input] of killCases) {
    it(`SIGKILL of the applying process and its session: ${name} is rolled back byte for byte`, async () => {
      host = messyHost();
      const before = rulesOf(host.ns);
      const path = input(host);
      // A session of its own (like an SSH login's shell), killed as a whole once the rules are in.
      const session = spawn('ip', ['netns', 'exec', host.ns, 'sh', '-c', `"$0" "$1" apply "$2" --confirm-within 6 --state-dir "$3"; sleep 60`, process.execPath, PORTCULLIS_BIN, path, host.stateDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      trackChild(session);
      let out = '';
      session.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      session.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
      // Generous waits: 8 engineers share 2 cores, node may take seconds to start.
      await waitUntil(`apply prints "loaded:" (output so far: ${out})`, 45_000, () => out.includes('loaded:'));
      process.kill(-session.pid!, 'SIGKILL');
      const changed = rulesOf(host.ns);
      expect(changed).not.toEqual(before);
      expect(existsSync(join(host.stateDir, 'guard.json'))).toBe(true);
      const deadline = Date.parse((JSON.parse(readFileSync(join(host.stateDir, 'guard.json'), 'utf8')) as { deadline: string }).deadline);
      await waitUntil('the previous rules are back', Math.max(0, deadline - Date.now()) + 30_000, () => !existsSync(join(host!.stateDir, 'guard.json')));
      expect(rulesOf(host.ns)).toEqual(before);
      const outcome = stateFileProblems(join(host.stateDir, 'outcome.json'));
      expect(outcome).toMatchObject({ problems: [], data: { result: 'rolled-back', reason: 'timeout', failures: [], differences: [] } });
      // Restored at the deadline, not before it (and not much after: the guard polls every 100 ms).
      const late = Date.parse((outcome.data as { at: string }).at) - deadline;
      console.log(`apply kill test (${name}): restored ${late} ms after the deadline`);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(20_000);
    }, 120_000);
  }

  it('a file that does not load is refused with the tool\'s message; the running rules are untouched', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const broken = join(writeInput(host, 'broken', { 'ruleset.nft': 'table inet portcullis {\n  chain input { type filter hook input priority 0; tcp dport 22 acept; }\n}\n' }), 'ruleset.nft');
    const r = await cli(host, ['apply', broken, '--confirm-within', '3', '--state-dir', host.stateDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken} does not load`);
    expect(r.stderr).toMatch(/ruleset\.nft:2:\d+/); // nft's file:line:column
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(rulesOf(host.ns)).toEqual(before);
    expect(existsSync(join(host.stateDir, 'guard.json'))).toBe(false);
    // A folder whose plan.json is not harden's: the proof cannot read its intent.
    const badPlan = writeInput(host, 'bad-plan', { 'ruleset.nft': HARDEN_LIKE, 'plan.json': '{"format":"portcullis-harden-plan"}' });
    const p = await cli(host, ['apply', badPlan, '--state-dir', host.stateDir]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(`${join(badPlan, 'plan.json')} at $: not a valid harden plan`);
    expect(rulesOf(host.ns)).toEqual(before);
  }, 120_000);

  it('a second apply is refused while a guard is armed; --rollback restores at once', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const dir = writeInput(host, 'persistent', { 'rules.v4': RULES_V4, 'rules.v6': RULES_V6 });
    const first = await cli(host, ['apply', dir, '--confirm-within', '30', '--state-dir', host.stateDir]);
    expect(first.code, first.stderr).toBe(0);
    const applied = rulesOf(host.ns);
    const second = await cli(host, ['apply', dir, '--confirm-within', '30', '--state-dir', host.stateDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('a rollback guard is armed');
    expect(rulesOf(host.ns)).toEqual(applied);
    const started = Date.now();
    const back = await cli(host, ['apply', '--rollback', '--state-dir', host.stateDir]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('rolled back (rollback-requested)');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(rulesOf(host.ns)).toEqual(before);
    expect(existsSync(join(host.stateDir, 'guard.json'))).toBe(false);
  }, 120_000);

  it('a guard killed with SIGKILL leaves the lock: apply refuses, --rollback restores in its stead', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const dir = writeInput(host, 'harden-out', { 'ruleset.nft': HARDEN_LIKE });
    expect((await cli(host, ['apply', dir, '--confirm-within', '30', '--state-dir', host.stateDir])).code).toBe(0);
    process.kill(guardPid(host), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const again = await cli(host, ['apply', dir, '--state-dir', host.stateDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is gone without confirm or rollback');
    const back = await cli(host, ['apply', '--rollback', '--state-dir', host.stateDir]);
    expect(back.code, back.stderr).toBe(0);
    expect(rulesOf(host.ns)).toEqual(before);
  }, 120_000);

  it('the guard ignores SIGHUP (a closed terminal) and restores at once on SIGTERM (shutdown)', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const dir = writeInput(host, 'harden-out', { 'ruleset.nft': HARDEN_LIKE });
    expect((await cli(host, ['apply', dir, '--confirm-within', '60', '--state-dir', host.stateDir])).code).toBe(0);
    const pid = guardPid(host);
    process.kill(pid, 'SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(join(host.stateDir, 'guard.json'))).toBe(true);
    expect(rulesOf(host.ns)).not.toEqual(before);
    process.kill(pid, 'SIGTERM');
    await waitUntil('the guard restores on SIGTERM', 30_000, () => !existsSync(join(host!.stateDir, 'guard.json')));
    expect(rulesOf(host.ns)).toEqual(before);
    expect(stateFileProblems(join(host.stateDir, 'outcome.json'))).toMatchObject({ problems: [], data: { result: 'rolled-back', reason: 'signal' } });
    expect(readFileSync(join(host.stateDir, 'guard.log'), 'utf8')).toContain('SIGHUP ignored');
  }, 120_000);

  it('restore-by-hand.sh, written with the backup, rebuilds every backend exactly without Portcullis', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    const path = join(writeInput(host, 'flushing', { 'nftables.conf': FLUSHING }), 'nftables.conf');
    expect((await cli(host, ['apply', path, '--confirm-within', '30', '--state-dir', host.stateDir])).code).toBe(0);
    process.kill(guardPid(host), 'SIGKILL');
    expect(rulesOf(host.ns)).not.toEqual(before);
    runIn(host.ns, ['sh', join(host.stateDir, 'backup', 'restore-by-hand.sh')]);
    expect(rulesOf(host.ns)).toEqual(before);
  }, 120_000);

  it('a damaged state dir is a clear error (file, JSON path), exit 2, nothing changed', async () => {
    host = messyHost();
    const before = rulesOf(host.ns);
    mkdirSync(host.stateDir, { recursive: true });
    writeFileSync(join(host.stateDir, 'guard.json'), '{"kind":"portcullis-apply-guard","version":1,"phase":"armed","pid":"x"');
    const dir = writeInput(host, 'harden-out', { 'ruleset.nft': HARDEN_LIKE });
    const r = await cli(host, ['apply', dir, '--state-dir', host.stateDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(host.stateDir, 'guard.json')}: damaged state file, not JSON`);
    writeFileSync(join(host.stateDir, 'guard.json'), JSON.stringify({ kind: 'portcullis-apply-guard', version: 1, phase: 'armed', pid: 'x' }));
    const r2 = await cli(host, ['apply', '--rollback', '--state-dir', host.stateDir]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/guard\.json at \$(\.pid)?: damaged state file/);
    expect(r2.stderr).not.toMatch(/\n\s+at /);
    expect(rulesOf(host.ns)).toEqual(before);
  }, 120_000);
});
