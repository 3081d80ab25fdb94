#!/usr/bin/env node
/**
 * Benchmark of `portcullis logs` against what administrators use instead, on the same file
 * in one run: Debian's fwlogwatch (on a size it can finish: it is quadratic) and the
 * grep | sort | uniq -c pipeline. Checks that the counts they share agree.
 *
 *   npm run build && node bench/logs/run-logs.mjs [--mb 1024] [--format bsd] [--fwlogwatch-mb 20]
 *                                                  [--threads 1,2] [--dir /tmp/portcullis-bench-logs]
 *
 * fwlogwatch is installed with apt-get when missing (as root). Generated logs are kept in
 * --dir and reused (same seed, same bytes). Prints markdown with
 * the load average before and after (the machine may be shared), and writes results.json.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeLog } from './generate-logs.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const { values } = parseArgs({ options: {
  mb: { type: 'string', default: '1024' },
  format: { type: 'string', default: 'bsd' },
  'fwlogwatch-mb': { type: 'string', default: '20' },
  threads: { type: 'string', default: '1,2' },
  dir: { type: 'string', default: '/tmp/portcullis-bench-logs' },
  seed: { type: 'string', default: '1' },
  'no-pipeline': { type: 'boolean', default: false },
} });

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function logFile(mb) {
  mkdirSync(values.dir, { recursive: true });
  const file = join(values.dir, `${values.format}-${mb}mb-s${values.seed}.log`);
  if (!existsSync(file + '.truth.json')) {
    process.stderr.write(`generating ${file}…\n`);
    // Ends an hour ago: a log running into the future reads back a year where stamps have no year.
    const truth = await writeLog(file, { bytes: mb * 1048576, format: values.format, seed: Number(values.seed), sources: 50000 });
    writeFileSync(file + '.truth.json', JSON.stringify(truth));
  }
  return file;
}

/** Run a shell-free command (or `sh -c` for the pipeline) under /usr/bin/time; wall, CPU, peak RSS. */
function timed(argv, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const lines = r.stderr.trim().split('\n');
  const [wall, user, sys, rssKb] = lines.at(-1).split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: r.stdout };
}

const mbps = (bytes, secs) => (bytes / 1048576 / secs).toFixed(0);

function runPortcullis(file, threads) {
  const t = timed([process.execPath, CLI, 'logs', file, '--format', 'json'], { PORTCULLIS_THREADS: String(threads) });
  return { ...t, summary: JSON.parse(t.stdout) };
}

function pipelineCommand(file) {
  // What an administrator writes: drop lines, their destination ports, counted.
  return `grep -F ' kernel: ' ${file} | grep -F 'IN=' | grep -vE 'ALLOW|ACCEPT|AUDIT' | grep -o 'DPT=[0-9]*' | sort | uniq -c | sort -rn`;
}

function fwlogwatchDrops(out) {
  let drops = 0;
  let other = 0;
  for (const line of out.split('\n')) {
    const m = / (\d+) \S+ packets? from /.exec(line);
    if (!m) continue;
    if (/ALLOW|ACCEPT|AUDIT/.test(line)) other += Number(m[1]);
    else drops += Number(m[1]);
  }
  return { drops, other };
}

const rows = [];
const checks = [];
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model }, loadBefore: load(), runs: [] };
const big = await logFile(Number(values.mb));
const size = statSync(big).size;
const truth = JSON.parse(readFileSync(big + '.truth.json', 'utf8'));

for (const threads of values.threads.split(',').map(Number)) {
  const r = runPortcullis(big, threads);
  rows.push([`portcullis logs (${threads} thread${threads > 1 ? 's' : ''})`, `${(size / 1048576).toFixed(0)} MB`, r.wall.toFixed(1), r.cpu.toFixed(1), mbps(size, r.wall), mbps(size, r.cpu / threads), r.rssMb.toFixed(0)]);
  results.runs.push({ tool: 'portcullis', threads, bytes: size, wall: r.wall, cpu: r.cpu, rssMb: r.rssMb, load: load() });
  checks.push(`portcullis (${threads} threads): attempts ${r.summary.attempts} (truth ${truth.attempts}), scanners ${r.summary.scanners.length} (truth ${truth.scanners.length}), drop lines ${r.summary.lines.drops} + malformed ${r.summary.lines.malformed}`);
  if (r.summary.attempts !== truth.attempts || r.summary.scanners.length !== truth.scanners.length) throw new Error('portcullis disagrees with the generator truth');
  results.portcullis = r.summary.lines;
}

if (!values['no-pipeline']) {
  const p = timed(['sh', '-c', pipelineCommand(big)]);
  const counts = new Map(p.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).map(([n, k]) => [Number(k.slice(4)), Number(n)]));
  const lines = [...counts.values()].reduce((a, b) => a + b, 0);
  rows.push(['grep \\| sort \\| uniq -c pipeline', `${(size / 1048576).toFixed(0)} MB`, p.wall.toFixed(1), p.cpu.toFixed(1), mbps(size, p.wall), '', p.rssMb.toFixed(0)]);
  results.runs.push({ tool: 'pipeline', bytes: size, wall: p.wall, cpu: p.cpu, rssMb: p.rssMb, load: load() });
  const ours22 = truth.ports['tcp/22'] ?? 0;
  // Shared count: every drop line has one DPT= in this log (ICMP errors only through the
  // packet they quote; malformed lines have none), so the pipeline's total is the drop lines.
  const shared = lines === results.portcullis.drops;
  checks.push(`pipeline: ${lines} DPT= matches = portcullis' ${results.portcullis.drops} drop lines: ${shared ? 'agree' : 'DISAGREE'}. Per port it is wrong where the issue says: tcp/22 ${counts.get(22)} vs exact ${ours22} (it misses "last message repeated" and merges tcp/udp), port 53 ${counts.get(53)} vs exact ${(truth.ports['udp/53'] ?? 0) + (truth.ports['tcp/53'] ?? 0)} (it counts the port quoted inside ICMP errors)`);
}

// fwlogwatch is only for the comparison: install it when missing (Debian, as root).
if (spawnSync('sh', ['-c', 'command -v fwlogwatch']).status !== 0 && process.getuid?.() === 0) {
  spawnSync('apt-get', ['install', '-y', '-qq', 'fwlogwatch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
const small = await logFile(Number(values['fwlogwatch-mb']));
const smallSize = statSync(small).size;
const fwOut = join(values.dir, 'fwlogwatch.out');
const fw = timed(['fwlogwatch', '-c', '/dev/null', '-D', '-d', '-p', '-o', fwOut, small]);
const fwCounts = fwlogwatchDrops(readFileSync(fwOut, 'utf8'));
const ourSmall = runPortcullis(small, 2);
rows.push(['fwlogwatch 1.4 (Debian)', `${(smallSize / 1048576).toFixed(0)} MB`, fw.wall.toFixed(1), fw.cpu.toFixed(1), mbps(smallSize, fw.wall), '', fw.rssMb.toFixed(0)]);
rows.push(['portcullis logs (same file)', `${(smallSize / 1048576).toFixed(0)} MB`, ourSmall.wall.toFixed(1), ourSmall.cpu.toFixed(1), mbps(smallSize, ourSmall.wall), '', ourSmall.rssMb.toFixed(0)]);
results.runs.push({ tool: 'fwlogwatch', bytes: smallSize, wall: fw.wall, cpu: fw.cpu, rssMb: fw.rssMb, load: load() });
const agree = fwCounts.drops === ourSmall.summary.attempts && fwCounts.other === ourSmall.summary.lines.notDrops;
checks.push(`fwlogwatch on ${(smallSize / 1048576).toFixed(0)} MB: ${fwCounts.drops} drop packets (portcullis ${ourSmall.summary.attempts}), ${fwCounts.other} ALLOW/AUDIT packets (portcullis ${ourSmall.summary.lines.notDrops}): ${agree ? 'agree' : 'DISAGREE'}`);
results.loadAfter = load();

const md = [
  `Machine: ${results.machine.cpus} × ${results.machine.model}; load average (1, 5, 15 min) before ${results.loadBefore}, after ${results.loadAfter}.`,
  `Log: ${values.format}, generated by bench/logs/generate-logs.mjs (seed ${values.seed}), ${truth.lines.read.toLocaleString('en-US')} lines, ${truth.sourceCount.toLocaleString('en-US')} sources.`,
  '',
  '| tool | input | wall s | CPU s | MB/s (wall, shared machine) | MB/s on idle cores (size × threads ÷ CPU s) | peak RSS MB |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  ...checks.map((c) => `- ${c}`),
].join('\n');
process.stdout.write(md + '\n');
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/logs-results.json'), JSON.stringify({ ...results, markdown: md }, null, 1));
