/**
 * Robustness corpus: genuine nft dumps from elsewhere (../shared/fixtures/real-world, not
 * part of this repository; see its SOURCES.md). Every JSON dump must parse and lower with no
 * exception and no error. The nft-text dumps are loaded into a throwaway network namespace
 * (root only), listed back as JSON by this machine's nft, then parsed and lowered the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHostContext } from '../../src/model/host-context.js';
import type { FirewallModel } from '../../src/model/ruleset.js';
import { lowerNft, parseNftJson } from '../../src/parse/nft-json/index.js';

const CORPUS = resolve('../shared/fixtures/real-world');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n*** nft corpus NOT CHECKED: ${CORPUS} is absent (it lives outside the repository; see test/corpus/nft-corpus.test.ts) ***\n`);

function nftAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (loading a ruleset needs a network namespace)';
  try {
    execFileSync('nft', ['--version'], { stdio: 'pipe' });
    execFileSync('ip', ['-V'], { stdio: 'pipe' });
    return null;
  } catch {
    return 'nft or ip (iproute2) is not installed';
  }
}
const whyNoKernel = present ? nftAvailable() : 'corpus absent';
if (present && whyNoKernel) console.warn(`\n*** nft-text corpus NOT LOADED: ${whyNoKernel} ***\n`);

/** Parse and lower; returns uncertain constructs by name with counts. */
function check(text: string, file: string): Map<string, number> {
  const parsed = parseNftJson(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, `${file}: ${JSON.stringify(errors)}`).toEqual([]);
  const lowered = lowerNft(parsed.value, { context: emptyHostContext(), file });
  expect(lowered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const seen = new Map<string, number>();
  for (const m of Object.values(lowered.value) as FirewallModel[]) {
    for (const c of m.chains.values()) for (const r of c.rules) for (const u of r.uncertain) seen.set(`${u.kind}: ${u.construct}`, (seen.get(`${u.kind}: ${u.construct}`) ?? 0) + 1);
  }
  const rules = parsed.value.rules.length;
  expect(rules === 0 || lowered.value.ipv4.chains.size + lowered.value.ipv6.chains.size > 0).toBe(true);
  return seen;
}

function print(file: string, seen: Map<string, number>): void {
  const list = [...seen.entries()].map(([k, n]) => `    ${k}${n > 1 ? ` (×${n})` : ''}`);
  console.log(`${file}: ${list.length === 0 ? 'everything read exactly' : `read as uncertain:\n${list.join('\n')}`}`);
}

describe.skipIf(!present)('nft-json corpus (nft -j list ruleset dumps)', () => {
  const dir = join(CORPUS, 'nft-json');
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  it('has files', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(f, () => print(f, check(readFileSync(join(dir, f), 'utf8'), f)));
  }
});

describe.skipIf(!present || whyNoKernel !== null)('nft-text corpus, loaded into a throwaway namespace and listed as JSON', () => {
  const dir = join(CORPUS, 'nft-text');
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.nft')) : [];
  files.forEach((f, k) => {
    it(f, () => {
      const ns = `pc-nft-corpus-${process.pid}-${k}`;
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
      try {
        try {
          execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', join(dir, f)], { stdio: 'pipe' });
        } catch (err) {
          const msg = String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n').slice(0, 3).join(' | ');
          console.warn(`${f}: not loadable here (this nft: ${execFileSync('nft', ['--version']).toString().trim()}): ${msg}`);
          return;
        }
        const json = execFileSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'ruleset'], { stdio: 'pipe', maxBuffer: 64 << 20 }).toString();
        print(`${f} (loaded, listed as JSON)`, check(json, f));
      } finally {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
      }
    });
  });
});
