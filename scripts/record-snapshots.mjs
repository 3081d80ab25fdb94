#!/usr/bin/env node
/**
 * Records test/fixtures/snapshots/<scenario>.json: builds each scenario of
 * test/audit-e2e/scenarios.mjs for real (network namespaces, real daemons, real rulesets,
 * per-namespace sysctls), runs `portcullis collect` inside the server namespace and saves
 * the snapshot. Needs root and a built CLI (npx tsc -p tsconfig.json).
 *
 *   sudo node scripts/record-snapshots.mjs            # every scenario
 *   sudo node scripts/record-snapshots.mjs bare-host  # some
 *
 * Nothing on the host changes: namespaces, daemons and temp dirs are removed afterwards,
 * also on failure.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildScenario, PORTCULLIS_BIN, REPO } from '../test/audit-e2e/harness/build.mjs';
import { SCENARIOS } from '../test/audit-e2e/scenarios.mjs';

const OUT_DIR = join(REPO, 'test/fixtures/snapshots');

if (process.getuid?.() !== 0) {
  console.error('record-snapshots: needs root (network namespaces, daemons on ports < 1024)');
  process.exit(2);
}
if (!existsSync(PORTCULLIS_BIN)) {
  console.error(`record-snapshots: ${PORTCULLIS_BIN} missing; run: npx tsc -p tsconfig.json`);
  process.exit(2);
}
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`record-snapshots: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
mkdirSync(OUT_DIR, { recursive: true });
let failed = 0;
for (const def of SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  const t0 = Date.now();
  let sc;
  try {
    sc = await buildScenario(def);
    const tmp = join(sc.dir, 'snapshot.json');
    const stderr = sc.collect(tmp);
    const out = join(OUT_DIR, `${def.name}.json`);
    copyFileSync(tmp, out);
    console.log(`recorded ${out} (${Date.now() - t0} ms)${stderr ? `\n${stderr}` : ''}`);
  } catch (err) {
    failed++;
    console.error(`record-snapshots: ${def.name} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    sc?.stop();
  }
}
process.exit(failed === 0 ? 0 : 1);
