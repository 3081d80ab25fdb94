/**
 * The shipped sh collector without ssh: run through `sh -s` here, its bundle replayed into
 * `collectSnapshot` must answer everything the collector asks (a recording HostIO on this
 * machine lists the questions), under dash and bash alike; and (root) inside a fresh
 * network namespace with a firewall, the replayed snapshot equals a local `collect` there,
 * as root and as an unprivileged user.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot, realHostIO, snapshotToJson } from '../../src/collect/index.js';
import type { HostIO } from '../../src/collect/host-io.js';
import { collectorInput, newBundleToken, replayHostIO } from '../../src/collect/ssh/index.js';
import { parseSshBundle } from '../../src/parse/ssh-bundle/index.js';
import { BIN, REPO } from '../audit-e2e/cli.js';
import { run, trackNamespace, tryRun, untrackNamespace } from '../audit-e2e/harness/exec.mjs';

/** Runs the collector with `argv` (a shell reading the script on stdin) and replays it. */
async function replayed(argv: string[]) {
  const token = newBundleToken();
  const r = spawnSync(argv[0]!, argv.slice(1), { input: await collectorInput(token), maxBuffer: 1 << 30 });
  expect(r.status, r.stderr.toString()).toBe(0);
  const parsed = parseSshBundle(r.stdout, token, argv.join(' '));
  expect(parsed.diagnostics).toEqual([]);
  const io = replayHostIO(parsed.value!, () => new Date('2026-01-01T00:00:00Z'));
  return { io, snapshot: await collectSnapshot(io) };
}

/** A HostIO that writes down each question, pids and fd numbers made generic. */
function recording(io: HostIO): { io: HostIO; asked: Set<string> } {
  const asked = new Set<string>();
  const note = (what: string, arg: string): void => void asked.add(`${what} ${arg.replace(/^\/proc\/\d+/, '/proc/PID').replace(/\/fd\/\d+$/, '/fd/N')}`);
  return {
    asked,
    io: {
      ...io,
      exec: (argv, input) => (note('exec', argv.join(' ')), io.exec(argv, input)),
      readFile: (p) => (note('readFile', p), io.readFile(p)),
      readdir: (p) => (note('readdir', p), io.readdir(p)),
      readlink: (p) => (note('readlink', p), io.readlink(p)),
    },
  };
}

const SHELLS = [['dash', '-s'], ['bash', '--posix', '-s']].filter(([sh]) => spawnSync('sh', ['-c', `command -v ${sh}`]).status === 0);

describe('the sh collector answers every question collectSnapshot asks (this machine, any user)', () => {
  for (const shell of SHELLS) {
    it(`under ${shell[0]}`, async () => {
      const local = recording(realHostIO());
      await collectSnapshot(local.io);
      const { io } = await replayed(shell);
      const again = recording(io);
      await collectSnapshot(again.io);
      expect(io.misses).toEqual([]);
      // Every question asked of this machine was asked of the replay too, and answered from the bundle.
      // (Files of one process may be asked on one side only: sockets come and go on a shared machine.)
      const missing = [...local.asked].filter((q) => !again.asked.has(q) && !/^readFile \/proc\/PID\//.test(q));
      expect(missing).toEqual([]);
      expect(local.asked.size).toBeGreaterThan(20);
    });
  }
});

describe('a file name cannot forge records in the fd scan', () => {
  it('a newline in an open file\'s name is printed as "?" (ls -q)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pc-shc-name-'));
    const evil = join(d, 'x\n/proc/1/fd:\nlrwx------ 1 root root 64 Dec  2 05:00 9 -> socket:[1]');
    mkdirSync(dirname(evil), { recursive: true });
    writeFileSync(evil, '');
    const holder = spawn('sh', ['-c', 'exec 7<"$1"; exec sleep 20', 'sh', evil], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const { io } = await replayed(['sh', '-s']);
      const target = await io.readlink(`/proc/${holder.pid}/fd/7`);
      expect(target).toBe(evil.replaceAll('\n', '?'));
    } finally {
      holder.kill('SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  });
});

const NFT_RULES = `
table inet t {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    tcp dport 22 accept
  }
}
`;

function skipReason(): string | null {
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces)';
  else if (spawnSync('ip', ['netns', 'list']).status !== 0) reason = '`ip netns` does not work here';
  else if (spawnSync('sh', ['-c', 'command -v nft && command -v setpriv']).status !== 0) reason = 'nft or setpriv (util-linux) missing';
  if (reason) console.warn(`\n!!! SH COLLECTOR NAMESPACE TESTS SKIPPED: ${reason}\n`);
  return reason;
}
const skip = skipReason();

describe.skipIf(skip !== null)('in a fresh network namespace, the replayed snapshot equals a local collect (root)', () => {
  const ns = `pc-shc-${process.pid}`;
  beforeAll(() => {
    trackNamespace(ns);
    run(['ip', 'netns', 'add', ns]);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    // No duplicate address detection: link-local addresses and their routes exist at once, so both collects see one state.
    for (const kv of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']) run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', kv]);
    run(['ip', '-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']);
    run(['ip', '-n', ns, 'addr', 'add', '192.0.2.7/24', 'dev', 'eth0']);
    run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    run(['ip', '-n', ns, 'link', 'set', 'eth1', 'up']);
    run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], NFT_RULES);
  });
  afterAll(() => {
    tryRun(['ip', 'netns', 'del', ns]);
    untrackNamespace(ns);
  });

  const local = (asUser: string[]): Record<string, unknown> => {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...asUser, process.execPath, BIN, 'collect'], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(r.status, r.stderr).toBe(0);
    return withoutTimes(JSON.parse(r.stdout) as Record<string, unknown>);
  };

  for (const [label, asUser] of [['root', []], ['nobody', ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']]] as const) {
    it(`as ${label}`, async () => {
      const { io, snapshot } = await replayed(['ip', 'netns', 'exec', ns, ...asUser, 'sh', '-s']);
      expect(io.misses).toEqual([]);
      const viaScript = withoutTimes(JSON.parse(snapshotToJson(snapshot)) as Record<string, unknown>);
      expect(viaScript).toEqual(local([...asUser]));
      expect((viaScript.privileges as { root: boolean }).root).toBe(label === 'root');
    });
  }
});

/** Without collectedAt and iptables-save's dates ("# Generated by … on DATE"). */
function withoutTimes(s: Record<string, unknown>): Record<string, unknown> {
  delete s.collectedAt;
  for (const f of s.firewall as { content?: string }[]) if (f.content !== undefined) f.content = f.content.replace(/^(# (?:Generated by .*? |Completed ))on .*$/gm, '$1on DATE');
  return s;
}
