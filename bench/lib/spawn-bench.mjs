/**
 * Child processes the benchmarks time: the built CLI (wall time, peak RSS through a
 * preload, so the CLI itself is unchanged) and bench/case.mjs (library phases in a fresh
 * process, optionally under the CPU profiler).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/bin.js');
const CASE = join(ROOT, 'bench/case.mjs');
const RSS_PRELOAD = join(ROOT, 'bench/lib/rss-at-exit.mjs');

/**
 * Wall time and peak RSS of one CLI run. `scratch` is a folder for the RSS file; `cli` another
 * build's bin.js (a baseline checkout measured in the same run).
 */
export function runCli(args, { scratch, timeoutMs, stdoutFile, valid = () => true, cli = CLI }) {
  const rssFile = join(scratch, `.rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', RSS_PRELOAD, cli, ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    timeout: timeoutMs, killSignal: 'SIGKILL',
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let maxRssKb = null;
  let cpuMs = null;
  try { ({ maxRssKb, cpuMs = null } = JSON.parse(readFileSync(rssFile, 'utf8'))); } catch { /* crashed before exit */ }
  rmSync(rssFile, { force: true });
  if (stdoutFile) writeFileSync(stdoutFile, r.stdout ?? '');
  // audit exits 1 when findings reach --fail-on (a normal outcome here) but also on a bug:
  // a run counts when it exits 0 or 1 and printed what was asked (`valid`).
  const ok = (r.status === 0 || r.status === 1) && valid(r.stdout ?? '');
  const timedOut = r.error?.code === 'ETIMEDOUT';
  const outOfMemory = /heap out of memory/.test(r.stderr ?? '');
  return { ok, status: r.status, wallMs, cpuMs, maxRssKb, stdout: r.stdout, ...(timedOut ? { timedOut: true } : {}),
    ...(outOfMemory ? { outOfMemory: true } : {}),
    ...(ok ? {} : { error: timedOut ? `timed out after ${timeoutMs / 1000} s` : outOfMemory ? `out of memory (V8 heap limit) after ${(wallMs / 1000).toFixed(0)} s` : (r.stderr ?? '').slice(0, 1500) }) };
}

export function isAuditJson(stdout) {
  try { return JSON.parse(stdout).format === 'portcullis-audit'; } catch { return false; }
}

/** Library phases in a fresh process (under the CPU profiler when profileDir is set). */
export function runCase(snapshotPath, { profileDir, stopAfter, timeoutMs, explainRuns, from, to, iface = 'eth0' }) {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...prof, CASE, '--snapshot', snapshotPath, '--explain-runs', String(explainRuns),
    '--from', from, '--to', to, '--iface', iface, ...(stopAfter ? ['--stop-after', stopAfter] : [])],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const lines = (r.stdout ?? '').trim().split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  const final = lines.find((l) => l.phases);
  if (r.status === 0 && final) return stopAfter ? { ...final, stoppedAfter: stopAfter } : final;
  // Died part-way: keep the phases it finished (progress lines) and say how it ended.
  const partial = { phases: {}, explain: null, partial: true, wallMs };
  for (const l of lines) {
    if (l.progress?.phase) partial.phases[l.progress.phase] = l.progress.ms;
    if (l.progress?.explain) partial.explain = l.progress.explain;
    if (l.progress?.maxRssKb) partial.maxRssKb = l.progress.maxRssKb;
  }
  const next = ['load', 'analyze', 'audit'].find((p) => partial.phases[p] === undefined) ?? 'render';
  if (r.error?.code === 'ETIMEDOUT') return { ...partial, error: `timed out after ${timeoutMs / 1000} s, in ${next}`, timedOut: true, failedIn: next };
  if (/heap out of memory/.test(r.stderr ?? '')) return { ...partial, error: `out of memory (V8 heap limit) after ${(wallMs / 1000).toFixed(0)} s, in ${next}`, outOfMemory: true, failedIn: next };
  return { ...partial, error: `case.mjs exited ${r.status}: ${(r.stderr ?? '').slice(0, 3000)}`, failedIn: next };
}

/** Newest modification time under dist/: parallel work may rebuild it during a long run. */
export function distStamp() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'dist'));
  return new Date(newest).toISOString();
}

export function machine() {
  const tool = (argv) => { const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' }); return r.status === 0 ? r.stdout.split('\n')[0].trim() : null; };
  const git = (args) => { const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }); return r.status === 0 ? r.stdout.trim() : null; };
  return {
    // Which code was measured: the commit, whether src/ had uncommitted changes, and when dist/ was built.
    commit: git(['rev-parse', '--short', 'HEAD']), srcDirty: Boolean(git(['status', '--porcelain', '--', 'src'])),
    distBuiltAt: distStamp(),
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memGb: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version,
    iptables: tool(['iptables', '--version']), nft: tool(['nft', '--version']), nmap: tool(['nmap', '--version']),
    // Every node process started with it parses that CA bundle first: ~55 ms of CPU per start on
    // the 3 Dec VM (a 220 KB bundle), in every collect, audit and explain figure measured there.
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS !== undefined && process.env.NODE_EXTRA_CA_CERTS !== '',
  };
}
