#!/usr/bin/env node
/**
 * Deterministic synthetic snapshots for the benchmark.
 *
 *   node bench/generate.mjs [--sizes 1000,10000,100000] [--formats iptables,nft,nft-set]
 *                           [--seed 1] [--out bench/out] [--check]
 *
 * Formats (each snapshot has the same 1,000 listeners):
 *   iptables  iptables-save with N rules + ip6tables-save with N/10 rules
 *   nft       `nft -j list ruleset` with N rules and a 1,000-element named interval set
 *   nft-set   `nft -j list ruleset` with 1,000 rules and an N-element named interval set
 * Writes <out>/<format>-<N>.snapshot.json plus the raw dumps (.rules, .rules6, .nft,
 * .nft.json). --check loads every dump into a throwaway namespace with the real tools
 * (iptables-restore --test, a load and iptables-save round trip, nft -c -f, nft -f and
 * `nft -j list ruleset` compared with the generated JSON).
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createRng } from './lib/prng.mjs';
import { makeListeners, makeSnapshot } from './lib/host.mjs';
import { iptablesV4, iptablesV6 } from './lib/iptables-dump.mjs';
import { countRules, nftRuleset, toJson, toText } from './lib/nft-dump.mjs';
import { checkCase } from './lib/check-dumps.mjs';

export const FORMATS = ['iptables', 'nft', 'nft-set'];
export const LISTENERS = 1000;

/**
 * One benchmark case, in memory.
 * @param {{format: string, size: number, seed?: number}} opts
 * @returns {{ snapshot: object, dumps: {iptables?: string, ip6tables?: string, nftText?: string, nftJson?: string}, stats: object }}
 */
export function generateCase({ format, size, seed = 1 }) {
  // Listeners come from their own stream so every format and size has the same sockets.
  const sockets = makeListeners(createRng(seed), LISTENERS);
  const rng = createRng(seed * 1000003 + size);
  const hostname = `bench-${format}-${size}`;
  if (format === 'iptables') {
    const v4 = iptablesV4(rng, size, sockets);
    const v6 = iptablesV6(rng, Math.max(20, Math.floor(size / 10)), sockets);
    const firewall = [
      { kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: v4 },
      { kind: 'ip6tables-save', backend: 'legacy', command: ['ip6tables-legacy-save'], status: 'ok', content: v6 },
    ];
    const rules = (t) => t.split('\n').filter((l) => l.startsWith('-A ')).length;
    return { snapshot: makeSnapshot({ hostname, sockets, firewall }), dumps: { iptables: v4, ip6tables: v6 },
      stats: { listeners: sockets.length, rules: rules(v4) + rules(v6), rulesV4: rules(v4), rulesV6: rules(v6), setElements: 0 } };
  }
  if (format === 'nft' || format === 'nft-set') {
    const ruleCount = format === 'nft' ? size : 1000;
    const setElements = format === 'nft' ? 1000 : size;
    const tables = nftRuleset(rng, { ruleCount, setElements, services: sockets });
    const nftJson = JSON.stringify(toJson(tables));
    const firewall = [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: nftJson }];
    const set4 = tables[0].sets[0].elems.length;
    const set6 = tables[0].sets[1].elems.length;
    return { snapshot: makeSnapshot({ hostname, sockets, firewall }), dumps: { nftText: toText(tables), nftJson },
      stats: { listeners: sockets.length, rules: countRules(tables), setElements: set4 + set6 } };
  }
  throw new Error(`unknown format ${format} (expected one of ${FORMATS.join(', ')})`);
}

/** Writes a case's snapshot and dumps under `outDir`; returns the paths. */
export function writeCase(outDir, format, size, c) {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${format}-${size}`);
  const paths = { snapshot: `${base}.snapshot.json` };
  writeFileSync(paths.snapshot, JSON.stringify(c.snapshot));
  if (c.dumps.iptables) writeFileSync((paths.iptables = `${base}.rules`), c.dumps.iptables);
  if (c.dumps.ip6tables) writeFileSync((paths.ip6tables = `${base}.rules6`), c.dumps.ip6tables);
  if (c.dumps.nftText) writeFileSync((paths.nftText = `${base}.nft`), c.dumps.nftText);
  if (c.dumps.nftJson) writeFileSync((paths.nftJson = `${base}.nft.json`), c.dumps.nftJson);
  return paths;
}

export const parseList = (s) => s.split(',').map((v) => v.trim()).filter(Boolean);

async function main() {
  const { values } = parseArgs({ options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    formats: { type: 'string', default: FORMATS.join(',') },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/out' },
    check: { type: 'boolean', default: false },
  } });
  let failed = 0;
  for (const format of parseList(values.formats)) {
    for (const size of parseList(values.sizes).map(Number)) {
      const c = generateCase({ format, size, seed: Number(values.seed) });
      const paths = writeCase(resolve(values.out), format, size, c);
      console.log(`${format}-${size}: ${JSON.stringify(c.stats)} -> ${paths.snapshot}`);
      if (values.check) {
        for (const line of checkCase(c)) {
          console.log(`  ${line.ok ? 'ok  ' : 'FAIL'} ${line.what}${line.detail ? `: ${line.detail}` : ''}`);
          if (!line.ok) failed++;
        }
      }
    }
  }
  if (failed > 0) { console.error(`${failed} check(s) failed`); process.exitCode = 1; }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
