import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostics.js';
import { emptyHostContext } from '../../model/host-context.js';
import type { Uncertainty } from '../../model/ruleset.js';
import { lowerNft, parseNftJson } from './index.js';
import { UncertaintyGroups } from './uncertainty-groups.js';

const numgen = (n: number): Uncertainty => ({ construct: `numgen random mod 3 vmap { 0 : goto e${n}a, 1 : goto e${n}b, 2 : goto e${n}c }`, kind: 'unmodelled', detail: 'numgen random mod 3 is not a packet-space dimension' });
const at = (item: number, k = 0) => `$.nftables[${item}].rule.expr[${k}]`;

describe('UncertaintyGroups', () => {
  it('says one kind of construct once, naming the rule first in the dump and how many more hold it', () => {
    const sink: Diagnostic[] = [];
    const groups = new UncertaintyGroups('f', sink);
    groups.add(numgen(1), at(40));
    groups.settle();
    // One rule: the message a rule always had.
    expect(sink).toEqual([
      {
        code: 'unsupported.nft-json.unmodelled',
        severity: 'warning',
        message: 'numgen random mod 3 vmap { 0 : goto e1a, 1 : goto e1b, 2 : goto e1c }: numgen random mod 3 is not a packet-space dimension; the rule is read as "may match"',
        location: { file: 'f', path: at(40) },
      },
    ]);
    // Met later but earlier in the dump (a one-flow load lowers chains as it meets them): it becomes the first.
    groups.add(numgen(2), at(12, 1));
    groups.add(numgen(3), at(12, 3));
    groups.add(numgen(4), at(90));
    groups.settle();
    expect(sink).toHaveLength(1);
    expect(sink[0]!.location).toEqual({ file: 'f', path: at(12, 1) });
    expect(sink[0]!.message).toBe(
      'numgen random mod 3 vmap { 0 : goto e2a, 1 : goto e2b, 2 : goto e2c }: numgen random mod 3 is not a packet-space dimension; this rule and 3 more like it are read as "may match"',
    );
  });

  it('keeps apart kinds, details, constructs that start with other words, and constructs without a detail', () => {
    const sink: Diagnostic[] = [];
    const groups = new UncertaintyGroups('f', sink);
    const mark = (value: string): Uncertainty => ({ construct: `meta mark & ${value} == 0`, kind: 'unmodelled', detail: 'meta mark is not a packet-space dimension' });
    groups.add(mark('16384'), at(1));
    groups.add(mark('0x4000'), at(2)); // same words before the value: one kind
    groups.add({ construct: 'ct mark 1', kind: 'unmodelled', detail: 'meta mark is not a packet-space dimension' }, at(3));
    groups.add({ ...mark('1'), kind: 'unknown' }, at(4));
    groups.add({ construct: 'xt match addrtype', kind: 'unknown', detail: 'iptables-nft compat expression' }, at(5));
    groups.add({ construct: 'xt target CHECKSUM', kind: 'unknown', detail: 'iptables-nft compat expression' }, at(6));
    groups.add({ construct: 'frob 1', kind: 'unknown' }, at(7));
    groups.add({ construct: 'frob 2', kind: 'unknown' }, at(8));
    groups.add({ construct: 'frob 2', kind: 'unknown' }, at(9));
    groups.add({ construct: 'limit rate 5/second', kind: 'rate-limit' }, at(10));
    groups.settle();
    expect(sink.map((d) => [d.location?.path, d.severity, d.message.replace(/^.*; /, '')])).toEqual([
      [at(1), 'warning', 'this rule and 1 more like it are read as "may match"'],
      [at(3), 'warning', 'the rule is read as "may match"'],
      [at(4), 'warning', 'the rule is read as "may match"'],
      [at(5), 'warning', 'the rule is read as "may match"'],
      [at(6), 'warning', 'the rule is read as "may match"'],
      [at(7), 'warning', 'the rule is read as "may match"'],
      [at(8), 'warning', 'this rule and 1 more like it are read as "may match"'],
      [at(10), 'info', 'the rule is read as "may match"'],
    ]);
    // A construct without a detail says what its kind means.
    expect(sink[5]!.message).toBe('frob 1: not understood; the rule is read as "may match"');
  });

  it('a one-flow load says what the full load says once it has lowered every chain, whatever order it met them in', () => {
    const chains = ['s0', 's1', 's2', 's3', 's4'];
    const items = [
      { table: { family: 'ip', name: 'kube-proxy' } },
      { chain: { family: 'ip', table: 'kube-proxy', name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
      ...chains.map((name) => ({ chain: { family: 'ip', table: 'kube-proxy', name } })),
      ...chains.flatMap((name) => ['a', 'b'].map((e) => ({ chain: { family: 'ip', table: 'kube-proxy', name: `${name}-${e}` } }))),
      ...chains.map((name) => ({ rule: { family: 'ip', table: 'kube-proxy', chain: 'input', expr: [{ jump: { target: name } }] } })),
      ...chains.map((name) => ({
        rule: {
          family: 'ip',
          table: 'kube-proxy',
          chain: name,
          // kube-proxy's endpoint choice: the first branch may be taken, the last takes what is left.
          expr: [{ vmap: { key: { numgen: { mode: 'random', mod: 2, offset: 0 } }, data: { set: [[0, { goto: { target: `${name}-a` } }], [1, { goto: { target: `${name}-b` } }]] } } }],
        },
      })),
    ];
    const parsed = parseNftJson(JSON.stringify({ nftables: items }), 'f');
    expect(parsed.diagnostics).toEqual([]);
    const eager = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f' });
    const numgens = (ds: readonly Diagnostic[]) => ds.filter((d) => d.message.startsWith('numgen'));
    expect(numgens(eager.diagnostics)).toHaveLength(1);
    expect(numgens(eager.diagnostics)[0]!.message).toContain('this rule and 4 more like it are read as "may match"');
    const first = numgens(eager.diagnostics)[0]!.location;

    const lazy = lowerNft(parsed.value, { context: emptyHostContext(), file: 'f', lazy: true });
    const chainsOf = lazy.value.ipv4.chains;
    chainsOf.get('nftables/ipv4/ip kube-proxy/s3');
    chainsOf.get('nftables/ipv4/ip kube-proxy/s4');
    // Two chains met (items 25 and 26): their two rules, the earlier in the dump named.
    expect(numgens(lazy.diagnostics)).toHaveLength(1);
    expect(numgens(lazy.diagnostics)[0]!.message).toContain('this rule and 1 more like it');
    expect(numgens(lazy.diagnostics)[0]!.location?.path).toMatch(/^\$\.nftables\[25\]/);
    for (const name of ['s2', 's1', 's0']) chainsOf.get(`nftables/ipv4/ip kube-proxy/${name}`);
    [...chainsOf.values()];
    expect(numgens(lazy.diagnostics)).toEqual(numgens(eager.diagnostics));
    expect(numgens(lazy.diagnostics)[0]!.location).toEqual(first);
  });
});
