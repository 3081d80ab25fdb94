import { describe, expect, it } from 'vitest';
import { ACCEPT, DROP, ModelBuilder, RETURN } from '../../../test/helpers/model-builder.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import { cidrsToSet } from '../../model/addr.js';
import type { BaseChain, FirewallModel } from '../../model/ruleset.js';
import { type ChainOutcome, ChainWalker, type WalkEvent } from './evaluate-chain.js';

/**
 * Docker's FORWARD: a prefix that reads interfaces, states and sources (DOCKER-USER, the
 * isolation chains, a drop per bridge), then one accept per published container. With many
 * bridges the isolation chain has a memoised prefix of its own.
 */
function dockerModel(opts: { bridges: number; drops: number }): FirewallModel {
  const b = new ModelBuilder('ipv4');
  const user = b.chain('filter', 'DOCKER-USER', [{ action: RETURN }]);
  const stage2 = b.chain('filter', 'ISOLATION-2', [{ src: ['203.0.113.0/24'], action: DROP }, { action: RETURN }]);
  const stage1 = b.chain('filter', 'ISOLATION-1', [
    ...Array.from({ length: opts.bridges }, (_, i) => ({ iif: [`br-${i}`], action: { type: 'jump' as const, chain: stage2 } })),
    { action: RETURN },
  ]);
  b.base('filter', 'FORWARD', 'forward', 0, 'drop', [
    { action: { type: 'jump', chain: user } },
    { action: { type: 'jump', chain: stage1 } },
    ...Array.from({ length: opts.drops }, (_, i) => ({ iif: [`br-${i}`], state: ['INVALID'], action: DROP })),
    { state: ['ESTABLISHED', 'RELATED'], action: ACCEPT },
    { proto: 'tcp', dport: 80, dst: ['172.17.0.2/32'], action: ACCEPT },
    { proto: 'tcp', dport: 443, dst: ['172.17.0.3/32'], action: ACCEPT },
  ]);
  return b.model;
}

/** A published port's forwarded packets: one protocol, port and container address. */
function slice(port: number, dst: string): PacketSet {
  return PacketSet.where('ipv4', { [Dim.Proto]: I.range(6, 7), [Dim.Dport]: I.range(port, port + 1), [Dim.Dst]: cidrsToSet([dst], 'ipv4') } as Partial<Record<Dim, DimSet>>);
}

const SLICES = [slice(80, '172.17.0.2/32'), slice(443, '172.17.0.3/32'), slice(80, '172.17.0.3/32'), slice(8080, '172.17.0.9/32')];

function walkOne(walker: ChainWalker, model: FirewallModel, input: PacketSet): { out: ChainOutcome; events: WalkEvent[] } {
  const events: WalkEvent[] = [];
  walker.events = events;
  const out = walker.walkBase(model.baseChains[0] as BaseChain, 'forward', input);
  walker.events = null;
  return { out, events };
}

function sameSet(a: PacketSet, b: PacketSet): boolean {
  return a.isSubsetOf(b) && b.isSubsetOf(a);
}

/** Counts the jump targets the walker looks up: a prefix taken from the memo looks none up. */
function countingChains(model: FirewallModel): { model: FirewallModel; lookups: () => number } {
  let n = 0;
  const chains = new Map(model.chains);
  const get = chains.get.bind(chains);
  chains.get = (id: string) => {
    if (!id.endsWith('FORWARD')) n++;
    return get(id);
  };
  return { model: { ...model, chains }, lookups: () => n };
}

describe('a memoised prefix shared by slices that differ where it does not look', () => {
  const cases = [
    { bridges: 2, drops: 4, what: 'a few events per rule and verdict' },
    { bridges: 2, drops: 10, what: 'ten drops of one chain, summarised' },
    { bridges: 10, drops: 0, what: 'a jump target with a memoised prefix of its own, summarised' },
  ];
  for (const { bridges, drops, what } of cases) {
    it(`gives each slice its own walk's outcome and events: ${what}`, () => {
      const { model, lookups } = countingChains(dockerModel({ bridges, drops }));
      const shared = new ChainWalker(model);
      SLICES.forEach((input, k) => {
        const before = lookups();
        const got = walkOne(shared, model, input);
        // Every slice after the first takes the prefix from the memo: no jump target is looked up.
        if (k > 0) expect(lookups() - before).toBe(0);
        const plain = new ChainWalker(model);
        plain.memoize = false;
        const own = walkOne(plain, model, input);
        for (const part of ['accepted', 'dropped', 'rejected', 'returned'] as const) expect(sameSet(got.out[part], own.out[part])).toBe(true);
        const tuple = (e: WalkEvent) => [e.chain.name, e.rule?.position ?? null, e.verdict, e.summary?.count ?? 1];
        const big = bridges > 8 || drops > 8;
        if (!big) {
          // Nothing to summarise: the slice's own events, one per rule, in order.
          expect(got.events.map(tuple)).toEqual(own.events.map(tuple));
          got.events.forEach((e, i) => expect(sameSet(e.set, own.events[i]!.set)).toBe(true));
        } else {
          // Summarised as a walk of this slice alone summarises them, each summary the union of its rules' events.
          const alone = walkOne(new ChainWalker(model), model, input);
          expect(got.events.map(tuple)).toEqual(alone.events.map(tuple));
          got.events.forEach((e, i) => expect(sameSet(e.set, alone.events[i]!.set)).toBe(true));
          expect(got.events.filter((e) => e.summary).map((e) => e.summary!.count)).toContain(Math.max(bridges, drops));
          for (const e of got.events.filter((x) => x.summary)) {
            const parts = own.events.filter((x) => x.chain === e.chain && x.verdict === e.verdict);
            expect(e.summary!.count).toBe(parts.length);
            expect(sameSet(e.set, PacketSet.unionAll('ipv4', parts.map((x) => x.set)))).toBe(true);
          }
        }
      });
    });
  }
});
