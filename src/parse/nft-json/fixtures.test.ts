/**
 * The JSON fixtures are real `nft -j list ruleset` output of their .nft sources. When this
 * machine can (root, same nft version as recorded in NFT_VERSION), reload each source into a
 * throwaway namespace and check the stored JSON is still what nft prints.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const FIX = 'test/fixtures/nft-json';
const recorded = readFileSync(`${FIX}/NFT_VERSION`, 'utf8').trim();

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    const here = execFileSync('nft', ['--version'], { stdio: 'pipe' }).toString().trim();
    return here === recorded ? null : `nft here is "${here}", fixtures were made with "${recorded}"`;
  } catch {
    return 'nft is not installed';
  }
}
const reason = whyNot();
if (reason) console.warn(`nft-json fixtures not re-checked against the kernel: ${reason}`);

/** Handles depend on load order history; everything else must match. */
const stripHandles = (text: string): unknown => JSON.parse(text, (k, v) => (k === 'handle' ? undefined : v));

describe.skipIf(reason !== null)('nft-json fixtures match what nft prints for their sources', () => {
  for (const src of readdirSync(FIX).filter((f) => f.endsWith('.nft'))) {
    it(src, () => {
      const ns = `pc-nft-fix-${process.pid}`;
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
      try {
        execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', `${FIX}/${src}`], { stdio: 'pipe' });
        const now = execFileSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'ruleset'], { stdio: 'pipe' }).toString();
        expect(stripHandles(now)).toEqual(stripHandles(readFileSync(`${FIX}/${src.replace(/\.nft$/, '.json')}`, 'utf8')));
      } finally {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
      }
    });
  }
});
