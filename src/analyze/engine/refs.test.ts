import { describe, expect, it } from 'vitest';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Chain, Rule } from '../../model/ruleset.js';
import { decisionsFor } from './refs.js';
import type { WalkEvent } from './evaluate-chain.js';

// Evidence prefixes are memoised by the identity of a one-cube event's sources (issue 8):
// every listener's slice meets the same blocklist complement.
const chain = { id: 'filter/INPUT', backend: 'legacy', family: 'ipv4', table: 'filter', name: 'INPUT', origin: { file: 'x', line: 1 }, rules: [] } as unknown as Chain;
const rule = (position: number, text: string) => ({ position, text, origin: { file: 'x', line: position }, action: { type: 'drop' }, uncertain: [] }) as unknown as Rule;
const drop = (position: number, sources: DimSet): WalkEvent => ({
  hook: 'input', kind: 'filter', chain, rule: rule(position, `-A INPUT ... -j DROP`), verdict: 'drop',
  set: PacketSet.where('ipv4', { [Dim.Src]: sources } as Partial<Record<Dim, DimSet>>), uncertain: false,
});
// 40 single addresses 10.0.0.1, 10.0.0.3, …: more ranges than the 32 prefixes listed.
const many = I.fromPoints(Array.from({ length: 40 }, (_, k) => 0x0a000001 + 2 * k)) as DimSet;

describe('decisionsFor evidence', () => {
  it('lists the same first prefixes for the same sources met again, each decision with its own list', () => {
    const events = [drop(1, many), drop(2, many)];
    const first = decisionsFor(events, PacketSet.all('ipv4'));
    const again = decisionsFor(events, PacketSet.all('ipv4'));
    expect(first).toHaveLength(2);
    for (const d of [...first, ...again]) {
      expect(d.sources.ipv4).toHaveLength(32);
      expect(d.sources.ipv4[0]).toBe('10.0.0.1/32');
      expect(d.sources.ipv4[31]).toBe('10.0.0.63/32');
      expect(d.omitted).toEqual({ ipv4: 8, ipv6: 0 });
    }
    // A caller that edits one decision's list does not edit another's.
    first[0]!.sources.ipv4.push('192.0.2.1/32');
    expect(first[1]!.sources.ipv4).toHaveLength(32);
    expect(again[0]!.sources.ipv4).toHaveLength(32);
  });

  it('lists what each region meets when the sources differ', () => {
    const events = [drop(1, many)];
    const part = decisionsFor(events, PacketSet.where('ipv4', { [Dim.Src]: I.range(0x0a000004, 0x0a000008) } as Partial<Record<Dim, DimSet>>));
    expect(part[0]!.sources.ipv4).toEqual(['10.0.0.5/32', '10.0.0.7/32']);
    expect(part[0]!.omitted).toBeUndefined();
  });
});
