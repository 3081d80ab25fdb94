#!/usr/bin/env node
/**
 * The same big ruleset in other shapes real hosts take (issue 8): each shape is a text edit of
 * a synthetic snapshot's iptables-save dump (bench/generate.mjs), audited by one build or two,
 * back to back, so a shape that makes the engine quadratic shows as minutes beside seconds.
 *
 *   node bench/shapes.mjs SNAPSHOT [--build ROOT]... [--shapes a,b] [--timeout S] [--out DIR]
 *
 * A build ROOT is a checkout with `npm run build` done (default: this one). Shapes:
 * - as-generated: the snapshot itself;
 * - orphan-blocklist: INPUT no longer jumps to the blocklist chain (a script rebuilt INPUT
 *   without it): its rules are all dead;
 * - orphan-zones: neither zone chain is entered;
 * - logged-blocklist: every blocklist DROP after a LOG of the same sources;
 * - logged-blocklist-mixed: only the `-s` DROPs logged, the `-m iprange` ones not (the pairs
 *   are broken up every few dozen rules);
 * - uncertain-zone: every ACCEPT of zone-public also matches a firewall mark (not modelled);
 * - duplicated-zone: every rule of zone-office written twice (half of them shadowed).
 *
 * Prints one line per shape and build: wall and CPU seconds and peak RSS of
 * `audit --format json` (GNU time), or "timeout".
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const SHAPES = {
  'as-generated': (t) => t,
  'orphan-blocklist': (t) => t.replace(/^-A INPUT -j blocklist\n/m, ''),
  'orphan-zones': (t) => t.replace(/^-A INPUT -i \S+ -j zone-\S+\n/gm, ''),
  'logged-blocklist': (t) => t.replace(/^-A blocklist (.*) -j DROP$/gm, '-A blocklist $1 -j LOG --log-prefix "blocklist: "\n-A blocklist $1 -j DROP'),
  'logged-blocklist-mixed': (t) => t.replace(/^-A blocklist (-s \S+) -j DROP$/gm, '-A blocklist $1 -j LOG --log-prefix "blocklist: "\n-A blocklist $1 -j DROP'),
  'uncertain-zone': (t) => t.replace(/^(-A zone-public .*) -j ACCEPT$/gm, '$1 -m mark --mark 0x1 -j ACCEPT'),
  'duplicated-zone': (t) => t.replace(/^(-A zone-office -s .*)$/gm, '$1\n$1'),
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { build: { type: 'string', multiple: true }, shapes: { type: 'string' }, timeout: { type: 'string', default: '600' }, out: { type: 'string', default: '/tmp/portcullis-shapes' } },
});
const [snapshot] = positionals;
if (!snapshot) {
  process.stderr.write('usage: node bench/shapes.mjs SNAPSHOT [--build ROOT]... [--shapes a,b] [--timeout S] [--out DIR]\n');
  process.exit(2);
}
const builds = (values.build ?? [process.cwd()]).map((b) => resolve(b));
const names = values.shapes ? values.shapes.split(',') : Object.keys(SHAPES);
for (const n of names) if (!SHAPES[n]) throw new Error(`unknown shape ${n}: ${Object.keys(SHAPES).join(', ')}`);
mkdirSync(values.out, { recursive: true });
const base = JSON.parse(readFileSync(snapshot, 'utf8'));
execFileSync('/usr/bin/time', ['--version'], { stdio: 'ignore' });

for (const name of names) {
  const shaped = structuredClone(base);
  let changed = name === 'as-generated';
  for (const f of shaped.firewall) {
    if (f.kind !== 'iptables-save' || typeof f.content !== 'string') continue;
    const edited = SHAPES[name](f.content);
    changed ||= edited !== f.content;
    f.content = edited;
  }
  if (!changed) {
    console.log(`${name}: the snapshot has nothing this shape edits (an iptables dump of bench/generate.mjs is expected)`);
    continue;
  }
  const file = join(values.out, `${name}.snapshot.json`);
  writeFileSync(file, JSON.stringify(shaped));
  for (const root of builds) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, join(root, 'dist/cli/bin.js'), 'audit', '--snapshot', file, '--format', 'json', '--fail-on', 'none', '--out', join(values.out, `${name}.json`)], {
      encoding: 'utf8',
      timeout: Number(values.timeout) * 1000,
    });
    const last = r.stderr?.trim().split('\n').pop() ?? '';
    const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
    const figures = r.error?.code === 'ETIMEDOUT' ? `timeout (${values.timeout} s)` : m ? `${m[1]} s wall, ${(Number(m[2]) + Number(m[3])).toFixed(2)} s CPU, ${Math.round(Number(m[4]) / 1024)} MB` : `failed: ${last}`;
    console.log(`${name.padEnd(24)} ${root}: ${figures}`);
  }
}
