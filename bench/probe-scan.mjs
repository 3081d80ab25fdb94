#!/usr/bin/env node
/**
 * Full 65,535-port TCP connect scans, `portcullis probe` side by side with `nmap -sT -p-`
 * (default timing and -T4), on two targets built in network namespaces (root):
 *
 *   loopback  127.0.0.1 inside a fresh namespace, two socat listeners (ports 2222, 40000)
 *   filtered  192.0.2.1 seen from a client namespace, its input policy drops everything
 *             (every port costs a timeout and a retry)
 *
 *   node bench/probe-scan.mjs [--runs 3] [--filtered-timeout 500] [--concurrency 512]
 *                             [--filtered-concurrency 4096] [--no-filtered-defaults] [--cap 300]
 *
 * On the filtered host both tools get the same timeout and one retry (nmap:
 * --initial-rtt-timeout/--max-rtt-timeout T --max-retries 1); nmap's own default and -T4
 * timings run there too unless --no-filtered-defaults. Prints a markdown table with the
 * load average before and after each measurement (the machine may be shared), and checks
 * that both tools found the same open ports. A run longer than --cap seconds is stopped and
 * reported as such (nmap's default timing on a host that drops everything takes many minutes). Needs `npx tsc -p tsconfig.json` first.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DAEMONS, stopDaemon, waitListening } from '../test/audit-e2e/harness/daemons.mjs';
import { run } from '../test/audit-e2e/harness/exec.mjs';
import { SERVER_V4, createTopology } from '../test/audit-e2e/harness/topology.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'filtered-timeout': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '512' },
    'filtered-concurrency': { type: 'string', default: '4096' },
    'no-filtered-defaults': { type: 'boolean', default: false },
    cap: { type: 'string', default: '300' },
  },
});
const RUNS = Number(values.runs);

function timed(ns, argv) {
  const load = loadavg()[0];
  const t = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: Number(values.cap) * 1000, killSignal: 'SIGKILL' });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.error?.code === 'ETIMEDOUT' || (r.status === null && r.signal === 'SIGKILL')) return { seconds, stdout: null, load: `${load.toFixed(2)}→${loadavg()[0].toFixed(2)}`, stopped: true };
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { seconds, stdout: r.stdout, load: `${load.toFixed(2)}→${loadavg()[0].toFixed(2)}` };
}

const openFromNmap = (xml) => [...xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
const openFromProbe = (json) => JSON.parse(json).targets[0].ports.filter((p) => p.state === 'open').map((p) => p.port).sort((a, b) => a - b);

function measure(label, ns, argv, parse, runs = RUNS) {
  const rows = [];
  for (let i = 0; i < runs; i++) rows.push(timed(ns, argv));
  rows.sort((a, b) => a.seconds - b.seconds);
  const median = rows[Math.floor(rows.length / 2)];
  const result = { label, command: argv.join(' '), median: median.seconds, min: rows[0].seconds, max: rows[rows.length - 1].seconds, load: median.load, stopped: Boolean(median.stopped), open: median.stopped ? null : parse(median.stdout) };
  printRow(result);
  return result;
}

let target = '';
function printRow(r) {
  const time = r.stopped ? `> ${values.cap} (stopped)` : `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
  console.log(`| ${target} | ${r.label} | ${time} | ${r.load} | ${r.open === null ? '–' : r.open.join(', ') || 'none'} |`);
}

console.log(`${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${new Date().toISOString()}\n`);
console.log('| target | tool | median s (min–max) | load avg 1 min (before→after) | open ports |');
console.log('| --- | --- | --- | --- | --- |');
const results = [];
const dir = mkdtempSync(join(tmpdir(), 'pc-bench-probe-'));
const topo = createTopology();
const daemons = [];
try {
  // Loopback: the scanner and the target in the server namespace.
  const s = topo.server;
  daemons.push(DAEMONS.socat(s, dir, { port: 2222 }), DAEMONS.socat(s, dir, { port: 40000 }));
  await waitListening(s, daemons);
  target = 'loopback';
  const probe = (target, extra) => [process.execPath, CLI, 'probe', target, '--ports', 'all', '--no-identify', '--no-compare', '--json', '--fail-on', 'none', ...extra];
  results.push({ target: 'loopback', ...measure('portcullis probe', s, probe('127.0.0.1', ['--concurrency', values.concurrency]), openFromProbe) });
  results.push({ target: 'loopback', ...measure('nmap -sT -p- (default)', s, ['nmap', '-n', '-Pn', '-sT', '-p-', '-oX', '-', '127.0.0.1'], openFromNmap) });
  results.push({ target: 'loopback', ...measure('nmap -sT -p- -T4', s, ['nmap', '-n', '-Pn', '-sT', '-p-', '-T4', '-oX', '-', '127.0.0.1'], openFromNmap) });

  // Filtered: the server drops everything it receives; the client scans it.
  run(['ip', 'netns', 'exec', s, 'nft', '-f', '-'], 'table inet pc_bench_drop {\n chain input {\n  type filter hook input priority 0; policy drop;\n }\n}\n');
  target = 'filtered';
  const t = values['filtered-timeout'];
  const c = topo.client;
  results.push({ target: 'filtered', ...measure(`portcullis probe --timeout ${t} --retries 1`, c, probe(SERVER_V4, ['--allow-remote', '--timeout', t, '--retries', '1', '--concurrency', values['filtered-concurrency']]), openFromProbe, 1) });
  results.push({ target: 'filtered', ...measure(`nmap -sT -p- same timeout (${t} ms, 1 retry)`, c, ['nmap', '-n', '-Pn', '-sT', '-p-', '--initial-rtt-timeout', `${t}ms`, '--max-rtt-timeout', `${t}ms`, '--max-retries', '1', '-oX', '-', SERVER_V4], openFromNmap, 1) });
  if (!values['no-filtered-defaults']) {
    results.push({ target: 'filtered', ...measure('nmap -sT -p- -T4', c, ['nmap', '-n', '-Pn', '-sT', '-p-', '-T4', '-oX', '-', SERVER_V4], openFromNmap, 1) });
    results.push({ target: 'filtered', ...measure('nmap -sT -p- (default)', c, ['nmap', '-n', '-Pn', '-sT', '-p-', '-oX', '-', SERVER_V4], openFromNmap, 1) });
  }
} finally {
  for (const d of daemons) stopDaemon(d);
  topo.destroy();
  rmSync(dir, { recursive: true, force: true });
}

const agree = (target) => new Set(results.filter((r) => r.target === target && r.open !== null).map((r) => r.open.join(','))).size === 1;
console.log(`\nsame open ports from every tool: loopback ${agree('loopback') ? 'yes' : 'NO'}, filtered ${agree('filtered') ? 'yes' : 'NO'}`);
