#!/usr/bin/env node
/**
 * CPU of a snapshot's load and of its analysis (analyzeHost) apart, with one build: the audit's
 * analysis is a small part of a kube audit's CPU, too small to see in the whole command's time
 * on a loaded machine. Run it once per process and alternate builds (a second analysis in the
 * same process finds the source-list cache warm).
 *
 *   node --expose-gc bench/analyze-phase.mjs BUILD_ROOT SNAPSHOT [runs]
 *
 * BUILD_ROOT is a checkout with `npm run build` done (its dist/ is imported).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [root, snap, runs = '1'] = process.argv.slice(2);
if (!root || !snap) {
  process.stderr.write('usage: node --expose-gc bench/analyze-phase.mjs BUILD_ROOT SNAPSHOT [runs]\n');
  process.exit(2);
}
const dist = resolve(root, 'dist');
const { parseSnapshotBytes } = await import(`${dist}/parse/snapshot-bytes/index.js`);
const { loadHost, analyzeHost } = await import(`${dist}/pipeline.js`);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let best = { load: Infinity, analyze: Infinity };
for (let i = 0; i < Number(runs); i++) {
  const bytes = readFileSync(snap);
  let t = cpu();
  const host = loadHost(parseSnapshotBytes(bytes, snap).value, snap, {});
  const load = cpu() - t;
  // The load's garbage is not the analysis's to collect.
  globalThis.gc?.();
  t = cpu();
  analyzeHost(host);
  const analyze = cpu() - t;
  best = { load: Math.min(best.load, load), analyze: Math.min(best.analyze, analyze) };
}
console.log(`${snap.split('/').pop()} ${root}: load ${best.load.toFixed(2)} s analyze ${best.analyze.toFixed(2)} s CPU`);
