#!/usr/bin/env node
/**
 * A fleet audited into one report: `audit --snapshot` over N generated hosts (bench/lib/fleet.mjs:
 * 24-60 listening sockets, 50-400 iptables or nftables rules each), on worker threads and on
 * one thread, side by side with what one would do without it: a `portcullis audit` process
 * per host, as many at once as there are cores (xargs -P), which gives N reports, not one.
 *
 *   npm run build && node bench/fleet-audit.mjs [--hosts 1000] [--seed 1] [--threads 1,2]
 *                                               [--format text] [--per-process 1000] [--out bench/out/fleet]
 *
 * Figures per mode: wall time, CPU time (user + system, every thread; what a shared
 * machine's load does not inflate), peak RSS, report size, and whether the threaded report
 * is the one-thread report byte for byte (the report's time stamp line aside). Prints
 * markdown; writes <out>/results.json.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetHost } from './lib/fleet.mjs';
import { CLI, ROOT, machine, runCli } from './lib/spawn-bench.mjs';

const { values } = parseArgs({ options: {
  hosts: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '1' },
  threads: { type: 'string', default: `1,${availableParallelism()}` },
  format: { type: 'string', default: 'text' },
  'per-process': { type: 'string', default: '' },
  out: { type: 'string', default: 'bench/out/fleet' },
} });
const hosts = Number(values.hosts);
const outDir = resolve(ROOT, values.out);
const snapDir = join(outDir, 'snapshots');
const log = (s) => process.stderr.write(`${s}\n`);
rmSync(snapDir, { recursive: true, force: true });
mkdirSync(snapDir, { recursive: true });

const files = [];
let bytes = 0;
for (let i = 0; i < hosts; i++) {
  const file = join(snapDir, `host-${String(i).padStart(4, '0')}.json`);
  const text = JSON.stringify(fleetHost(i, Number(values.seed)));
  writeFileSync(file, text);
  bytes += text.length;
  files.push(file);
}
log(`generated ${hosts} snapshots (${(bytes / 2 ** 20).toFixed(1)} MB) in ${snapDir}`);

/** The report without the line or field that carries its generation time. */
const timeless = (text) => text.replace(/"generatedAt": *"[^"]*"/g, '').replace(/^.*\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d.*$/m, '');

const results = [];
let reference = null;
for (const threads of values.threads.split(',').map(Number)) {
  const reportFile = join(outDir, `report-${threads}.${values.format}`);
  process.env.PORTCULLIS_THREADS = String(threads);
  log(`audit of ${hosts} hosts, ${threads} thread(s)…`);
  const load = loadavg()[0];
  const r = runCli(['audit', '--snapshot', ...files, '--format', values.format, '--fail-on', 'none', '--out', reportFile], { scratch: outDir, timeoutMs: 3 * 3600_000 });
  if (!r.ok) throw new Error(`audit failed with ${threads} thread(s): ${r.error}`);
  const report = timeless(readFileSync(reportFile, 'utf8'));
  reference ??= report;
  results.push({ mode: `one report, ${threads} thread(s)`, threads, wallS: r.wallMs / 1000, cpuS: r.cpuMs / 1000, maxRssMb: r.maxRssKb / 1024, reportBytes: report.length, sameAsFirst: report === reference, loadBefore: load });
}
delete process.env.PORTCULLIS_THREADS;

const perProcess = Number(values['per-process'] || 0);
if (perProcess > 0) {
  const list = files.slice(0, perProcess);
  const jobs = availableParallelism();
  log(`a process per host for ${list.length} hosts, ${jobs} at once (xargs -P ${jobs})…`);
  const load = loadavg()[0];
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'xargs', '-P', String(jobs), '-n', '1', process.execPath, CLI, 'audit', '--format', values.format, '--fail-on', 'none', '--snapshot'],
    { input: list.join('\n'), encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, PORTCULLIS_THREADS: '1' } });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  results.push({ mode: `a process per host (xargs -P ${jobs}), ${list.length} reports`, threads: jobs, hosts: list.length, wallS, cpuS: user + sys, maxRssMb: rssKb / 1024, reportBytes: r.stdout.length, sameAsFirst: null, loadBefore: load });
}

const m = machine();
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ hosts, seed: Number(values.seed), format: values.format, snapshotBytes: bytes, machine: m, results }, null, 2));
const f1 = (x) => x.toFixed(1);
const lines = [
  `Fleet audit: ${hosts} generated hosts (${(bytes / 2 ** 20).toFixed(0)} MB of snapshots), \`--format ${values.format}\`; ${m.cpus} × ${m.cpuModel}, Node ${m.node}, commit ${m.commit}.`,
  '',
  '| mode | hosts | wall s | CPU s | peak RSS MB | report MB | same report as 1 thread | load avg before |',
  '|---|---:|---:|---:|---:|---:|---|---:|',
  ...results.map((r) => `| ${r.mode} | ${r.hosts ?? hosts} | ${f1(r.wallS)} | ${f1(r.cpuS)} | ${r.maxRssMb.toFixed(0)} | ${(r.reportBytes / 2 ** 20).toFixed(1)} | ${r.sameAsFirst === null ? '–' : r.sameAsFirst ? 'yes' : '**no**'} | ${r.loadBefore.toFixed(1)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
if (results.some((r) => r.sameAsFirst === false)) process.exitCode = 1;
