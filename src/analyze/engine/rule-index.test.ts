import { describe, expect, it } from 'vitest';
import { ACCEPT, DROP, ModelBuilder, type RuleSpec } from '../../../test/helpers/model-builder.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import { ChainIndex } from './rule-index.js';

function indexOf(rules: RuleSpec[]): ChainIndex {
  const b = new ModelBuilder('ipv4');
  const id = b.chain('filter', 'C', rules);
  return new ChainIndex(b.model.chains.get(id)!);
}

function slice(proto: number, port: number): PacketSet {
  return PacketSet.where('ipv4', { [Dim.Proto]: I.range(proto, proto + 1), [Dim.Dport]: I.range(port, port + 1) } as Partial<Record<Dim, DimSet>>);
}

/** The steps that truly match some packet of the slice: the candidates must hold all of them. */
function matching(index: ChainIndex, set: PacketSet): number[] {
  return index.steps.flatMap((s, i) => (s.match.intersects(set) ? [i] : []));
}

// Ports with a gap between them, so no run of rules folds into one step.
const perPort = (n: number): RuleSpec[] => Array.from({ length: n }, (_, i) => ({ proto: 'tcp' as const, dport: 1000 + 2 * i, action: i % 2 ? ACCEPT : DROP }));

describe('ChainIndex', () => {
  it('gives a small chain every step, ascending, whatever the slice', () => {
    const index = indexOf([...perPort(6), { proto: 'udp', dport: 53, action: ACCEPT }, { action: DROP }]);
    expect(index.steps).toHaveLength(8);
    for (const set of [slice(6, 1000), slice(17, 53), slice(6, 9), PacketSet.all('ipv4')]) expect(index.candidates(set)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives a bigger chain a slice its own port, the wide rules of its protocol and the generic ones, ascending', () => {
    const rules: RuleSpec[] = [...perPort(20), { proto: 'tcp', dport: [2000, 3000], action: DROP }, { proto: 'udp', dport: 1004, action: DROP }, { action: ACCEPT }];
    const index = indexOf(rules);
    expect(index.candidates(slice(6, 1004))).toEqual([2, 22]);
    expect(index.candidates(slice(6, 2500))).toEqual([20, 22]);
    expect(index.candidates(slice(17, 1004))).toEqual([21, 22]);
    expect(index.candidates(PacketSet.all('ipv4'))).toEqual(index.steps.map((_, i) => i));
  });

  it('never leaves out a step that matches, small chain or big', () => {
    for (const n of [1, 8, 9, 40]) {
      const index = indexOf([...perPort(n), { proto: 'tcp', dport: [1010, 1100], action: ACCEPT }, { proto: 'udp', action: DROP }]);
      for (const proto of [6, 17]) {
        for (const port of [0, 1000, 1002, 1010, 1011, 1050, 1078, 65535]) {
          const set = slice(proto, port);
          const got = index.candidates(set);
          for (const i of matching(index, set)) expect(got).toContain(i);
          expect([...got].sort((a, b) => a - b)).toEqual(got);
        }
      }
    }
  });
});
