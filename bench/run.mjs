#!/usr/bin/env node
/**
 * The benchmark: `npm run bench` (node bench/run.mjs).
 *
 *   node bench/run.mjs [--sizes 1000,10000,100000] [--formats iptables,nft,nft-set]
 *                      [--seed 1] [--cli-runs 3] [--explain-runs 50]
 *                      [--timeout 600] [--profile] [--no-baselines] [--no-nmap] [--out bench/out]
 *
 * Per case (format × size): generates the snapshot (bench/generate.mjs), then in fresh
 * child processes times the library phases (bench/case.mjs), the CLI end to end
 * (`portcullis audit --format json`), and side by side the tools users would use instead:
 * `iptables-restore --test` / `nft -c -f` on the same dumps, and an nmap connect scan of
 * the same listeners with the ruleset loaded in a namespace, compared port by port with
 * `portcullis explain --flows` for the same source. Needs `npm run build` first; root for
 * the namespaces (baselines and nmap are skipped, and said so, without it).
 * --profile runs the library case under `node --cpu-prof` and adds its top self-time
 * functions to the report. Prints markdown; writes <out>/results.json.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATS, generateCase, parseList, writeCase } from './generate.mjs';
import { runBaselines } from './lib/baselines.mjs';
import { nmapAvailable, nmapScan, CLIENT, SERVER } from './lib/nmap-scan.mjs';
import { netnsAvailable } from './lib/netns.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { summarize } from './lib/profile-summary.mjs';
import { CLI, ROOT, distStamp, isAuditJson, machine, runCase as runCaseIn, runCli as runCliIn } from './lib/spawn-bench.mjs';


const { values } = parseArgs({ options: {
  sizes: { type: 'string', default: '1000,10000,100000' },
  formats: { type: 'string', default: FORMATS.join(',') },
  seed: { type: 'string', default: '1' },
  'cli-runs': { type: 'string', default: '3' },
  'explain-runs': { type: 'string', default: '50' },
  timeout: { type: 'string', default: '600' },
  profile: { type: 'boolean', default: false },
  'no-baselines': { type: 'boolean', default: false },
  'no-nmap': { type: 'boolean', default: false },
  out: { type: 'string', default: 'bench/out' },
} });
const outDir = resolve(ROOT, values.out);
mkdirSync(outDir, { recursive: true });
const TIMEOUT_MS = Number(values.timeout) * 1000;
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

const runCli = (args, opts = {}) => runCliIn(args, { scratch: outDir, timeoutMs: TIMEOUT_MS, ...opts });
const runCase = (snapshotPath, profileDir, stopAfter) => runCaseIn(snapshotPath, { profileDir, stopAfter, timeoutMs: TIMEOUT_MS,
  explainRuns: values['explain-runs'], from: CLIENT.v4, to: SERVER.v4 });

/** `portcullis explain --flows` for the ports nmap scanned, from the nmap client, compared port by port. */
function explainVsNmap(snapshotPath, nmap, caseName) {
  const ports = Object.keys(nmap.states).map(Number).sort((a, b) => a - b);
  const flowsFile = join(outDir, `${caseName}.flows.jsonl`);
  writeFileSync(flowsFile, ports.map((port) => JSON.stringify({ from: CLIENT.v4, to: SERVER.v4, port, proto: 'tcp', iface: 'eth0' })).join('\n') + '\n');
  const r = runCli(['explain', '--flows', flowsFile, '--snapshot', snapshotPath]);
  if (r.status !== 0) return { ok: false, wallMs: r.wallMs, error: `exit ${r.status}: ${(r.error ?? '').slice(0, 500)}` };
  const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const disagree = [];
  answers.forEach((a, i) => {
    const expected = nmap.states[ports[i]];
    if (a.state !== expected) disagree.push({ port: ports[i], nmap: expected, portcullis: a.state, trace: a.trace?.slice(-2).map((t) => t.rule?.text) });
  });
  return { ok: true, wallMs: r.wallMs, maxRssKb: r.maxRssKb, flows: ports.length, agree: ports.length - disagree.length, disagree: disagree.slice(0, 20), disagreeCount: disagree.length,
    command: `portcullis explain --flows F.flows.jsonl --snapshot F.snapshot.json` };
}


/** The other tools on the same case: parse-only checks, and nmap against `explain --flows`. */
async function sideBySide(entry, c, paths) {
  if (withBaselines) {
    entry.baselines = runBaselines(paths);
    log(`   baselines: ${Object.entries(entry.baselines).map(([k, v]) => `${k} ${v.wallMs.toFixed(0)} ms`).join(', ')}`);
  }
  if (withNmap) {
    try {
      const scan = await nmapScan({ snapshotPath: paths.snapshot, snapshot: c.snapshot, paths });
      entry.nmap = { command: scan.command, wallMs: scan.wallMs, ports: scan.ports, counts: scan.counts };
      entry.explainFlows = explainVsNmap(paths.snapshot, scan, entry.name);
      log(`   nmap: ${scan.wallMs.toFixed(0)} ms ${JSON.stringify(scan.counts)}; explain --flows: ${JSON.stringify({ ...entry.explainFlows, disagree: undefined })}`);
    } catch (e) {
      entry.nmap = { error: String(e.message).slice(0, 1000) };
      log(`   nmap failed: ${entry.nmap.error}`);
    }
  }
}

const privileged = netnsAvailable();
const withBaselines = !values['no-baselines'] && privileged;
const withNmap = !values['no-nmap'] && privileged && nmapAvailable();

async function main() {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist/pipeline.js'))) {
    log('dist/ is missing: run `npm run build` first (the benchmark measures the built CLI).');
    process.exitCode = 2;
    return;
  }
  if (!privileged) log('not root (or no iproute2): skipping the baselines and nmap, which need network namespaces');
  else if (!values['no-nmap'] && !withNmap) log('nmap not installed (apt-get install nmap): skipping the scan comparison');

  const results = { startedAt: new Date().toISOString(), command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(), machine: machine(), cases: [] };
  for (const format of parseList(values.formats)) {
    let timedOutAt = null;
    for (const size of parseList(values.sizes).map(Number).sort((a, b) => a - b)) {
      const name = `${format}-${size}`;
      log(`== ${name}`);
      const c = generateCase({ format, size, seed: Number(values.seed) });
      const paths = writeCase(outDir, format, size, c);
      if (timedOutAt !== null) {
        // Cost only grows with size: the full pipeline would fail the same way, later. Loading
        // and explain need no analysis, so they are still measured.
        const skipped = `${format}-${timedOutAt} timed out (${values.timeout} s) or ran out of memory`;
        const entry = { name, format, size, stats: c.stats, skipped, loadavg: loadavg(), distBuiltAt: distStamp(), library: runCase(paths.snapshot, null, 'explain') };
        log(`   analysis skipped (${skipped}); load + explain: ${JSON.stringify(entry.library.phases ?? entry.library.error)}`);
        await sideBySide(entry, c, paths);
        results.cases.push(entry);
        writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
        continue;
      }
      // The machine may be shared: the load average says how much to trust a figure.
      const entry = { name, format, size, stats: c.stats, snapshotBytes: readFileSync(paths.snapshot).length, loadavg: loadavg(), distBuiltAt: distStamp() };
      const profileDir = values.profile ? join(outDir, 'prof', name) : null;
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      entry.library = runCase(paths.snapshot, profileDir);
      if (profileDir && existsSync(profileDir)) {
        const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (file) {
          const prof = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
          entry.profile = { file: join(values.out, 'prof', name, file), top: summarize(prof, 12), topTotal: summarize(prof, 25, { by: 'total' }) };
        }
      }
      log(`   library: ${JSON.stringify(entry.library.phases ?? entry.library.error)}${entry.library.errors ? ` errors: ${JSON.stringify(entry.library.errors)}` : ''}`);
      const cliRuns = [];
      for (let i = 0; i < Number(values['cli-runs']); i++) {
        const r = runCli(['audit', '--snapshot', paths.snapshot, '--format', 'json'], { valid: isAuditJson });
        delete r.stdout;
        cliRuns.push(r);
        // Repeats only smooth noise on short runs; a failed or long run says enough once.
        if (!r.ok || r.wallMs > 20000) break;
      }
      entry.cli = { command: `portcullis audit --snapshot ${name}.snapshot.json --format json`, runs: cliRuns,
        wallMs: median(cliRuns.filter((r) => r.ok).map((r) => r.wallMs)) ?? cliRuns[0].wallMs, maxRssKb: Math.max(...cliRuns.map((r) => r.maxRssKb ?? 0)), ok: cliRuns.every((r) => r.ok) };
      log(`   cli audit: ${entry.cli.ok ? `${entry.cli.wallMs.toFixed(0)} ms, ${(entry.cli.maxRssKb / 1024).toFixed(0)} MB` : cliRuns[0].error}`);
      await sideBySide(entry, c, paths);
      const gaveUp = (r) => r.timedOut || r.outOfMemory;
      if (gaveUp(entry.library) || entry.cli.runs.some(gaveUp)) timedOutAt = size;
      results.cases.push(entry);
      writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
    }
  }
  results.finishedAt = new Date().toISOString();
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  process.stdout.write(renderMarkdown(results));
}

await main();
