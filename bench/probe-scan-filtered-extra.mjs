#!/usr/bin/env node
/**
 * The filtered-host figures bench/probe-scan.mjs cannot finish in one sitting: nmap's rate
 * on the first N ports of a host that drops everything (extrapolated to 65,535), and
 * portcullis at its default concurrency (512) over all ports, same timeout and retry.
 *
 *   node bench/probe-scan-filtered-extra.mjs [--ports 4096] [--timeout 500] [--skip-nmap]
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { run } from '../test/audit-e2e/harness/exec.mjs';
import { SERVER_V4, createTopology } from '../test/audit-e2e/harness/topology.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const { values } = parseArgs({ options: { ports: { type: 'string', default: '4096' }, timeout: { type: 'string', default: '500' }, 'skip-nmap': { type: 'boolean', default: false } } });
const n = Number(values.ports);
const t = values.timeout;

function timed(ns, argv) {
  const load = loadavg()[0];
  const start = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, load: `${load.toFixed(2)}→${loadavg()[0].toFixed(2)}` };
}

const topo = createTopology();
try {
  run(['ip', 'netns', 'exec', topo.server, 'nft', '-f', '-'], 'table inet pc_bench_drop {\n chain input {\n  type filter hook input priority 0; policy drop;\n }\n}\n');
  const rows = [
    [`nmap -sT -p 1-${n} same timeout (${t} ms, 1 retry)`, ['nmap', '-n', '-Pn', '-sT', '-p', `1-${n}`, '--initial-rtt-timeout', `${t}ms`, '--max-rtt-timeout', `${t}ms`, '--max-retries', '1', '-oX', '-', SERVER_V4]],
    [`nmap -sT -p 1-${n} -T4`, ['nmap', '-n', '-Pn', '-sT', '-p', `1-${n}`, '-T4', '-oX', '-', SERVER_V4]],
    [`portcullis probe --ports 1-${n} --timeout ${t} --retries 1 (concurrency 512)`, [process.execPath, CLI, 'probe', SERVER_V4, '--allow-remote', '--ports', `1-${n}`, '--no-identify', '--no-compare', '--timeout', t, '--retries', '1', '--json', '--fail-on', 'none']],
    [`portcullis probe --ports all --timeout ${t} --retries 1 (concurrency 512)`, [process.execPath, CLI, 'probe', SERVER_V4, '--allow-remote', '--ports', 'all', '--no-identify', '--no-compare', '--timeout', t, '--retries', '1', '--json', '--fail-on', 'none']],
  ];
  console.log('| tool | seconds | × 65,535 / ports scanned | load avg 1 min |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, argv] of rows) {
    if (values['skip-nmap'] && label.startsWith('nmap')) continue;
    const r = timed(topo.client, argv);
    const scanned = /--ports all/.test(label) ? 65535 : n;
    console.log(`| ${label} | ${r.seconds.toFixed(1)} | ${((r.seconds * 65535) / scanned).toFixed(0)} | ${r.load} |`);
  }
} finally {
  topo.destroy();
}
