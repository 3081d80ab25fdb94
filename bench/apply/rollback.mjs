#!/usr/bin/env node
/**
 * How long `portcullis apply` takes to arm its way back, and the guard to put a large ruleset
 * back, side by side with what people do instead (iptables-apply's way back is
 * `iptables-restore` of an `iptables-save` file; nft users reload a saved file with `nft -f`).
 *
 *   npm run build && sudo node bench/apply/rollback.mjs [--rules 1000,10000] [--runs 3]
 *
 * In a fresh network namespace per size: an iptables-nft filter table of N rules in 20 user
 * chains (Docker-like), a native nft table of N/10 rules, N/10 legacy rules. Two applies,
 * each left to time out (--confirm-within 1): harden's shape (one new nft table: the way back
 * deletes it) and a rules.v4 replacing the big filter table (the way back re-creates it).
 * Prints a markdown table (medians of --runs) and checks every restore was exact.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('rules', '1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '3'));

const sh = (argv, input) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', input: input ?? '', maxBuffer: 1 << 28 });
const inNs = (ns, argv, input) => sh(['ip', 'netns', 'exec', ns, ...argv], input);
const ms = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const normal = (t) => t.split('\n').filter((l) => !l.startsWith('# ')).join('\n').replace(/packets \d+ bytes \d+/g, '').replace(/\[\d+:\d+\]/g, '');
const dumps = (ns) => ['nft list ruleset', 'iptables-nft-save', 'ip6tables-nft-save', 'iptables-legacy-save', 'ip6tables-legacy-save'].map((c) => normal(inNs(ns, c.split(' ')))).join('\n=====\n');

function filterTable(n) {
  const chains = Array.from({ length: 20 }, (_, i) => `DOCKER-${i}`);
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`)];
  for (const c of chains) lines.push(`-A FORWARD -j ${c}`);
  for (let i = 0; i < n; i++) {
    const c = chains[i % 20];
    lines.push(`-A ${c} -d 172.17.${(i >> 8) & 255}.${i & 255}/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport ${1024 + (i % 60000)} -m comment --comment "container ${i}" -j ACCEPT`);
  }
  return lines.join('\n') + '\nCOMMIT\n';
}
function nftTable(n) {
  const rules = Array.from({ length: n }, (_, i) => `    ip saddr 198.51.100.${i % 256} tcp dport ${2000 + i} counter accept`);
  return `table inet site {\n  chain input {\n    type filter hook input priority 5; policy accept;\n${rules.join('\n')}\n  }\n}\n`;
}
function legacyTable(n) {
  const rules = Array.from({ length: n }, (_, i) => `-A INPUT -s 203.0.113.${i % 256}/32 -p udp -m udp --dport ${3000 + i} -j DROP`);
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join('\n')}\nCOMMIT\n`;
}
const HARDEN_LIKE = 'table inet portcullis\ndelete table inet portcullis\ntable inet portcullis {\n  chain input { type filter hook input priority 0; policy drop; iif "lo" accept; tcp dport 22 accept; }\n}\n';
const RULES_V4 = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';

/** Apply with a 1 s deadline, wait for the guard; returns [apply wall ms, ms from deadline to restored, exact]. */
async function applyAndTimeOut(ns, work, path, before) {
  const state = join(work, `state-${randomBytes(3).toString('hex')}`);
  const wall = ms(() => inNs(ns, [process.execPath, BIN, 'apply', path, '--confirm-within', '1', '--state-dir', state]));
  const deadline = Date.parse(JSON.parse(readFileSync(join(state, 'guard.json'), 'utf8')).deadline);
  while (existsSync(join(state, 'guard.json'))) await new Promise((r) => setTimeout(r, 20));
  const outcome = JSON.parse(readFileSync(join(state, 'outcome.json'), 'utf8'));
  return [wall, Date.parse(outcome.rulesBackAt) - deadline, outcome.result === 'rolled-back' && dumps(ns) === before, Date.parse(outcome.at) - deadline];
}

const rows = [];
for (const n of sizes) {
  const ns = `pc-bench-ap-${randomBytes(3).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'pc-bench-apply-'));
  sh(['ip', 'netns', 'add', ns]);
  try {
    inNs(ns, ['iptables-nft-restore'], filterTable(n));
    inNs(ns, ['nft', '-f', '-'], nftTable(Math.max(1, n / 10)));
    inNs(ns, ['iptables-legacy-restore'], legacyTable(Math.max(1, n / 10)));
    writeFileSync(join(work, 'ruleset.nft'), HARDEN_LIKE);
    writeFileSync(join(work, 'rules.v4'), RULES_V4);
    const saved = inNs(ns, ['iptables-nft-save']);
    const savedNft = inNs(ns, ['nft', 'list', 'table', 'inet', 'site']);
    const m = { hardenWall: [], hardenBack: [], v4Wall: [], v4Back: [], v4Done: [], iptRestore: [], nftReload: [], exact: true };
    for (let r = 0; r < runs; r++) {
      // The baselines below reorder tables and chains: "before" is taken again each round.
      const before = dumps(ns);
      const [w1, b1, e1] = await applyAndTimeOut(ns, work, join(work, 'ruleset.nft'), before);
      const [w2, b2, e2, d2] = await applyAndTimeOut(ns, work, join(work, 'rules.v4'), before);
      m.hardenWall.push(w1); m.hardenBack.push(b1); m.v4Wall.push(w2); m.v4Back.push(b2); m.v4Done.push(d2);
      m.exact &&= e1 && e2;
      // What people use instead: iptables-apply's way back (the whole saved file), an nft reload.
      m.iptRestore.push(ms(() => inNs(ns, ['iptables-nft-restore'], saved)));
      m.nftReload.push(ms(() => inNs(ns, ['nft', '-f', '-'], `delete table inet site\n${savedNft}`)));
    }
    rows.push({ n, ...Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Array.isArray(v) ? median(v) : v])) });
  } finally {
    sh(['ip', 'netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  }
}

const f = (x) => `${Math.round(x)} ms`;
console.log(`apply and its way back (median of ${runs}; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
console.log('| iptables-nft rules (+10% nft, +10% legacy) | apply harden-like nft (backup, arm, load) | deadline → restored (delete 1 table) | apply rules.v4 | deadline → restored (re-create the filter table) | … and checked | instead: iptables-nft-restore of the saved file | instead: nft -f of the saved table | exact |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n.toLocaleString('en')} | ${f(r.hardenWall)} | ${f(r.hardenBack)} | ${f(r.v4Wall)} | ${f(r.v4Back)} | ${f(r.v4Done)} | ${f(r.iptRestore)} | ${f(r.nftReload)} | ${r.exact ? 'yes' : 'NO'} |`);
