/**
 * collectOverSsh's own duties, without a network (any user): the ssh program is a stand-in
 * that runs the collector here with `sh -s` (or fails as ssh would), so the pool, the order
 * of results, the timeout kill and the argv given to ssh are checked where sshd cannot run.
 * The real OpenSSH path is test/fleet/collect-ssh.test.ts (root).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectOverSsh } from '../../src/collect/ssh/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-cos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for ssh: logs its argv and start/end times, then behaves per destination:
 * "slow-*" sleeps in a child, "denied-*" fails like a refused key, anything else runs the script.
 */
const fakeSsh = join(dir, 'ssh');
writeFileSync(
  fakeSsh,
  `#!/bin/sh
log=${dir}/log
for a; do dest=$prev; prev=$a; done
echo "start $(date +%s%N) $*" >>"$log"
case "$dest" in
  slow-*) sleep 8 ;; # a child that keeps the pipes open after ssh is killed, as a ProxyCommand would
  denied-*) echo "$dest: Permission denied (publickey)." >&2; echo "end $(date +%s%N)" >>"$log"; exit 255 ;;
  *) sh -s; rc=$?; echo "end $(date +%s%N)" >>"$log"; exit $rc ;;
esac
`,
);
chmodSync(fakeSsh, 0o755);

describe('collectOverSsh', () => {
  it('keeps at most --parallel hosts in flight, returns results in target order, passes BatchMode, -F, -p, user@host', async () => {
    writeFileSync(join(dir, 'log'), '');
    const targets = Array.from({ length: 6 }, (_, i) => ({ name: `h${i}`, host: `h${i}`, ...(i === 1 ? { user: 'admin', port: 2222 } : {}) }));
    targets.splice(3, 0, { name: 'denied-1', host: 'denied-1' });
    const results = await collectOverSsh(targets, { parallel: 2, sshProgram: fakeSsh, sshConfig: '/dev/null', timeoutSeconds: 60 });
    expect(results.map((r) => r.name)).toEqual(targets.map((t) => t.name));
    expect(results.filter((r) => r.ok).length).toBe(6);
    const denied = results[3]!;
    expect(denied.ok ? null : denied.error).toMatchObject({ kind: 'auth', message: expect.stringContaining('Permission denied (publickey)') });
    const ok = results[0]!;
    expect(ok.ok && ok.snapshot.privileges.euid).toBe(process.geteuid?.());
    const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
    const starts = log.filter((l) => l.startsWith('start '));
    expect(starts.find((l) => l.includes('admin@h1'))).toContain('-o BatchMode=yes -F /dev/null -p 2222 -- admin@h1 sh -s');
    // In flight at once, from the start and end times.
    let inFlight = 0;
    let most = 0;
    const events = log.map((l) => ({ t: BigInt(l.split(' ')[1]!), d: l.startsWith('start') ? 1 : -1 })).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.d - b.d));
    for (const e of events) most = Math.max(most, (inFlight += e.d));
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBe(2);
  }, 120_000);

  it('kills ssh at the timeout and says so; --sudo runs `sudo -n sh -s`', async () => {
    writeFileSync(join(dir, 'log'), '');
    const started = Date.now();
    const [slow] = await collectOverSsh([{ name: 'slow-1', host: 'slow-1' }], { sshProgram: fakeSsh, timeoutSeconds: 1, sudo: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow!.ok ? null : slow!.error).toEqual({ kind: 'timeout', message: 'no answer within 1 s (ssh killed)' });
    expect(readFileSync(join(dir, 'log'), 'utf8')).toContain('-- slow-1 sudo -n sh -s');
  });

  it('a missing ssh program is a per-host failure, not a crash', async () => {
    const [r] = await collectOverSsh([{ name: 'a', host: 'a' }], { sshProgram: join(dir, 'no-such-ssh') });
    expect(r!.ok ? null : r!.error.kind).toBe('ssh-missing');
  });
});
