import { describe, expect, it } from 'vitest';
import { type RuleSpec, match } from '../../test/helpers/model-builder.js';
import type { Rule } from '../model/ruleset.js';
import { CoverIndex, coarseKey } from './shadow-cover-index.js';

/** A rule's conditions (its action does not matter to the index). */
type Spec = Omit<RuleSpec, 'action'>;

const matchOf = (spec: Spec) => match('ipv4', { ...spec, action: { type: 'drop' } });

function rule(spec: Spec): Rule {
  return { position: 0, text: '', origin: { file: 'test', line: 1 }, match: matchOf(spec), uncertain: [], action: { type: 'drop' } };
}

/** An index over `specs`, every one filed as a cover, and a function asking it about a rule. */
function indexOf(specs: Spec[]) {
  const rules = specs.map(rule);
  const index = new CoverIndex(rules);
  specs.forEach((_, order) => index.add(order, coarseKey(rules[order]!.match)));
  return { index, rules, ask: (spec: Spec) => [...index.candidates(coarseKey(matchOf(spec)))] };
}

describe('CoverIndex', () => {
  it('builds the "inside" files on the first rule that needs them, with the covers filed before and after', () => {
    const { index, rules, ask } = indexOf([{ src: ['192.0.2.1/32'] }, { src: ['198.51.100.1/32'] }, { src: ['192.0.2.2/32'] }]);
    expect(ask({ src: ['192.0.2.0/24'] })).toEqual([0, 2]);
    rules.push(rule({ src: ['192.0.2.3/32'] }));
    index.add(3, coarseKey(rules[3]!.match));
    expect(ask({ src: ['192.0.2.0/24'] })).toEqual([0, 2, 3]);
    expect(ask({ src: ['192.0.2.3/32'] })).toEqual([3]);
  });

  it('files any-source covers by destination: a rule on another address does not meet them', () => {
    const { ask } = indexOf([{ dst: ['10.96.0.1/32'], proto: 'tcp', dport: 80 }, { dst: ['10.96.0.2/32'], proto: 'tcp', dport: 80 }, { src: ['192.0.2.0/24'] }]);
    expect(ask({ dst: ['10.96.0.2/32'], proto: 'tcp', dport: 80 })).toEqual([1, 2]);
    expect(ask({ dst: ['10.96.0.0/24'] })).toEqual([0, 1, 2]);
    expect(ask({ src: ['198.51.100.7/32'], dst: ['10.96.0.1/32'] })).toEqual([0]);
    // Sources and destinations both spread: every cover may overlap.
    expect(ask({ proto: 'udp' })).toEqual([0, 1, 2]);
  });

  it('merges the buckets of several blocks into one list in rule order, each cover once', () => {
    const { ask } = indexOf([{ src: ['192.0.2.0/24'] }, { src: ['192.0.2.7/32'] }, { src: ['192.0.0.0/16'] }, { src: ['192.0.2.7/32'] }, { src: ['192.0.2.0/25'] }, { src: ['198.51.100.0/24'] }]);
    expect(ask({ src: ['192.0.2.7/32'] })).toEqual([0, 1, 2, 3, 4]);
    expect(ask({ src: ['192.0.2.0/24'] })).toEqual([0, 1, 2, 3, 4]);
    // Coarse: the /25 is filed under its /24 block, so a /32 of the other half still meets it.
    expect(ask({ src: ['192.0.2.200/32'] })).toEqual([0, 2, 4]);
    expect(ask({ src: ['198.51.100.1/32'] })).toEqual([5]);
  });

  it('files and looks up a multiport match of up to 64 ports port by port: rules on other ports do not meet it', () => {
    // 20 ports (a set with a range, as nft's `tcp dport { 21458, 43436-43451, … }`), then 100.
    const { ask } = indexOf([
      { src: ['192.0.2.0/24'], proto: 'tcp', dport: [1000, 1019] },
      { src: ['192.0.2.0/24'], proto: 'tcp', dport: [5000, 5099] },
      { src: ['192.0.2.0/24'], proto: 'tcp', dport: 2005 },
    ]);
    expect(ask({ src: ['192.0.2.0/24'], proto: 'tcp', dport: [2000, 2019] })).toEqual([1, 2]);
    expect(ask({ src: ['192.0.2.0/24'], proto: 'tcp', dport: 1019 })).toEqual([0, 1]);
    expect(ask({ src: ['192.0.2.0/24'], proto: 'tcp', dport: [1010, 1029] })).toEqual([0, 1]);
    // Past 64 ports a rule meets every cover of its block, whatever their ports.
    expect(ask({ src: ['192.0.2.0/24'], proto: 'tcp', dport: [3000, 3099] })).toEqual([0, 1, 2]);
  });

  it('gathers a list of 150,000 covers with another, in rule order', () => {
    const wide = Array.from({ length: 150_000 }, (): Spec => ({}));
    const { ask } = indexOf([{ src: ['192.0.2.1/32'] }, ...wide]);
    const found = ask({ src: ['192.0.2.1/32'] });
    expect(found).toHaveLength(150_001);
    expect(found.slice(0, 3)).toEqual([0, 1, 2]);
  });
});
