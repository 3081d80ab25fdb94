#!/usr/bin/env node
/**
 * What placing sources on interfaces costs: `portcullis audit --format json` on the
 * benchmark snapshots (bench/generate.mjs), once as generated (no routing table: every source
 * on every interface, as snapshots of older versions) and once with a routing state added
 * (eth0: default route; eth1: its /24 plus 10.0.0.0/8 via a router; IPv6 alike; policy rules
 * local/main/default). The iptables dumps have `-i eth0` / `-i eth1` zone chains, so the
 * arrival cubes meet real interface rules.
 *
 *   npx tsc -p tsconfig.json && node bench/routes.mjs [--sizes 1000,10000] [--runs 3] [--formats iptables,nft]
 *
 * Prints a markdown table of median wall times (ms), the runs on stderr.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCase } from './generate.mjs';
import { median } from './lib/median.mjs';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'dist/cli/bin.js');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '3' }, formats: { type: 'string', default: 'iptables,nft' } } });

const rule = (priority, table) => ({ priority, not: false, from: null, to: null, iif: null, oif: null, undecided: [], action: 'table', table, goto: null, suppressPrefixLength: null });
const route = (dst, dev, gateway = null, table = 'main', type = 'unicast') => ({ table, type, dst, nexthops: dev ? [{ dev, gateway }] : [], metric: null });
const ROUTING = {
  ipv4: {
    routes: [route('0.0.0.0/0', 'eth0', '192.0.2.254'), route('192.0.2.0/24', 'eth0'), route('198.51.100.0/24', 'eth1'), route('10.0.0.0/8', 'eth1', '198.51.100.254'), route('10.66.0.0/16', null, null, 'main', 'unreachable')],
    rules: [rule(0, 'local'), rule(32766, 'main'), rule(32767, 'default')],
  },
  ipv6: {
    routes: [route('::/0', 'eth0', '2001:db8::fe'), route('2001:db8::/64', 'eth0'), route('2001:db8:1::/64', 'eth1'), route('fd00::/8', 'eth1', '2001:db8:1::fe'), route('fe80::/64', 'eth0'), route('fe80::/64', 'eth1')],
    rules: [rule(0, 'local'), rule(32766, 'main')],
  },
};

function timeAudit(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'audit', '--snapshot', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  // Exit 1 means findings at or above --fail-on: a normal answer here.
  if (r.status !== 0 && r.status !== 1) throw new Error(`audit failed (exit ${r.status}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'pc-bench-routes-'));
try {
  const rows = ['| case | without routes (ms) | with routes (ms) | ratio |', '|---|---:|---:|---:|'];
  for (const format of values.formats.split(',')) {
    for (const size of values.sizes.split(',').map(Number)) {
      const c = generateCase({ format, size });
      const plain = join(dir, `${format}-${size}.json`);
      const routed = join(dir, `${format}-${size}-routes.json`);
      writeFileSync(plain, JSON.stringify(c.snapshot));
      writeFileSync(routed, JSON.stringify({ ...c.snapshot, routing: ROUTING }));
      const a = [];
      const b = [];
      for (let i = 0; i < Number(values.runs); i++) {
        a.push(timeAudit(plain));
        b.push(timeAudit(routed));
      }
      const [ma, mb] = [median(a), median(b)];
      rows.push(`| ${format} ${size} | ${ma.toFixed(0)} | ${mb.toFixed(0)} | ${(mb / ma).toFixed(2)} |`);
      console.error(`${format} ${size}: ${a.map((x) => x.toFixed(0)).join(' ')} / ${b.map((x) => x.toFixed(0)).join(' ')}`);
    }
  }
  console.log(rows.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
