import { describe, expect, it } from 'vitest';
import { emptyHostContext } from '../../model/host-context.js';
import { lowerNft, parseNftJson } from './index.js';

/** Budgets are generous multiples of what the work takes, to stay meaningful yet not flaky. */
describe('performance', () => {
  it('100,000 rules and a 100,000-element named set parse and lower quickly', () => {
    const elems: string[] = [];
    for (let k = 0; k < 100_000; k++) elems.push(`"10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}"`);
    const rules: string[] = [];
    for (let k = 0; k < 100_000; k++) {
      const m = k % 4 === 0 ? `{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":"@big"}},` : '';
      rules.push(
        `{"rule":{"family":"inet","table":"t","chain":"c","handle":${k + 10},"expr":[${m}{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":${k % 65536}}},{"counter":{"packets":0,"bytes":0}},{"accept":null}]}}`,
      );
    }
    const text = `{"nftables":[{"metainfo":{"json_schema_version":1}},{"table":{"family":"inet","name":"t"}},{"chain":{"family":"inet","table":"t","name":"c","type":"filter","hook":"input","prio":0,"policy":"drop"}},{"set":{"family":"inet","table":"t","name":"big","type":"ipv4_addr","elem":[${elems.join(',')}]}},${rules.join(',')}]}`;
    // CPU time, not wall time, and relative to JSON.parse of the same text: test machines are
    // often shared, and what this guards against is super-linear work (a quadratic set or rule
    // step is hundreds of times slower), not a few percent.
    const cpu = (f: () => void): number => {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    const base = median([0, 1, 2].map(() => cpu(() => JSON.parse(text))));
    let p = parseNftJson('', 'x');
    let l = lowerNft(p.value, { context: emptyHostContext(), file: 'x' });
    const ours = median(
      [0, 1, 2].map(() =>
        cpu(() => {
          p = parseNftJson(text, 'big.json');
          l = lowerNft(p.value, { context: emptyHostContext(), file: 'big.json' });
        }),
      ),
    );
    console.log(`nft-json: 100k rules (both families) + 100k-element set: parse+lower ${ours.toFixed(0)} ms CPU; JSON.parse alone ${base.toFixed(0)} ms`);
    expect(p.diagnostics).toEqual([]);
    expect(l.value.ipv4.chains.get('nftables/ipv4/inet t/c')!.rules).toHaveLength(100_000);
    expect(l.value.ipv6.chains.get('nftables/ipv6/inet t/c')!.rules).toHaveLength(100_000);
    expect(l.value.ipv4.chains.get('nftables/ipv4/inet t/c')!.rules[0]!.match.project(0).length).toBe(2);
    expect(ours / base).toBeLessThan(15);
  });
});
