#!/usr/bin/env node
/**
 * The store at fleet scale (issue 14): N generated hosts (bench/lib/fleet-stored.mjs, 1,000 by
 * default), one snapshot each, written into the store and audited from it into one report,
 * on the embedded store (PGlite folder) and on a PostgreSQL server (a throwaway cluster of
 * Debian's binaries, root only). Side by side, what users would do without a store: the same
 * snapshots as files, `portcullis audit --snapshot DIR/*.json`.
 *
 *   node bench/fleet-store.mjs [--hosts 1000] [--engines embedded,server] [--seed 1]
 *                              [--timeout 1800] [--out bench/out/fleet-store] [--store-only]
 *
 * Timed apart: the store writes (one transaction per snapshot, as N `collect --db` runs do;
 * and one batch transaction), opening the store, the read (`latestSnapshots`), end to end the
 * CLI `audit --db URL` (text report) in a new process (read, analysis, report kept), and the
 * report write alone (the kept report written again). The analysis is the same work as in the
 * files run.
 * Needs `npm run build`. Prints markdown; writes <out>/results.json.
 *
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetHost } from './lib/fleet-stored.mjs';
import { ROOT, machine, runCli } from './lib/spawn-bench.mjs';
import { postgresUnavailable, startPostgres } from '../test/helpers/postgres-cluster.mjs';

const { values } = parseArgs({ options: {
  hosts: { type: 'string', default: '1000' },
  engines: { type: 'string', default: 'embedded,server' },
  seed: { type: 'string', default: '1' },
  timeout: { type: 'string', default: '1800' },
  out: { type: 'string', default: 'bench/out/fleet-store' },
  // The store's writes and reads only: no CLI audit, no files run.
  'store-only': { type: 'boolean', default: false },
} });

const dist = (p) => import(join(ROOT, 'dist', p));
const { openStore } = await dist('store/index.js');
const { snapshotToJson } = await dist('collect/index.js');

const N = Number(values.hosts);
const out = resolve(values.out);
const timeoutMs = Number(values.timeout) * 1000;
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'snapshots'), { recursive: true });

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();
const log = (s) => process.stderr.write(`${s}\n`);

// The fleet, as `collect` would write it (same JSON text for the store and the files).
let t = now();
const fleet = [];
let bytes = 0;
for (let i = 0; i < N; i++) {
  const { name, snapshot } = fleetHost(i, Number(values.seed));
  const document = snapshotToJson(snapshot);
  bytes += Buffer.byteLength(document);
  writeFileSync(join(out, 'snapshots', `${name}.json`), document);
  fleet.push({ host: name, collectedAt: snapshot.collectedAt, document });
}
const stats = { hosts: N, totalMB: +(bytes / 2 ** 20).toFixed(1), generateMs: Math.round(ms(t)) };
log(`generated ${N} snapshots, ${stats.totalMB} MB`);

// The CLI runs print the text report: a fleet's JSON report is several hundred MB (README).
const isAuditText = (stdout) => stdout.startsWith('Portcullis audit');
/** The findings count of a text report ("Findings: 2 high, 2 low, 1 info"). */
const findingsOf = (text) => [...(/^Findings: (.*)$/m.exec(text)?.[1] ?? '').matchAll(/(\d+) \w+/g)].reduce((n, m) => n + Number(m[1]), 0);

async function measureEngine(kind) {
  let url;
  let cluster = null;
  if (kind === 'embedded') {
    url = join(out, 'pglite-db');
  } else {
    const why = postgresUnavailable();
    if (why) return { engine: kind, skipped: why };
    cluster = startPostgres();
    url = cluster.url;
  }
  try {
    const r = { engine: kind };
    t = now();
    let store = await openStore(url);
    r.createMs = Math.round(ms(t)); // a new store: initdb (embedded) and the migrations
    t = now();
    for (const row of fleet) await store.saveSnapshot(row);
    r.writeEachMs = Math.round(ms(t));
    t = now();
    await store.saveSnapshots(fleet);
    r.writeBatchMs = Math.round(ms(t));
    await store.close();
    // The second copy (batch) makes each host's newest the batch one: same documents.
    t = now();
    store = await openStore(url);
    r.openMs = Math.round(ms(t));
    t = now();
    const rows = await store.latestSnapshots();
    r.readMs = Math.round(ms(t));
    if (rows.length !== N) throw new Error(`read ${rows.length} hosts, expected ${N}`);
    await store.close();
    if (values['store-only']) return r;
    log(`${kind}: written and read; now the CLI end to end`);
    const cli = runCli(['audit', '--db', url, '--fail-on', 'none'], { scratch: out, timeoutMs, valid: isAuditText });
    if (!cli.ok) throw new Error(`audit --db failed (exit ${cli.status}, peak RSS ${cli.maxRssKb} KB): ${cli.error}`);
    r.cliMs = Math.round(cli.wallMs);
    r.cliCpuMs = cli.cpuMs;
    r.cliMaxRssMB = cli.maxRssKb === null ? null : Math.round(cli.maxRssKb / 1024);
    r.cliFindings = findingsOf(cli.stdout);
    // The report the CLI kept, written again on its own: the report write without the analysis.
    store = await openStore(url);
    const kept = await store.latestReport();
    r.reportMB = +(kept.hosts.reduce((n, p) => n + p.document.length, kept.header.length) / 2 ** 20).toFixed(1);
    t = now();
    await store.saveReport({ generatedAt: kept.generatedAt, header: kept.header, hosts: kept.hosts });
    r.saveReportMs = Math.round(ms(t));
    await store.close();
    log(JSON.stringify(r));
    return r;
  } finally {
    cluster?.stop();
  }
}

const results = { machine: machine(), loadBefore: loadavg().map((l) => +l.toFixed(2)), stats, engines: [] };
for (const kind of values.engines.split(',').map((s) => s.trim()).filter(Boolean)) {
  results.engines.push(await measureEngine(kind));
  writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}
if (values['store-only']) {
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  process.exit(0);
}
log('files: audit --snapshot DIR/*.json');
const files = fleet.map((f) => join(out, 'snapshots', `${f.host}.json`));
const baseline = runCli(['audit', '--snapshot', ...files, '--fail-on', 'none'], { scratch: out, timeoutMs, valid: isAuditText });
if (!baseline.ok) throw new Error(`audit --snapshot failed (exit ${baseline.status}, peak RSS ${baseline.maxRssKb} KB): ${baseline.error}`);
results.files = { cliCpuMs: baseline.cpuMs, cliMs: Math.round(baseline.wallMs), cliMaxRssMB: baseline.maxRssKb === null ? null : Math.round(baseline.maxRssKb / 1024), findings: findingsOf(baseline.stdout) };
results.loadAfter = loadavg().map((l) => +l.toFixed(2));
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');

const s = (v) => (v === undefined || v === null ? '–' : `${(v / 1000).toFixed(2)} s`);
const lines = [
  `### Fleet store: ${N} stored snapshots audited into one report (${stats.totalMB} MB of snapshots)`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, load ${results.loadBefore.join(' ')} before, ${results.loadAfter.join(' ')} after.`,
  '',
  '| | create store | write, 1 transaction each | write, 1 batch | open | read newest of each host | `audit --db` CLI end to end, wall (CPU) | report kept | write that report alone | peak RSS | findings |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.engines.map((r) => (r.skipped ? `| ${r.engine} | skipped: ${r.skipped} |` : `| ${r.engine} | ${s(r.createMs)} | ${s(r.writeEachMs)} (${(r.writeEachMs / N).toFixed(1)} ms each) | ${s(r.writeBatchMs)} | ${s(r.openMs)} | ${s(r.readMs)} | ${s(r.cliMs)} (${s(r.cliCpuMs)}) | ${r.reportMB} MB | ${s(r.saveReportMs)} | ${r.cliMaxRssMB ?? '–'} MB | ${r.cliFindings} |`)),
  `| files (\`audit --snapshot\` × ${N}) | – | – | – | – | – | ${s(results.files.cliMs)} (${s(results.files.cliCpuMs)}) | – | – | ${results.files.cliMaxRssMB ?? '–'} MB | ${results.files.findings} |`,
];
process.stdout.write(lines.join('\n') + '\n');
