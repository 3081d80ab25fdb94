/**
 * What users reach for instead, timed on the same dumps in the same run: the firewall
 * tools' own parse-only check (`iptables-restore --test`, `nft -c -f`). Each runs inside a
 * throwaway namespace under GNU time, for wall time and peak RSS.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, deleteNetns, inNetns } from './netns.mjs';

/**
 * Runs argv in `ns` with stdin from `inputFile`; wall ms (measured here) and peak RSS (GNU
 * time %M), one run. Failures are reported, not thrown: a failed baseline is a figure too.
 */
function timedOnce(ns, argv, inputFile) {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  const rssFile = join(dir, 'rss');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...inNetns(ns, argv)], {
      input: inputFile ? readFileSync(inputFile) : undefined, encoding: 'utf8', maxBuffer: 1 << 28,
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    let maxRssKb = null;
    try { maxRssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)); } catch { /* time did not run */ }
    return { ok: r.status === 0, wallMs, maxRssKb, ...(r.status === 0 ? {} : { error: `exit ${r.status}: ${(r.stderr ?? '').slice(0, 300)}` }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of three runs for quick tools (noise dominates them); one run when a run takes over 5 s. */
function timed(ns, argv, inputFile) {
  const first = timedOnce(ns, argv, inputFile);
  if (!first.ok || first.wallMs > 5000) return { ...first, runs: 1 };
  const all = [first, timedOnce(ns, argv, inputFile), timedOnce(ns, argv, inputFile)].sort((a, b) => a.wallMs - b.wallMs);
  return { ...all[1], runs: 3 };
}

/** Sums two timed runs (the IPv4 and IPv6 halves of one check). */
const both = (a, b) => (b ? { ok: a.ok && b.ok, wallMs: a.wallMs + b.wallMs, maxRssKb: Math.max(a.maxRssKb ?? 0, b.maxRssKb ?? 0), parts: [a, b] } : a);

/**
 * Parse-only checks for one case's dumps (paths from generate.mjs writeCase).
 * @returns {Record<string, {ok:boolean, wallMs:number, maxRssKb:number|null, command:string}>}
 */
export function runBaselines(paths) {
  const ns = createNetns('base');
  const out = {};
  try {
    if (paths.iptables) {
      out['iptables-restore --test'] = { ...both(timed(ns, ['iptables-restore', '--test'], paths.iptables),
        paths.ip6tables && timed(ns, ['ip6tables-restore', '--test'], paths.ip6tables)), command: 'iptables-restore --test < F.rules; ip6tables-restore --test < F.rules6 (nf_tables backend)' };
      out['iptables-legacy-restore --test'] = { ...both(timed(ns, ['iptables-legacy-restore', '--test'], paths.iptables),
        paths.ip6tables && timed(ns, ['ip6tables-legacy-restore', '--test'], paths.ip6tables)), command: 'iptables-legacy-restore --test < F.rules; ip6tables-legacy-restore --test < F.rules6' };
    }
    if (paths.nftText) {
      out['nft -c -f'] = { ...timed(ns, ['nft', '-c', '-f', paths.nftText]), command: 'nft -c -f F.nft' };
    }
  } finally {
    deleteNetns(ns);
  }
  return out;
}
