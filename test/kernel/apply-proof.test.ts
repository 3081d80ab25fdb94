/**
 * `portcullis apply` on harden's output folder, against the real kernel: the proof runs
 * before anything changes (a session that would be locked out is refused, nothing loaded),
 * `--dry-run` shows the reachability diff and changes nothing, and an applied, confirmed
 * ruleset lets exactly the policy's client in.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAsync, type RunResult } from './harness/exec.js';
import { startListeners, type Listeners } from './harness/listeners.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';
import { messyHost, rulesOf, type MessyHost } from './apply/messy-host.js';

const skip = kernelSkipReason(['nft', 'iptables-nft-save', 'iptables-legacy-save', 'socat']);

const POLICY = `trusted:
  admins: [192.0.2.8/29, 2001:db8:1::10/128]
allow:
  - hosts: ["*"]
    ports: [22/tcp]
    from: [admins]
`;

function cli(host: MessyHost, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return runAsync(['ip', 'netns', 'exec', host.ns, 'env', '-u', 'SSH_CONNECTION', '-u', 'SSH_CLIENT', ...assignments, process.execPath, PORTCULLIS_BIN, ...args]);
}

/** Does a TCP connection from the client namespace to ADDR:PORT open (2 s)? */
async function connects(host: MessyHost, addr: string, port: number): Promise<boolean> {
  const target = addr.includes(':') ? `TCP6:[${addr}]:${port}` : `TCP4:${addr}:${port}`;
  const r = await runAsync(['ip', 'netns', 'exec', `${host.ns}-c`, 'socat', '-u', 'OPEN:/dev/null', `${target},connect-timeout=2`]);
  return r.code === 0;
}

describe.skipIf(skip !== null)('kernel: apply runs harden\'s proof first', () => {
  let host: MessyHost | undefined;
  let listeners: Listeners | undefined;
  afterEach(async () => {
    await listeners?.stop();
    host?.dispose();
    host = listeners = undefined;
  });

  async function hardened(): Promise<{ dir: string; before: Record<string, string> }> {
    host = messyHost({ client: true });
    listeners = await startListeners(host.ns, [
      { proto: 'tcp', host: '::', port: 22 },
      { proto: 'tcp', host: '0.0.0.0', port: 6379 },
    ]);
    const policy = join(host.work, 'policy.yaml');
    writeFileSync(policy, POLICY);
    const dir = join(host.work, 'harden-out');
    mkdirSync(dir);
    const h = await cli(host, ['harden', '--config', policy, '--out', dir]);
    expect(h.code, h.stdout + h.stderr).toBe(0);
    return { dir, before: rulesOf(host.ns) };
  }

  it('--dry-run prints the reachability diff per service and changes nothing', async () => {
    const { dir, before } = await hardened();
    expect(await connects(host!, '192.0.2.1', 6379)).toBe(true);
    const r = await cli(host!, ['apply', dir, '--dry-run', '--state-dir', host!.stateDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/▼ \S+ tcp\/6379 redis: world → /);
    expect(r.stdout).toContain('dry run: nothing was changed');
    expect(r.stdout).toContain('proof: holds');
    // harden logs its drops (nft `limit … log`): the diff shows no new drops-not-logged finding.
    expect(r.stdout).not.toContain('never logged');
    // The messy iptables-nft accept of redis stays (apply touches no other backend) and is named with its delete command.
    expect(r.stdout).toMatch(/proof: left in iptables-nft and overridden by the new rules \(6379\/tcp; audit: backend-conflict\): -A INPUT .*--dport 6379 -j ACCEPT; once confirmed, delete it: iptables-nft -t filter -D INPUT /);
    expect(rulesOf(host!.ns)).toEqual(before);
    expect(existsSync(host!.stateDir)).toBe(false);
  }, 120_000);

  it('refuses, changing nothing, when the current SSH session would be locked out', async () => {
    const { dir, before } = await hardened();
    // A session from 192.0.2.1's neighbour .20: not among the admins.
    const r = await cli(host!, ['apply', dir, '--confirm-within', '3', '--state-dir', host!.stateDir], { SSH_CONNECTION: '192.0.2.20 50022 192.0.2.1 22' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('would lock out this SSH session');
    expect(r.stderr).toContain('192.0.2.20');
    expect(rulesOf(host!.ns)).toEqual(before);
    expect(existsSync(join(host!.stateDir, 'guard.json'))).toBe(false);
  }, 120_000);

  it('applies when the proof holds; once confirmed, exactly the admins reach sshd and redis is closed', async () => {
    const { dir, before } = await hardened();
    const r = await cli(host!, ['apply', dir, '--confirm-within', '20', '--state-dir', host!.stateDir], { SSH_CONNECTION: '192.0.2.10 50022 192.0.2.1 22' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('proof: holds');
    expect(r.stdout).toContain('keeps its access to sshd');
    expect((await cli(host!, ['apply', '--confirm', '--state-dir', host!.stateDir])).code).toBe(0);
    expect(rulesOf(host!.ns)).not.toEqual(before);
    expect(await connects(host!, '192.0.2.1', 22)).toBe(true); // client 192.0.2.10 is an admin
    expect(await connects(host!, '2001:db8:1::1', 22)).toBe(true);
    expect(await connects(host!, '192.0.2.1', 6379)).toBe(false);
    // The cycle's end: audit after apply finds no service open to the world (this policy makes no port public).
    const a = await cli(host!, ['audit', '--format', 'json', '--fail-on', 'none']);
    expect(a.code, a.stderr).toBe(0);
    const services = (JSON.parse(a.stdout) as { hosts: { services: { port: number; proto: string; exposure: string }[] }[] }).hosts[0]!.services;
    expect(services.some((x) => x.port === 22 && x.exposure === 'allowlisted')).toBe(true);
    expect(services.filter((x) => x.exposure === 'world').map((x) => `${x.port}/${x.proto}`)).toEqual([]);
  }, 120_000);
});
