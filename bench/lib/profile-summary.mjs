#!/usr/bin/env node
/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), to say which
 * function a slow phase spends its time in.
 *
 *   node bench/lib/profile-summary.mjs FILE.cpuprofile [--top 20]
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** [{fn, where, selfMs, share}] sorted by self time, for one profile. */
export function summarize(profile, top = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const d = (dt[i] ?? 0) / 1000;
    total += d;
    const cf = byId.get(id).callFrame;
    let url = cf.url;
    try { if (url.startsWith('file:')) url = relative(process.cwd(), fileURLToPath(url)); } catch { /* keep */ }
    const key = `${cf.functionName || '(anonymous)'}\t${url ? `${url}:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + d);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => {
    const [fn, where] = k.split('\t');
    return { fn, where, selfMs: ms, share: ms / total };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 20;
  for (const r of summarize(JSON.parse(readFileSync(file, 'utf8')), top)) {
    console.log(`${r.selfMs.toFixed(0).padStart(7)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.fn}  ${r.where}`);
  }
}
