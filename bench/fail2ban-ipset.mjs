#!/usr/bin/env node
/**
 * A fail2ban host: the iptables-ipset action's rule (`-m set --match-set f2b-sshd src -j
 * REJECT`) in front of SSH, with N banned addresses in a hash:ip set (issue 8's scale case).
 *
 *   npm run build && node bench/fail2ban-ipset.mjs [--entries 50000] [--runs 3]
 *
 * Times, in fresh processes, `portcullis audit --format json` and `portcullis explain` for
 * one banned and one free source on the snapshot, and side by side what an administrator
 * would run instead: `ipset restore` of the same set plus `ipset test` (in a throwaway
 * network namespace; root only, skipped and said so otherwise). Prints markdown.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeListeners, makeSnapshot } from './lib/host.mjs';
import { createRng } from './lib/prng.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const { values } = parseArgs({ options: { entries: { type: 'string', default: '50000' }, runs: { type: 'string', default: '3' } } });
const n = Number(values.entries);
const runs = Number(values.runs);

// Banned addresses spread over 198.18.0.0/15 (benchmarking range), every other one, so no two merge.
const banned = Array.from({ length: n }, (_, k) => {
  const v = (198 << 24) + (18 << 16) + 2 * k;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
});
const ipset = [`create f2b-sshd hash:ip family inet hashsize 16384 maxelem ${Math.max(65536, n)} timeout 600`, ...banned.map((a) => `add f2b-sshd ${a} timeout 600`)].join('\n') + '\n';
const rules = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:f2b-sshd - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m multiport --dports 22 -m set --match-set f2b-sshd src -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`;
const sockets = makeListeners(createRng(1), 10);
const firewall = [
  { kind: 'iptables-save', backend: 'nft', command: ['iptables-nft-save'], status: 'ok', content: rules },
  { kind: 'ipset-save', backend: null, command: ['ipset', 'save'], status: 'ok', content: ipset },
];
const dir = mkdtempSync(join(tmpdir(), 'pc-f2b-'));
const snap = join(dir, 'snapshot.json');
writeFileSync(snap, JSON.stringify(makeSnapshot({ hostname: 'fail2ban', sockets, firewall })));

function time(argv, input) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}
const median = (f) => Array.from({ length: runs }, f).map((x) => x.ms).sort((a, b) => a - b)[Math.floor(runs / 2)];

const rows = [];
rows.push(['portcullis audit --format json', median(() => time([process.execPath, CLI, 'audit', '--snapshot', snap, '--format', 'json']))]);
const banned0 = time([process.execPath, CLI, 'explain', '--snapshot', snap, '--from', banned[n >> 1], '--port', '22/tcp', '--json']);
const free0 = time([process.execPath, CLI, 'explain', '--snapshot', snap, '--from', '198.18.0.1', '--port', '22/tcp', '--json']);
rows.push([`portcullis explain (banned ${banned[n >> 1]})`, median(() => time([process.execPath, CLI, 'explain', '--snapshot', snap, '--from', banned[n >> 1], '--port', '22/tcp', '--json']))]);
rows.push(['portcullis explain (free 198.18.0.1)', median(() => time([process.execPath, CLI, 'explain', '--snapshot', snap, '--from', '198.18.0.1', '--port', '22/tcp', '--json']))]);
const verdicts = [JSON.parse(banned0.out).firewall, JSON.parse(free0.out).firewall];

if (process.getuid?.() === 0) {
  const ns = `pc-f2b-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    rows.push(['ipset restore (kernel, same set)', time(['ip', 'netns', 'exec', ns, 'ipset', 'restore'], ipset).ms]);
    rows.push(['ipset test (one address)', median(() => time(['ip', 'netns', 'exec', ns, 'sh', '-c', `ipset test f2b-sshd ${banned[n >> 1]} 2>/dev/null; true`]))]);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
} else rows.push(['ipset restore / ipset test', NaN]);
rmSync(dir, { recursive: true, force: true });

console.log(`fail2ban iptables-ipset action, ${n} banned addresses (hash:ip), median of ${runs} fresh processes; explain verdicts: banned ${verdicts[0]}, free ${verdicts[1]}\n`);
console.log('| command | wall ms |\n|---|---:|');
for (const [what, ms] of rows) console.log(`| ${what} | ${Number.isNaN(ms) ? 'skipped (needs root)' : ms.toFixed(0)} |`);
