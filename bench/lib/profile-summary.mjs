#!/usr/bin/env node
/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), to say which
 * function a slow phase spends its time in.
 *
 *   node bench/lib/profile-summary.mjs FILE.cpuprofile [--top 20] [--total]
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function keyOf(cf) {
  let url = cf.url;
  try { if (url.startsWith('file:')) url = relative(process.cwd(), fileURLToPath(url)); } catch { /* keep */ }
  return `${cf.functionName || '(anonymous)'}\t${url ? `${url}:${cf.lineNumber + 1}` : ''}`;
}

/**
 * [{fn, where, selfMs, share, totalMs}] sorted by self time (or by total time, callees
 * included, with `by: 'total'`), for one profile.
 */
export function summarize(profile, top = 20, { by = 'self' } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const incl = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const d = (dt[i] ?? 0) / 1000;
    total += d;
    const key = keyOf(byId.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + d);
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const k = keyOf(byId.get(n).callFrame);
      if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + d); }
    }
  });
  const order = by === 'total' ? incl : self;
  return [...order.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => {
    const [fn, where] = k.split('\t');
    return { fn, where, selfMs: self.get(k) ?? 0, totalMs: incl.get(k) ?? 0, share: (self.get(k) ?? 0) / total };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 20;
  const by = process.argv.includes('--total') ? 'total' : 'self';
  console.log('   self  share     total  function  where');
  for (const r of summarize(JSON.parse(readFileSync(file, 'utf8')), top, { by })) {
    console.log(`${r.selfMs.toFixed(0).padStart(7)} ms ${(100 * r.share).toFixed(1).padStart(5)}% ${r.totalMs.toFixed(0).padStart(7)} ms  ${r.fn}  ${r.where}`);
  }
}
