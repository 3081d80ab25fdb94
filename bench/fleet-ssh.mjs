#!/usr/bin/env node
/**
 * `portcullis collect --ssh` from N namespace hosts running the real Debian sshd (root):
 * parallel (default 10, and 2 × cores) side by side with one host at a time, and with the
 * floor, bare `ssh HOST true` to every host one after another (what the connections alone
 * cost). Each host is a network namespace with its own sshd and host key
 * (test/fleet/harness/ssh-fleet.mjs); the CLI runs in a client namespace bridged to them.
 *
 *   node bench/fleet-ssh.mjs [--hosts 50] [--runs 3] [--parallel 10,4,1]
 *
 * Every run must write N snapshots. Prints a markdown table with the machine's load average
 * before and after each measurement (the machine may be shared). Needs `npx tsc -p
 * tsconfig.json` first.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSshFleet } from '../test/fleet/harness/ssh-fleet.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    parallel: { type: 'string', default: `10,${2 * cpus().length},1` },
  },
});
const HOSTS = Number(values.hosts);
const RUNS = Number(values.runs);
if (process.getuid?.() !== 0) {
  console.error('bench/fleet-ssh.mjs needs root (network namespaces, sshd)');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(ns, argv) {
  const before = loadavg()[0];
  const t = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return { r, seconds, load: `${before.toFixed(2)}→${loadavg()[0].toFixed(2)}` };
}

const fleet = await createSshFleet({ hosts: HOSTS });
const rows = [];
try {
  const targets = fleet.hosts.map((h) => `root@${h.address}`);
  // The floor: one bare SSH connection per host, one after another.
  const floor = [];
  for (let i = 0; i < RUNS; i++) {
    const script = targets.map((t) => `ssh -F ${fleet.sshConfig} -o BatchMode=yes ${t} true || exit 1`).join('\n');
    const m = timed(fleet.client, ['sh', '-c', script]);
    if (m.r.status !== 0) throw new Error(`ssh true failed: ${m.r.stderr}`);
    floor.push(m);
  }
  rows.push({ label: `\`ssh HOST true\` × ${HOSTS}, one at a time (connections only, no collection)`, runs: floor });
  for (const p of values.parallel.split(',').map(Number)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(fleet.dir, `out-${p}-${i}`);
      const m = timed(fleet.client, [process.execPath, CLI, 'collect', '--ssh', ...targets, '--parallel', String(p), '--ssh-config', fleet.sshConfig, '--out', out]);
      if (m.r.status !== 0) throw new Error(`collect --ssh --parallel ${p} failed (${m.r.status}): ${m.r.stderr.slice(-2000)}`);
      const written = readdirSync(out).filter((f) => f.endsWith('.json')).length;
      if (written !== HOSTS) throw new Error(`--parallel ${p}: ${written} snapshots written, expected ${HOSTS}`);
      rmSync(out, { recursive: true, force: true });
      runs.push(m);
    }
    rows.push({ label: `\`portcullis collect --ssh\` × ${HOSTS}, --parallel ${p}${p === 1 ? ' (one host at a time)' : ''}`, runs });
  }
} finally {
  fleet.destroy();
}

console.log(`\n${HOSTS} namespace hosts with real sshd (OpenSSH, ed25519), ${cpus().length} cores, ${RUNS} runs each; node ${process.version}; ${new Date().toISOString()}\n`);
console.log('| what | median s | runs (s) | hosts/s | load (1 min) |');
console.log('|---|---:|---|---:|---|');
for (const row of rows) {
  const secs = row.runs.map((r) => r.seconds);
  console.log(`| ${row.label} | ${median(secs).toFixed(1)} | ${secs.map((s) => s.toFixed(1)).join(', ')} | ${(HOSTS / median(secs)).toFixed(1)} | ${row.runs.map((r) => r.load).join('; ')} |`);
}
