#!/usr/bin/env node
/**
 * The engine on real-world hosts (issue 8): kube-proxy in iptables and nftables mode,
 * fail2ban (REJECT rules, iptables-ipset, nft sets) behind ufw, country blocklists, a
 * Docker host. Each case is loaded into a namespace with the real tools and collected
 * with `portcullis collect` (bench/lib/real/materialize.mjs), then timed: collect vs the
 * kernel tools' dump (and, apart, `node -e 0`: Node's own start, which collect pays and the
 * dump does not), `audit` in every format, `explain` in a new process and warm.
 *
 *   sudo node bench/real-hosts.mjs [--cases kube-iptables,f2b-ipset,…] [--sizes 1000,10000]
 *                                  [--seed 1] [--timeout 120] [--profile] [--collect-only] [--reuse] [--out bench/out/real]
 *                                  [--baseline /path/to/other/checkout] [--no-default-route] [--collect-rounds 3]
 *   node bench/real-hosts.mjs --report results.json[,more.json]   (the table of earlier runs)
 *
 * collect and the kernel tools' dump run --collect-rounds times, alternated, and their medians are
 * compared (one run of each decides nothing on a 200,000-element nft set: the kernel's own listing
 * swings 2.4-4.9 s between runs). Without --sizes each case runs at the sizes of the issue's table. --reuse measures a snapshot
 * already collected into <out> (collect is then not timed). --baseline also runs `audit --format
 * json` and the cold explain with another checkout's built CLI (e.g. main), right after this
 * one's on the same snapshot, so both are measured under the same load. Needs root (namespaces)
 * and `npm run build`. Prints a markdown table; every figure goes to <out>/results.json.
 * The namespace has a default route (as a real server does), so the whole Internet arrives and
 * a blocklist in front of a public service shapes that service's sources; --no-default-route
 * gives the topology of the passes before 3 Dec 2026, 07:00 UTC (only the two subnets arrive).
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from './lib/prng.mjs';
import { makeListeners } from './lib/host.mjs';
import { netnsAvailable } from './lib/netns.mjs';
import { summarize } from './lib/profile-summary.mjs';
import { REAL_CASES } from './lib/real/index.mjs';
import { materialize } from './lib/real/materialize.mjs';
import { CLI, ROOT, isAuditJson, machine, runCase, runCli } from './lib/spawn-bench.mjs';

const { values } = parseArgs({ options: {
  cases: { type: 'string', default: Object.keys(REAL_CASES).join(',') },
  sizes: { type: 'string' },
  seed: { type: 'string', default: '1' },
  timeout: { type: 'string', default: '120' },
  profile: { type: 'boolean', default: false },
  'collect-only': { type: 'boolean', default: false },
  reuse: { type: 'boolean', default: false },
  report: { type: 'string' },
  out: { type: 'string', default: 'bench/out/real' },
  baseline: { type: 'string' },
  'no-default-route': { type: 'boolean', default: false },
  'collect-rounds': { type: 'string', default: '3' },
} });
const defaultRoute = !values['no-default-route'];
if (!/^[1-9][0-9]*$/.test(values['collect-rounds'])) {
  process.stderr.write(`--collect-rounds: expected a whole number of rounds, 1 or more, got ${JSON.stringify(values['collect-rounds'])}\n`);
  process.exit(2);
}
const baselineCli = values.baseline ? join(resolve(values.baseline), 'dist/cli/bin.js') : null;
const outDir = resolve(ROOT, values.out);
const timeoutMs = Number(values.timeout) * 1000;
const log = (s) => process.stderr.write(`${s}\n`);
const list = (s) => s.split(',').map((v) => v.trim()).filter(Boolean);
/**
 * The flow every explain asks: a source on the Internet (documentation range) to ssh on the host.
 * Without the default route the host has no way back to it, the answer would come from routing
 * alone and time only the load, so the flow then comes from eth0's own subnet.
 */
const FLOW = defaultRoute ? { from: '203.0.113.7', to: '192.0.2.10', port: 22 } : { from: '192.0.2.77', to: '192.0.2.10', port: 22 };
const FORMATS = ['json', 'text', 'sarif', 'html'];

async function runOne(caseName, size) {
  const spec = REAL_CASES[caseName];
  const name = `${caseName}-${size}`;
  const seed = Number(values.seed);
  const texts = spec.build(createRng(seed * 7919 + size), size);
  for (const [k, v] of Object.entries(texts)) if (typeof v === 'string') writeFileSync(join(outDir, `${name}.${k}`), v);
  const entry = { name, case: caseName, size, unit: spec.unit, loadavgAtStart: loadavg(), defaultRoute, flow: FLOW };
  const kept = join(outDir, `${name}.snapshot.json`);
  const m = values.reuse && existsSync(kept) ? { snapshot: kept, reused: true } : await materialize(texts, makeListeners(createRng(seed), 30), { dir: outDir, name, toolTimeoutS: Number(values.timeout), defaultRoute, rounds: Number(values['collect-rounds']) });
  Object.assign(entry, { checks: m.checks, load: m.load, kernelDumpMs: m.kernelDumpMs, kernelDumpMsByTool: m.kernelDumpMsByTool, kernelDumpMsRounds: m.kernelDumpMsRounds, collectMsRounds: m.collectMsRounds, nodeStartMs: m.nodeStartMs, collectMs: m.collectMs, reusedSnapshot: m.reused === true });
  const snapshotText = readFileSync(m.snapshot, 'utf8');
  entry.snapshotBytes = snapshotText.length;
  // A collect that timed out (a saturated machine) would measure an empty firewall: not a figure.
  const unread = JSON.parse(snapshotText).firewall.filter((f) => f.status !== 'ok');
  if (unread.length > 0) throw new Error(`collect could not read ${unread.map((f) => `${f.command.join(' ')} (${f.reason})`).join('; ')}`);
  log(m.reused ? `   reusing ${m.snapshot}` : `   collected: median ${m.collectMs.toFixed(0)} ms [${m.collectMsRounds.map((v) => v.toFixed(0)).join(', ')}] (kernel tools' dump median ${m.kernelDumpMs.toFixed(0)} ms [${m.kernelDumpMsRounds.map((v) => v.toFixed(0)).join(', ')}]: ${Object.entries(m.kernelDumpMsByTool).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}; node -e 0 alone ${m.nodeStartMs.toFixed(0)} ms), checks ${JSON.stringify(m.checks)}`);
  if (values['collect-only']) return { ...entry, collectedOnly: m.snapshot };
  entry.audit = {};
  for (const format of FORMATS) {
    const r = runCli(['audit', '--snapshot', m.snapshot, '--format', format], { scratch: outDir, timeoutMs, valid: format === 'json' ? isAuditJson : (s) => s.length > 0 });
    entry.audit[format] = { ok: r.ok, wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb, ...(r.ok ? {} : { error: r.error }) };
    log(`   audit --format ${format}: ${r.ok ? `${r.wallMs.toFixed(0)} ms (CPU ${r.cpuMs?.toFixed(0)} ms), ${(r.maxRssKb / 1024).toFixed(0)} MB` : r.error.split('\n')[0]}`);
  }
  const explainArgs = ['explain', '--snapshot', m.snapshot, '--from', FLOW.from, '--to', FLOW.to, '--port', `${FLOW.port}/tcp`, '--json'];
  const cold = runCli(explainArgs, { scratch: outDir, timeoutMs });
  entry.explainCold = { ok: cold.status === 0, wallMs: cold.wallMs, cpuMs: cold.cpuMs, maxRssKb: cold.maxRssKb, state: cold.status === 0 ? JSON.parse(cold.stdout).state : null, ...(cold.status === 0 ? {} : { error: cold.error }) };
  if (baselineCli) {
    // The same two commands with the other build, back to back: same snapshot, same load.
    const auditArgs = ['audit', '--snapshot', m.snapshot, '--format', 'json'];
    const ours = runCli(auditArgs, { scratch: outDir, timeoutMs, valid: isAuditJson });
    const theirs = runCli(auditArgs, { scratch: outDir, timeoutMs, valid: isAuditJson, cli: baselineCli });
    const ourCold = runCli(explainArgs, { scratch: outDir, timeoutMs });
    const theirCold = runCli(explainArgs, { scratch: outDir, timeoutMs, cli: baselineCli });
    const pick = (r) => ({ ok: r.ok || r.status === 0, wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb });
    entry.versusBaseline = { baseline: values.baseline, audit: { this: pick(ours), baseline: pick(theirs) }, explainCold: { this: pick(ourCold), baseline: pick(theirCold) } };
    log(`   vs baseline: audit json CPU ${ours.cpuMs?.toFixed(0)} ms (baseline ${theirs.cpuMs?.toFixed(0)} ms), explain CPU ${ourCold.cpuMs?.toFixed(0)} ms (baseline ${theirCold.cpuMs?.toFixed(0)} ms)`);
  }
  const profileDir = values.profile ? join(outDir, 'prof', name) : null;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  entry.library = runCase(m.snapshot, { profileDir, timeoutMs, explainRuns: 50, from: FLOW.from, to: FLOW.to });
  if (profileDir && existsSync(profileDir)) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) entry.profile = { file: join(values.out, 'prof', name, file), top: summarize(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), 12) };
  }
  log(`   explain: new process ${cold.wallMs.toFixed(0)} ms (CPU ${cold.cpuMs?.toFixed(0)} ms, ${entry.explainCold.state}), warm median ${entry.library.explain?.median?.toFixed(2)} ms; library ${JSON.stringify(entry.library.phases ?? entry.library.error)}`);
  return entry;
}

const f0 = (v) => (v === undefined || v === null ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const mb = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MB` : '–');
const verdict = (ok) => (ok ? 'yes' : '**NO**');

/** Wall time with CPU time (user + system) beside it: on a shared machine the CPU time is the steadier figure. */
const wallCpu = (r) => (r.ok ? `${f0(r.wallMs)} (${f0(r.cpuMs)})` : 'fail');

function renderMarkdown(results) {
  const rows = ['| case | size | collect (kernel tools\' dump) [node -e 0], ms | audit json / text / sarif / html, wall (CPU) ms | peak RSS (max) | explain, new process, wall (CPU) ms | explain warm, median | goals: audit < 2 s & 500 MB / explain < 1 s / warm < 50 ms / collect < 2× dump |',
    '|---|---|---|---|---|---|---|---|'];
  for (const e of results.cases) {
    if (e.collectedOnly) continue;
    if (e.error) { rows.push(`| ${e.case} | ${e.size} | failed: ${e.error.split('\n')[0].slice(0, 120)} | | | | | |`); continue; }
    const rss = Math.max(...FORMATS.map((f) => e.audit[f].maxRssKb ?? 0));
    const auditOk = FORMATS.every((f) => e.audit[f].ok && e.audit[f].wallMs < 2000) && rss < 500 * 1024;
    const warm = e.library.explain?.median;
    rows.push(`| ${e.case} | ${e.size.toLocaleString('en')} ${e.unit} | ${e.reusedSnapshot ? 'reused' : `${f0(e.collectMs)} (${f0(e.kernelDumpMs)}) [${f0(e.nodeStartMs)}]`} | ${FORMATS.map((f) => wallCpu(e.audit[f])).join(' / ')} | ${mb(rss)} | ${wallCpu(e.explainCold)} | ${f0(warm)} ms | ${verdict(auditOk)} / ${verdict(e.explainCold.ok && e.explainCold.wallMs < 1000)} / ${verdict(warm !== undefined && warm < 50)} / ${e.reusedSnapshot ? '–' : verdict(e.collectMs < 2 * e.kernelDumpMs)} |`);
  }
  const versus = results.cases.filter((e) => e.versusBaseline);
  if (versus.length > 0) {
    rows.push('', '| case | size | audit --format json, CPU ms: this / baseline | explain, new process, CPU ms: this / baseline |', '|---|---|---|---|');
    const cpu = (r) => (r.ok ? f0(r.cpuMs) : 'fail');
    for (const e of versus) {
      const v = e.versusBaseline;
      rows.push(`| ${e.case} | ${e.size.toLocaleString('en')} | ${cpu(v.audit.this)} / ${cpu(v.audit.baseline)} | ${cpu(v.explainCold.this)} / ${cpu(v.explainCold.baseline)} |`);
    }
  }
  return `${rows.join('\n')}\n`;
}

async function main() {
  // --report F: the markdown table of results already written (several runs side by side).
  if (values.report) {
    const files = list(values.report);
    process.stdout.write(renderMarkdown({ cases: files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).cases) }));
    return;
  }
  if (!netnsAvailable()) { log('needs root and iproute2: every case is loaded into a network namespace'); process.exitCode = 2; return; }
  if (!existsSync(CLI)) { log('dist/ is missing: run `npm run build` first'); process.exitCode = 2; return; }
  mkdirSync(outDir, { recursive: true });
  const results = { startedAt: new Date().toISOString(), command: `node bench/real-hosts.mjs ${process.argv.slice(2).join(' ')}`.trim(), machine: machine(), cases: [] };
  for (const caseName of list(values.cases)) {
    if (!REAL_CASES[caseName]) throw new Error(`unknown case ${caseName} (expected one of ${Object.keys(REAL_CASES).join(', ')})`);
    for (const size of values.sizes ? list(values.sizes).map(Number) : REAL_CASES[caseName].sizes) {
      log(`== ${caseName}-${size} (load average ${loadavg().map((v) => v.toFixed(2)).join(' ')})`);
      try {
        results.cases.push(await runOne(caseName, size));
      } catch (e) {
        log(`   failed: ${e.message}`);
        results.cases.push({ case: caseName, size, error: String(e.message).slice(0, 2000) });
      }
      writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
    }
  }
  results.finishedAt = new Date().toISOString();
  results.loadavgAtEnd = loadavg();
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  process.stdout.write(renderMarkdown(results));
}

await main();
