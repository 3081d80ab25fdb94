/**
 * `portcullis watch --ssh` against a namespace host running the real Debian sshd (root):
 * the watch runs in the client namespace with the fleet's ssh_config (host key checking on),
 * a port opened on the host during the watch is an event named after the target within one
 * interval, and SIGTERM ends it with 0. The per-host rules (baseline, missed rounds) are
 * test/kernel/watch-ssh.test.ts and src/watch/watch-loop.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../audit-e2e/cli.js';
import { trackChild } from '../kernel/harness/cleanup.js';
import { onJsonLines } from '../kernel/harness/watch-host.js';
import { validator } from '../render/load.js';
import { createSshFleet, sshFleetSkipReason } from './harness/ssh-fleet.mjs';

const TOOLS = ['sshd', 'ssh', 'ssh-keygen', 'unshare', 'socat'];
const INTERVAL_S = 3;
/** A round over ssh on a loaded 2-core machine, beyond the interval. */
const ROUND_SLACK_MS = 8000;


const skip = sshFleetSkipReason({ tools: TOOLS, debian: 'openssh-server openssh-client util-linux socat', bin: BIN, what: 'WATCH --SSH FLEET TEST' });

describe.skipIf(skip !== null)('watch --ssh against real sshd in a network namespace', () => {
  let fleet: Awaited<ReturnType<typeof createSshFleet>>;
  let watcher: ChildProcess | undefined;

  beforeAll(async () => {
    fleet = await createSshFleet({ hosts: 1 });
  }, 120_000);

  afterAll(() => {
    watcher?.kill('SIGKILL');
    fleet?.destroy();
  });

  it('a port opened on the host during the watch is reported within one interval, named after the target', { timeout: 120_000 }, async () => {
    const h0 = fleet.hosts[0]!;
    const target = `root@${h0.address}`;
    const child = spawn('ip', ['netns', 'exec', fleet.client, process.execPath, BIN, 'watch', '--ssh', target, '--ssh-config', fleet.sshConfig, '--interval', String(INTERVAL_S), '--timeout', '60', '--format', 'json'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    watcher = child;
    trackChild(child);
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    onJsonLines(child.stdout!, (e) => events.push(e));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const waitFor = async (what: () => boolean, label: string, ms: number): Promise<void> => {
      const until = Date.now() + ms;
      while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(what(), `${label}\nevents: ${JSON.stringify(events)}\nstderr:\n${stderr}`).toBe(true);
    };

    await waitFor(() => /baseline: /.test(stderr), 'the baseline over ssh', 60_000);
    expect(stderr).toMatch(/baseline: 1 host\(s\) collected: /);
    expect(events).toEqual([]);

    const opened = Date.now();
    fleet.startIn(h0.ns, ['socat', 'TCP4-LISTEN:8443,reuseaddr,fork', 'SYSTEM:true']);
    const on8443 = (e: Record<string, unknown>): boolean => e.port === 8443;
    await waitFor(() => events.some(on8443), 'the new listener on 8443', INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
    const e = events.find(on8443)!;
    // The host has only its fleet subnet (no default route): reachable from that network, not the world.
    expect(e).toMatchObject({ event: 'new-listener', host: target, proto: 'tcp', port: 8443, trigger: 'interval' });
    expect(['local', 'closed']).not.toContain(e.exposure);
    expect(Date.parse(e.detectedAt as string) - opened).toBeLessThanOrEqual(INTERVAL_S * 1000 + ROUND_SLACK_MS);
    const validate = validator('watch');
    for (const ev of events) expect(validate(ev), JSON.stringify(validate.errors)).toBe(true);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    expect(code, stderr).toBe(0);
  });
});
