import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ACCEPT, DROP, ModelBuilder, RETURN, type RuleSpec } from '../../../test/helpers/model-builder.js';
import { cidrsToSet } from '../../model/addr.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Action } from '../../model/ruleset.js';
import { type ChainOutcome, ChainWalker, type WalkEvent } from './evaluate-chain.js';

// Count the stretches (one first-cover sweep each) and their cuts; the sweep itself is the real one.
const sweeps = vi.hoisted(() => [] as number[]);
vi.mock('../../model/first-cover.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../model/first-cover.js')>();
  return { ...real, firstCover: (...args: Parameters<typeof real.firstCover>) => (sweeps.push(args[0].length), real.firstCover(...args)) };
});

// Sources within 10.0.0.0/22: a blocklist of single addresses there leaves the walk's sources
// hundreds of boundaries long, so the later rules are walked as stretches of source cuts.
const BASE = 0x0a000000;
const addr = (n: number) => `${(BASE + n) >>> 24}.${((BASE + n) >>> 16) & 255}.${((BASE + n) >>> 8) & 255}.${(BASE + n) & 255}`;
const REJECT: Action = { type: 'reject', with: 'icmp-port-unreachable' } as Action;
// A note: sees the packets and lets them go on (a blocklist that logs before it drops).
const LOG: Action = { type: 'continue', note: 'LOG' };

const arbCut: fc.Arbitrary<RuleSpec> = fc.record({
  at: fc.integer({ min: 0, max: 1023 }),
  bits: fc.constantFrom(32, 32, 31, 30, 28, 24, 23, 22),
  action: fc.constantFrom(ACCEPT, DROP, REJECT, RETURN, LOG),
  // Other dimensions: most rules cut sources only; some narrow the interface (the walk's cube
  // then is not inside them, or, for lo, misses them), some are uncertain, some look at the protocol.
  // 'other' matches nothing in this family (an inet chain's `ip6 saddr X drop` in an IPv4 walk).
  extra: fc.constantFrom('none', 'none', 'none', 'iif', 'lo', 'uncertain', 'tcp', 'other', 'other-uncertain'),
}).map(({ at, bits, action, extra }) => {
  const size = 2 ** (32 - bits);
  const spec: RuleSpec = { src: [`${addr(at - (at % size))}/${bits}`], action };
  if (extra === 'iif') spec.iif = ['eth1'];
  if (extra === 'lo') spec.iif = ['lo'];
  if (extra === 'uncertain') spec.uncertain = [{ construct: 'mark', kind: 'unknown', detail: 'test' }];
  if (extra === 'tcp') spec.proto = 'tcp';
  if (extra === 'other' || extra === 'other-uncertain') spec.notSrc = ['0.0.0.0/0'];
  if (extra === 'other-uncertain') spec.uncertain = [{ construct: 'mark', kind: 'unknown', detail: 'test' }];
  return spec;
});

function walkOf(rules: RuleSpec[], blocklist: number[], stretches: boolean, memoize: boolean): { out: ChainOutcome; events: WalkEvent[] } {
  const b = new ModelBuilder('ipv4');
  const base = b.base('filter', 'INPUT', 'input', 0, 'drop', [{ iif: ['lo'], action: ACCEPT }, ...blocklist.map((n) => ({ src: [`${addr(n)}/32`], action: DROP })), ...rules]);
  const walker = new ChainWalker(b.model);
  walker.cutSourcesInStretches = stretches;
  walker.memoize = memoize;
  const events: WalkEvent[] = [];
  walker.events = events;
  // Only sources of 10.0.0.0/22 arrive, so a wide rule can take all that is left.
  const input = PacketSet.where('ipv4', { [Dim.Src]: cidrsToSet(['10.0.0.0/22'], 'ipv4') as DimSet });
  const out = walker.walkBase(b.model.baseChains.find((c) => c.chain === base)!, 'input', input);
  return { out, events };
}

const same = (a: PacketSet, b: PacketSet) => a.isSubsetOf(b) && b.isSubsetOf(a);

describe('a stretch of source cuts walked at once', () => {
  it('gives the rule-by-rule walk: the same verdict sets, the same events in the same order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 200, maxLength: 300 }), fc.array(arbCut, { maxLength: 40 }), fc.boolean(), (blocklist, rules, memoize) => {
        const ref = walkOf(rules, blocklist, false, memoize);
        const got = walkOf(rules, blocklist, true, memoize);
        for (const k of ['accepted', 'dropped', 'rejected', 'returned'] as const) expect(same(got.out[k], ref.out[k]), k).toBe(true);
        expect(got.events.map((e) => [e.rule?.position ?? null, e.verdict, e.summary?.count ?? 1])).toEqual(ref.events.map((e) => [e.rule?.position ?? null, e.verdict, e.summary?.count ?? 1]));
        got.events.forEach((e, i) => {
          const r = ref.events[i]!.set;
          expect(same(e.set, r), `event ${i}`).toBe(true);
          // The same cubes, not only the same packets: reports print them.
          expect(e.set.cubes.length).toBe(r.cubes.length);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('walks a stretch at once when the sources are many (the case the property above covers)', () => {
    const blocklist = Array.from({ length: 200 }, (_, k) => 5 * k);
    const rules: RuleSpec[] = [
      { src: [`${addr(1)}/32`], action: ACCEPT },
      { src: [`${addr(2)}/31`], action: DROP },
      { src: [`${addr(0)}/30`], action: REJECT },
    ];
    const got = walkOf(rules, blocklist, true, false);
    // 10.0.0.1, then 10.0.0.2-3, then nothing new of 10.0.0.0/30 (10.0.0.0 was blocked).
    expect(got.events.filter((e) => (e.rule?.position ?? 0) > 201).map((e) => [e.rule!.position, e.verdict])).toEqual([
      [202, 'accept'],
      [203, 'drop'],
    ]);
    expect(same(got.out.rejected, PacketSet.empty('ipv4'))).toBe(true);
  });

  it('passes over rules of the other family without ending the stretch (an inet blocklist mixing ip and ip6 rules)', () => {
    const blocklist = Array.from({ length: 200 }, (_, k) => 5 * k);
    const other: RuleSpec = { notSrc: ['0.0.0.0/0'], action: DROP };
    const rules: RuleSpec[] = [
      { src: [`${addr(1)}/32`], action: ACCEPT },
      other,
      { src: [`${addr(2)}/32`], action: DROP },
      { ...other, uncertain: [{ construct: 'mark', kind: 'unknown', detail: 'test' }] },
      { src: [`${addr(3)}/32`], action: REJECT },
    ];
    sweeps.length = 0;
    const got = walkOf(rules, blocklist, true, false);
    // One stretch of the three cuts; the walk passes the two rules that match nothing here.
    expect(sweeps).toEqual([3]);
    expect(got.events.filter((e) => (e.rule?.position ?? 0) > 201).map((e) => [e.rule!.position, e.verdict])).toEqual([
      [202, 'accept'],
      [204, 'drop'],
      [206, 'reject'],
    ]);
  });
});

