import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFibTrieLocal, parseProcRoute, placeIpv4 } from './ipv4-fallback.js';

const fixture = (n: string) => readFileSync(new URL(`../../test/fixtures/proc/${n}`, import.meta.url), 'utf8');

describe('IPv4 without iproute2 (real /proc of a netns: d0 192.0.2.1/24, d1 198.51.100.7/32 + 203.0.113.9/28)', () => {
  const locals = parseFibTrieLocal(fixture('veth-v4.fib_trie.txt'));
  const routes = parseProcRoute(fixture('veth-v4.route.txt'));
  it('lists the local addresses once (not 127.0.0.0/8 itself, not broadcasts)', () => {
    expect(locals).toEqual(['127.0.0.1', '192.0.2.1', '198.51.100.7', '203.0.113.9']);
  });
  it('reads connected routes', () => {
    expect(routes).toEqual([
      { iface: 'd0', network: 0xc0000200, prefixLength: 24 },
      { iface: 'd1', network: 0xcb007100, prefixLength: 28 },
    ]);
  });
  it('places addresses on interfaces; a lone /32 is unplaced', () => {
    const { placed, unplaced } = placeIpv4(locals, routes, 'lo');
    expect(Object.fromEntries(placed)).toEqual({
      lo: [{ family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' }],
      d0: [{ family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global' }],
      d1: [{ family: 'ipv4', address: '203.0.113.9', prefixLength: 28, scope: 'global' }],
    });
    expect(unplaced).toEqual(['198.51.100.7']);
  });
  it('skips gateway routes, the default route and odd lines; never throws (fuzz)', () => {
    const text = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\neth0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\nbad\n';
    expect(parseProcRoute(text)).toEqual([]);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => void placeIpv4(parseFibTrieLocal(a), parseProcRoute(b), null)));
  });
});
