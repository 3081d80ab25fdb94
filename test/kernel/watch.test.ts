/**
 * `portcullis watch` on a real kernel, inside a namespace the test creates (veth with
 * 192.0.2.1/24, a default route, an nft input chain with policy drop). Two watchers run side
 * by side: A with the socket poll off (a new listener is found by the interval round; a
 * ruleset change at once through `nft monitor`), B with a fast socket poll and `--exec` (a
 * command that records its input and then fails). Checks: the events arrive within one
 * interval (A) or at once (B, and A for the nft rule), B's command got each event as its JSON
 * line and its failures did not stop it, a narrowing is no event, every line follows
 * schemas/watch.schema.json, and SIGTERM ends both with their monitor children.
 *
 * Needs root, nft and ip.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validator } from '../render/load.js';
import { trackChild, untrackNamespace } from './harness/cleanup.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';
import { addWatchHostNamespace } from './harness/watch-host.js';

const skip = kernelSkipReason(['nft', 'ip']);
const INTERVAL_S = 6;
/** What a round (collect + analysis) may take on a loaded 2-core machine, beyond the interval. */
const ROUND_SLACK_MS = 4000;

function sh(argv: string[], input?: string): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

interface Watcher {
  child: ChildProcess;
  events: Record<string, unknown>[];
  /** ms since the epoch at which each event line arrived. */
  arrivals: number[];
  stderr: () => string;
}

function startWatcher(ns: string, args: string[]): Watcher {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PORTCULLIS_BIN, 'watch', '--format', 'json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const w: Watcher = { child, events: [], arrivals: [], stderr: () => err };
  let err = '';
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) {
      w.events.push(JSON.parse(l) as Record<string, unknown>);
      w.arrivals.push(Date.now());
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return w;
}

async function waitFor(what: () => boolean, label: string, w: Watcher[], ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(what(), `${label}\n${w.map((x, i) => `watcher ${i}: events ${JSON.stringify(x.events)}\nstderr:\n${x.stderr()}`).join('\n')}`).toBe(true);
}

const rounds = (w: Watcher): number => (w.stderr().match(/^portcullis watch: round \d+/gm) ?? []).length;
const on = (port: number) => (e: Record<string, unknown>) => e.port === port && (e.event === 'new-listener' || e.event === 'widened');

describe.skipIf(skip !== null)('watch on a real kernel', () => {
  it('reports a new listener within one interval, an nft rule at once, runs --exec, and stays quiet on a narrowing', { timeout: 120_000 }, async () => {
    const tag = `pcw${Math.random().toString(36).slice(2, 8)}`;
    const ns = `${tag}-h`;
    const dir = mkdtempSync(join(tmpdir(), 'pc-watch-'));
    const execFile = join(dir, 'exec.jsonl');
    const listeners: ChildProcess[] = [];
    const watchers: Watcher[] = [];
    const listen = (port: number): void => {
      const l = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `require('net').createServer().listen(${port}, '0.0.0.0', () => console.log('ready')); process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`], { stdio: ['pipe', 'pipe', 'inherit'] });
      trackChild(l);
      listeners.push(l);
    };
    const listening = (port: number): boolean => sh(['ip', 'netns', 'exec', ns, 'ss', '-Htln', `sport = :${port}`]).trim() !== '';
    try {
      addWatchHostNamespace(ns);
      sh(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], 'table inet filter {\n  chain input { type filter hook input priority 0; policy drop; iif "lo" accept; tcp dport 8081 accept; }\n}\n');
      // A listener only loopback reaches (the firewall drops the rest): no event until a rule opens it.
      listen(8082);
      await waitFor(() => listening(8082), 'listener on 8082', []);

      const a = startWatcher(ns, ['--interval', String(INTERVAL_S), '--socket-poll', '0']);
      const b = startWatcher(ns, ['--interval', '300', '--socket-poll', '0.2', '--exec', `cat >> '${execFile}'; echo "hook says no" >&2; exit 3`]);
      watchers.push(a, b);
      await waitFor(() => /baseline: /.test(a.stderr()) && /baseline: /.test(b.stderr()), 'both baselines', watchers);
      expect(a.events).toEqual([]);
      expect(b.events).toEqual([]);

      // 1. A new listener the ruleset admits: B at once (socket poll), A within one interval.
      const opened = Date.now();
      listen(8081);
      await waitFor(() => b.events.some(on(8081)), 'B sees the new listener on 8081', watchers, 10_000);
      const bEvent = b.events.find(on(8081))!;
      expect(bEvent).toMatchObject({ event: 'new-listener', proto: 'tcp', port: 8081, exposure: 'world', trigger: 'sockets', sources: { ipv4: ['0.0.0.0/0'], ipv6: [] } });
      await waitFor(() => a.events.some(on(8081)), 'A sees the new listener within one interval', watchers, INTERVAL_S * 1000 + 2 * ROUND_SLACK_MS);
      const aIndex = a.events.findIndex(on(8081));
      expect(a.events[aIndex]).toMatchObject({ event: 'new-listener', port: 8081, exposure: 'world', trigger: 'interval' });
      // The round that saw it started within one interval of the listener (plus one round in progress when it opened).
      expect(Date.parse(a.events[aIndex]!.detectedAt as string) - opened).toBeLessThanOrEqual(INTERVAL_S * 1000 + ROUND_SLACK_MS);

      // 2. An nft rule opens 8082: both at once through nft monitor, well before A's next interval.
      const before = { a: a.events.length, b: b.events.length };
      const ruled = Date.now();
      sh(['ip', 'netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'filter', 'input', 'tcp', 'dport', '8082', 'accept']);
      await waitFor(() => a.events.slice(before.a).some(on(8082)) && b.events.slice(before.b).some(on(8082)), 'both see 8082 opened', watchers, 8_000);
      for (const w of [a, b]) {
        const i = w.events.findIndex(on(8082));
        expect(w.events[i]).toMatchObject({ event: 'widened', port: 8082, from: 'local', to: 'world', trigger: 'nft-monitor', addedSources: { ipv4: ['0.0.0.0/0'], ipv6: [] } });
        // The trigger says nft monitor started the round; A's interval would have come later.
        expect(w.arrivals[i]! - ruled).toBeLessThan(INTERVAL_S * 1000);
      }

      // 3. Narrowing: the 8082 rule goes again. Both run a round and report nothing.
      const quiet = { a: a.events.length, b: b.events.length, ra: rounds(a), rb: rounds(b) };
      const handle = /tcp dport 8082 accept # handle (\d+)/.exec(sh(['ip', 'netns', 'exec', ns, 'nft', '-a', 'list', 'chain', 'inet', 'filter', 'input']))![1]!;
      sh(['ip', 'netns', 'exec', ns, 'nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', handle]);
      await waitFor(() => /round \d+ \(nft-monitor: delete rule inet filter input handle/.test(b.stderr()) && rounds(a) > quiet.ra, 'rounds after the narrowing', watchers, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(a.events.slice(quiet.a)).toEqual([]);
      expect(b.events.slice(quiet.b)).toEqual([]);

      // Every line follows the schema; B's command got each of B's events, as its JSON line, and its failures were only reported.
      const validate = validator('watch');
      for (const e of [...a.events, ...b.events]) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      await waitFor(() => existsSync(execFile) && readFileSync(execFile, 'utf8').trim().split('\n').length === b.events.length, '--exec got every event', watchers, 10_000);
      expect(readFileSync(execFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual(b.events);
      expect(b.stderr()).toMatch(/--exec for new-listener \S+ tcp\/8081 failed \(exit status 3\): hook says no; watching goes on/);

      // 4. SIGTERM: both end cleanly, taking their nft monitor and ip monitor with them.
      for (const w of watchers) w.child.kill('SIGTERM');
      const codes = await Promise.all(watchers.map((w) => new Promise<number | null>((r) => (w.child.exitCode !== null ? r(w.child.exitCode) : w.child.once('exit', (code) => r(code))))));
      expect(codes).toEqual([0, 0]);
      await new Promise((r) => setTimeout(r, 300));
      const left = sh(['ip', 'netns', 'pids', ns]).trim().split('\n').filter(Boolean).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      expect(left.filter((c) => /monitor/.test(c))).toEqual([]);
    } finally {
      for (const w of watchers) w.child.kill('SIGKILL');
      for (const l of listeners) l.kill('SIGKILL');
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch {
        // never created
      }
      untrackNamespace(ns);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
