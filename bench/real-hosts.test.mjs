/**
 * Tests of the real-host generators (node:test): `node --test bench/`. The load into the
 * real tools needs root (network namespaces) and says so when it cannot run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from './lib/median.mjs';
import { createRng } from './lib/prng.mjs';
import { v4FromString } from './lib/addresses.mjs';
import { createNetns, deleteNetns, inNetns, netnsAvailable, run } from './lib/netns.mjs';
import { REAL_CASES } from './lib/real/index.mjs';
import { savedProbability, scatteredAddrs, scatteredPrefixes } from './lib/real/save-text.mjs';

test('the median of alternated rounds is their middle, whatever their order', () => {
  assert.equal(median([4900, 2400, 3100]), 3100);
  assert.equal(median([2, 1, 4, 3]), 2.5);
  assert.equal(median([7]), 7);
});

test('kube-proxy probabilities are printed as iptables-save prints them back', () => {
  assert.equal(savedProbability(1 / 3), '0.33333333349');
  assert.equal(savedProbability(1 / 2), '0.50000000000');
});

test('bans are distinct, spread over the IPv4 space, and never the benchmark flows\' ranges', () => {
  const addrs = scatteredAddrs(createRng(3), 20000);
  assert.equal(new Set(addrs).size, 20000);
  const tops = new Set(addrs.map((a) => a >>> 24));
  assert.ok(tops.size > 200, `bans in ${tops.size} /8s`);
  for (const a of addrs) assert.ok(a >>> 8 !== v4FromString('203.0.113.0') >>> 8 && a >>> 24 !== 127);
});

test('country prefixes are aligned, disjoint and never touch (one interval each)', () => {
  const ps = scatteredPrefixes(createRng(4), 5000).map((p) => ({ lo: v4FromString(p.addr), size: 2 ** (32 - p.len) }));
  assert.ok(ps.length > 4900);
  for (let i = 0; i < ps.length; i++) {
    assert.equal(ps[i].lo % ps[i].size, 0);
    if (i > 0) assert.ok(ps[i - 1].lo + ps[i - 1].size < ps[i].lo);
  }
});

test('every real-host case loads into the real tools', { skip: netnsAvailable() ? false : 'needs root and iproute2 (network namespaces)' }, () => {
  for (const [name, spec] of Object.entries(REAL_CASES)) {
    const texts = spec.build(createRng(1), 200);
    const ns = createNetns('rt');
    try {
      if (texts.ipset) run(inNetns(ns, ['ipset', 'restore']), { input: texts.ipset });
      if (texts.iptables) run(inNetns(ns, ['iptables-restore']), { input: texts.iptables });
      if (texts.nft) run(inNetns(ns, ['nft', '-f', '-']), { input: texts.nft });
      // A set's members live in ipset, not in iptables-save's text: count both.
      const dumped = (texts.nft ? run(inNetns(ns, ['nft', 'list', 'ruleset'])).stdout : run(inNetns(ns, ['iptables-save'])).stdout)
        + (texts.ipset ? run(inNetns(ns, ['ipset', 'save'])).stdout : '');
      assert.ok(dumped.length > 500, `${name}: the kernel holds the ruleset`);
    } finally {
      deleteNetns(ns);
    }
  }
});
