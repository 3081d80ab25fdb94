import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCEPT, DROP, ModelBuilder, type RuleSpec } from '../../../test/helpers/model-builder.js';
import { cidrsToSet } from '../../model/addr.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Action } from '../../model/ruleset.js';
import { ChainWalker, type WalkEvent } from './evaluate-chain.js';
import { stepsOf } from './rule-batches.js';

const LOG: Action = { type: 'continue', note: 'LOG' };
const note = (n: number): Action => ({ type: 'continue', note: `LOG ${n}` });
const a = (n: number) => `198.51.100.${n}`;

function chainOf(rules: RuleSpec[]) {
  const b = new ModelBuilder('ipv4');
  const base = b.base('filter', 'INPUT', 'input', 0, 'accept', rules);
  return { model: b.model, base, chain: b.model.chains.get(base)! };
}

/** A blocklist that logs each address before it drops it; `notes` gives each pair's LOG its own note (no run can form). */
function loggedBlocklist(sources: string[][], notes: 'one' | 'each'): RuleSpec[] {
  return sources.flatMap((src, i) => [
    { src, action: notes === 'one' ? LOG : note(i) },
    { src, action: DROP },
  ]);
}

function walk(rules: RuleSpec[], memoize: boolean, input = PacketSet.all('ipv4')) {
  const { model, base } = chainOf(rules);
  const walker = new ChainWalker(model);
  walker.memoize = memoize;
  const events: WalkEvent[] = [];
  walker.events = events;
  const out = walker.walkBase(model.baseChains.find((c) => c.chain === base)!, 'input', input);
  return { out, events };
}

const same = (x: PacketSet, y: PacketSet) => x.isSubsetOf(y) && y.isSubsetOf(x);
const unionOf = (events: WalkEvent[], verdict: string) => PacketSet.unionAll('ipv4', events.filter((e) => e.verdict === verdict).map((e) => e.set));

describe('runs of rules', () => {
  it('a blocklist that logs before it drops is two runs: its notes, then its verdicts', () => {
    const sources = Array.from({ length: 12 }, (_, i) => [`${a(2 * i)}/32`]);
    const steps = stepsOf(chainOf([...loggedBlocklist(sources, 'one'), { action: ACCEPT }]).chain);
    expect(steps.map((s) => [s.rule.action.type, s.run?.length ?? 1])).toEqual([
      ['continue', 12],
      ['drop', 12],
      ['accept', 1],
    ]);
    expect(steps[0]!.run!.map((r) => r.position)).toEqual(sources.map((_, i) => 2 * i + 1));
    expect(same(steps[0]!.match, steps[1]!.match)).toBe(true);
    // Too few pairs, a LOG that does not match its DROP's packets, notes that differ: rule by rule.
    expect(stepsOf(chainOf(loggedBlocklist(sources.slice(0, 7), 'one')).chain)).toHaveLength(14);
    expect(stepsOf(chainOf(loggedBlocklist(sources, 'each')).chain)).toHaveLength(24);
    const mismatched = loggedBlocklist(sources, 'one');
    mismatched[10] = { src: [`${a(200)}/32`], action: LOG };
    expect(stepsOf(chainOf(mismatched).chain).length).toBeGreaterThan(2);
  });

  it('walks as the rules one by one: the same verdicts, the same packets noted and dropped (property)', () => {
    const arbSources = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom(32, 31, 30, 29)), { minLength: 8, maxLength: 20 }).map((l) => l.map(([n, bits]) => [`${a(n - (n % 2 ** (32 - bits)))}/${bits}`]));
    fc.assert(
      fc.property(arbSources, fc.boolean(), (sources, memoize) => {
        const runs = walk([...loggedBlocklist(sources, 'one'), { action: ACCEPT }], memoize);
        const one = walk([...loggedBlocklist(sources, 'each'), { action: ACCEPT }], memoize);
        for (const k of ['accepted', 'dropped', 'rejected', 'returned'] as const) expect(same(runs.out[k], one.out[k]), k).toBe(true);
        expect(same(unionOf(runs.events, 'continue'), unionOf(one.events, 'continue'))).toBe(true);
        expect(same(unionOf(runs.events, 'drop'), unionOf(one.events, 'drop'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('tracing one flow names the pair that takes it, not a later pair that holds it too', () => {
    const sources = [[`${a(0)}/24`], ...Array.from({ length: 10 }, (_, i) => [`${a(i)}/32`])];
    const flow = PacketSet.where('ipv4', { [Dim.Src]: cidrsToSet([`${a(5)}/32`], 'ipv4') as DimSet });
    const { events } = walk(loggedBlocklist(sources, 'one'), false, flow);
    expect(events.map((e) => [e.verdict, e.rule?.position])).toEqual([
      ['continue', 1],
      ['drop', 2],
    ]);
  });
});
