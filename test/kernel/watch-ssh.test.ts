/**
 * `portcullis watch --ssh` end to end on real kernels: two namespace hosts (veth with
 * 192.0.2.1/24 and a default route, no firewall), reached through a stand-in ssh on PATH
 * that runs the shipped collector with `ip netns exec NS sh -s` (as test/collect/
 * collect-over-ssh.test.ts does without namespaces; the real sshd path of the collection
 * is test/fleet/collect-ssh.test.ts). A flag file makes a host refuse the connection as ssh
 * would. Checks: a host down at the baseline is reported and becomes its own baseline when
 * it answers (its old listener is no event); a port opened on a host is an event named
 * after the target within one interval; a host that misses a round is reported, judged by
 * its last good round, and what opened meanwhile is reported when it answers; the argv
 * given to ssh; the schema; SIGTERM ends it with 0.
 *
 * Needs root and ip.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validator } from '../render/load.js';
import { trackChild, untrackNamespace } from './harness/cleanup.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';
import { addWatchHostNamespace, onJsonLines } from './harness/watch-host.js';

const skip = kernelSkipReason(['ip']);
const INTERVAL_S = 3;
/** What a round (two hosts collected and analysed) may take on a loaded 2-core machine, beyond the interval. */
const ROUND_SLACK_MS = 6000;

const sh = (argv: string[]): string => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(skip !== null)('watch --ssh on real kernels', () => {
  it('per-host baseline, events named after the target within one interval, a host that misses a round keeps its last good one', { timeout: 180_000 }, async () => {
    const tag = `pcws${Math.random().toString(36).slice(2, 7)}`;
    const hosts = ['web-1', 'web-2'];
    const nsOf = (host: string): string => `${tag}-${host}`;
    const dir = mkdtempSync(join(tmpdir(), 'pc-watch-ssh-'));
    const children: ChildProcess[] = [];
    const down = (host: string): void => writeFileSync(join(dir, `down-${host}`), '');
    const up = (host: string): void => rmSync(join(dir, `down-${host}`), { force: true });
    // The stand-in ssh: the destination is the last but one argument ("-- DEST 'sh -s'").
    writeFileSync(
      join(dir, 'ssh'),
      `#!/bin/sh
echo "$*" >>'${dir}/argv'
for a; do dest=$last; last=$a; done
host=\${dest#*@}
if [ -e '${dir}'/down-"$host" ]; then echo "ssh: connect to host $host port 22: Connection refused" >&2; exit 255; fi
exec ip netns exec '${tag}'-"$host" sh -s
`,
    );
    chmodSync(join(dir, 'ssh'), 0o755);
    const listen = (host: string, port: number): void => {
      const l = spawn('ip', ['netns', 'exec', nsOf(host), process.execPath, '-e', `require('net').createServer().listen(${port}, '0.0.0.0'); process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`], { stdio: ['pipe', 'ignore', 'inherit'] });
      trackChild(l);
      children.push(l);
    };
    const listening = (host: string, port: number): boolean => sh(['ip', 'netns', 'exec', nsOf(host), 'ss', '-Htln', `sport = :${port}`]).trim() !== '';
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    const waitFor = async (what: () => boolean, label: string, ms: number): Promise<void> => {
      const until = Date.now() + ms;
      while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(what(), `${label}\nevents: ${JSON.stringify(events)}\nstderr:\n${stderr}`).toBe(true);
    };
    const roundLines = (): string[] => stderr.match(/^portcullis watch: round \d+ \(.*$/gm) ?? [];
    const on = (host: string, port: number) => (e: Record<string, unknown>) => e.host === host && e.port === port;
    try {
      for (const host of hosts) {
        const ns = nsOf(host);
        addWatchHostNamespace(ns);
      }
      // web-2 already listens on 8080 but is down at the baseline: when it answers, 8080 is its baseline, not news.
      listen('web-2', 8080);
      await waitFor(() => listening('web-2', 8080), 'listener on web-2:8080', 10_000);
      down('web-2');

      const child = spawn(process.execPath, [PORTCULLIS_BIN, 'watch', '--ssh', 'web-1', 'root@web-2:2222', '--interval', String(INTERVAL_S), '--timeout', '60', '--format', 'json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      });
      trackChild(child);
      children.push(child);
      onJsonLines(child.stdout!, (e) => events.push(e));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));

      await waitFor(() => /baseline: /.test(stderr), 'the baseline', 60_000);
      // web-2's outage is one event, not a line every round.
      const web2 = (event: string) => events.filter((e) => e.host === 'root@web-2:2222' && e.event === event);
      await waitFor(() => web2('host-down').length === 1, 'web-2 reported down at the baseline', 10_000);
      expect(web2('host-down')[0]).toMatchObject({ round: 0, trigger: 'baseline', phase: 'collect', judgedBy: 'nothing-yet', reason: expect.stringMatching(/Connection refused/) });
      expect(stderr).toMatch(/baseline: 1 host\(s\) collected: .*every \d+ s \(interval only: nft monitor, ip monitor and the socket poll cannot follow remote hosts\)/);

      // 1. web-2 answers: its own baseline, no event for its 8080.
      up('web-2');
      await waitFor(() => roundLines().some((l) => / 2 host\(s\) collected: /.test(l)), 'a round with both hosts', INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
      expect(web2('host-up')).toEqual([expect.objectContaining({ downSince: 0, trigger: 'interval' })]);
      expect(events.filter((e) => !String(e.event).startsWith('host-'))).toEqual([]);

      // 2. A port opened on web-1: an event named web-1 within one interval.
      const opened = Date.now();
      listen('web-1', 8081);
      await waitFor(() => events.some(on('web-1', 8081)), 'web-1:8081 reported', INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
      const e1 = events.find(on('web-1', 8081))!;
      expect(e1).toMatchObject({ event: 'new-listener', host: 'web-1', proto: 'tcp', port: 8081, exposure: 'world', trigger: 'interval', sources: { ipv4: ['0.0.0.0/0'], ipv6: [] } });
      expect(Date.parse(e1.detectedAt as string) - opened).toBeLessThanOrEqual(INTERVAL_S * 1000 + ROUND_SLACK_MS);

      // 3. web-2 misses a round while 8082 opens on it: reported, judged by its last good round, no event yet…
      down('web-2');
      listen('web-2', 8082);
      await waitFor(() => listening('web-2', 8082), 'listener on web-2:8082', 10_000);
      await waitFor(() => roundLines().some((l) => /judged by their last good round \(root@web-2:2222\)/.test(l)), 'a round without web-2', INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
      expect(web2('host-down')).toHaveLength(2);
      expect(web2('host-down')[1]).toMatchObject({ phase: 'collect', judgedBy: 'last-good-round', reason: expect.stringMatching(/Connection refused/) });
      expect(events.filter((e) => e.host === 'root@web-2:2222' && !String(e.event).startsWith('host-'))).toEqual([]);
      // …and when it answers again, 8082 is its event (web-1's 8081 is not reported twice).
      up('web-2');
      await waitFor(() => events.some(on('root@web-2:2222', 8082)), 'web-2:8082 reported once web-2 answers', INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
      expect(events.find(on('root@web-2:2222', 8082))).toMatchObject({ event: 'new-listener', exposure: 'world', trigger: 'interval' });
      expect(web2('host-up')).toHaveLength(2);
      expect(web2('host-down')).toHaveLength(2);
      expect(events.filter(on('web-1', 8081))).toHaveLength(1);
      expect(events.filter((e) => e.port === 8080)).toEqual([]);

      // ssh was asked as collect --ssh asks it.
      const argv = readFileSync(join(dir, 'argv'), 'utf8');
      expect(argv).toContain('-o BatchMode=yes -p 2222 -- root@web-2 sh -s');
      expect(argv).toContain('-o BatchMode=yes -- web-1 sh -s');
      const validate = validator('watch');
      for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
      expect(code).toBe(0);
    } finally {
      for (const c of children) c.kill('SIGKILL');
      for (const host of hosts) {
        try {
          sh(['ip', 'netns', 'del', nsOf(host)]);
        } catch {
          // never created
        }
        untrackNamespace(nsOf(host));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
