import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostics.js';
import { emptyHostContext } from '../../model/host-context.js';
import { lowerNft, parseNftJson } from './index.js';
import { addressBounds, readAddressSetText, settledBounds } from './address-set-text.js';
import { itemSpans } from './item-spans.js';

const TABLE = { table: { family: 'inet', name: 'filter', handle: 1 } };
const CHAIN = { chain: { family: 'inet', table: 'filter', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } };
const set = (elem: unknown, extra: Record<string, unknown> = {}) => ({ set: { family: 'inet', name: 'block', table: 'filter', type: 'ipv4_addr', handle: 2, flags: ['interval'], ...extra, elem } });
const DROP_BLOCKED = {
  rule: { family: 'inet', table: 'filter', chain: 'input', handle: 3, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '@block' } }, { drop: null }] },
};
/** The same set read by an IPv6 match: a set's bounds serve the family they were read as. */
const DROP_BLOCKED6 = {
  rule: { family: 'inet', table: 'filter', chain: 'input', handle: 4, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip6', field: 'saddr' } }, right: '@block' } }, { drop: null }] },
};
const prefix = (addr: string, len: number) => ({ prefix: { addr, len } });
/** As `nft -j` prints it: `": "` and `", "` between tokens. */
const dump = (...items: unknown[]) => JSON.stringify({ nftables: items }, null, 0).replace(/":/g, '": ').replace(/,"/g, ', "');

/** The set item's text and span in a dump holding it alone. */
function setItem(item: unknown, text = dump(item)): { text: string; start: number; end: number } {
  const spans = itemSpans(text, 100)!;
  return { text, start: spans[0]!, end: spans[1]! };
}

function read(item: unknown, text?: string) {
  const s = setItem(item, text);
  return readAddressSetText(s.text, s.start, s.end, 100);
}

describe('readAddressSetText', () => {
  it('reads addresses and prefixes into bounds, in order, and leaves the rest of the set to the reader', () => {
    const got = read(set(['192.0.2.7', '198.51.100.0/24', prefix('203.0.113.0', 25), prefix('10.1.2.3', 8)]));
    expect(got?.bounds).toEqual({
      family: 'ipv4',
      los: [0xc0000207, 0xc6336400, 0xcb007100, 0x0a000000],
      his: [0xc0000208, 0xc6336500, 0xcb007180, 0x0b000000],
    });
    expect(JSON.parse(got!.rest)).toEqual(set([]));
  });

  it('reads text spaced any way JSON allows', () => {
    const text = `{"nftables":[ { "set" : {"family":"inet" ,"name":"block","table":"filter","type":"ipv4_addr","elem" : [ {"prefix" : { "addr" : "192.0.2.0" , "len" : 24 } } , "198.51.100.1" ] , "handle":2 } } ]}`;
    expect(read(null, text)?.bounds).toEqual({ family: 'ipv4', los: [0xc0000200, 0xc6336401], his: [0xc0000300, 0xc6336402] });
  });

  it('reads prefixes spaced as nft prints them as it reads them spaced any other way', () => {
    const elems = [prefix('203.0.113.0', 25), prefix('10.1.2.3', 8), prefix('0.0.0.0', 0), prefix('192.0.2.9', 32), '192.0.2.7'];
    const printed = read(set(elems));
    const compact = read(null, JSON.stringify({ nftables: [set(elems)] }));
    expect(printed?.bounds).toEqual({ family: 'ipv4', los: [0xcb007100, 0x0a000000, 0, 0xc0000209, 0xc0000207], his: [0xcb007180, 0x0b000000, 2 ** 32, 0xc000020a, 0xc0000208] });
    expect(compact?.bounds).toEqual(printed?.bounds);
  });

  it('reads elements wrapped with properties (a ban with its time left) by their val alone', () => {
    const elems = [
      { elem: { val: '192.0.2.1', timeout: 14400, expires: 14388 } },
      { elem: { expires: 86388, val: prefix('198.51.100.0', 24), timeout: 86400, comment: 'ssh-bf, "quoted"', counter: { packets: 0, bytes: 0 } } },
      { elem: { val: '203.0.113.0/25', timeout: 1.5e3 } },
      '192.0.2.9',
    ];
    expect(read(set(elems))?.bounds).toEqual({
      family: 'ipv4',
      los: [0xc0000201, 0xc6336400, 0xcb007100, 0xc0000209],
      his: [0xc0000202, 0xc6336500, 0xcb007180, 0xc000020a],
    });
  });

  it('reads IPv6 addresses, prefixes, ranges and wrapped bans into bigint bounds, as the general reader of values does', () => {
    const elems = ['2001:db8::1', '2001:db8:1::/48', prefix('2001:db8:2::', 47), prefix('2001:db8:9::5', 128), { elem: { val: '2001:db8:4::1', timeout: 60, expires: 7 } }, '2001:db8:5::1-2001:db8:5::9'];
    const b = 0x20010db8n << 96n;
    const got = read(set(elems, { type: 'ipv6_addr' }));
    // Only the list's shape is read with the dump; the addresses when a match first asks.
    expect(got?.bounds.pending).toBeDefined();
    expect(settledBounds(got!.bounds)).toEqual({
      family: 'ipv6',
      los: [b + 1n, b + (1n << 80n), b + (2n << 80n), b + (9n << 80n) + 5n, b + (4n << 80n) + 1n, b + (5n << 80n) + 1n],
      his: [b + 2n, b + (2n << 80n), b + (4n << 80n), b + (9n << 80n) + 6n, b + (4n << 80n) + 2n, b + (5n << 80n) + 10n],
    });
  });

  it('leaves an IPv6 list with an element that is no address to the general reader, when first asked', () => {
    const got = read(set(['2001:db8::1', '2001:db8::g'], { type: 'ipv6_addr' }));
    expect(got).not.toBeNull();
    expect(settledBounds(got!.bounds)).toBeUndefined();
    expect(settledBounds(got!.bounds)).toBeUndefined();
  });

  it('reads an empty element list', () => {
    expect(read(set([]))?.bounds).toEqual({ family: 'ipv4', los: [], his: [] });
  });

  const refused: [string, unknown, string?][] = [
    ['a map', { map: { family: 'inet', name: 'm', table: 'filter', type: 'ipv4_addr', map: 'verdict', elem: [['192.0.2.1', { accept: null }]] } }],
    ['an element wrapped without its val', set([{ elem: { timeout: 60 } }])],
    ['an element wrapper naming val twice', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": [{"elem": {"val": "192.0.2.1", "val": "192.0.2.2"}}]}}]}'],
    ['a wrapper inside a wrapper', set([{ elem: { val: { elem: { val: '192.0.2.1' } } } }])],
    ['an IPv6 element with an escape', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv6_addr", "elem": ["2001:db8::\\u0031"]}}]}'],
    ['an element wrapper with an escaped key', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": [{"elem": {"v\\u0061l": "192.0.2.1"}}]}}]}'],
    ['an element wrapper with a second member', set([{ elem: { val: '192.0.2.1' }, x: 1 }])],
    ['IPv4 and IPv6 elements in one list', set(['192.0.2.1', '2001:db8::1'])],
    ['an IPv6 prefix length of four digits', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv6_addr", "elem": [{"prefix": {"addr": "2001:db8::", "len": 1280}}]}}]}'],
    ['a range', set([{ range: ['192.0.2.1', '192.0.2.9'] }])],
    ['an address with a leading zero', set(['192.0.2.07'])],
    ['an escaped address', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": ["192.0.2.\\u0037"]}}]}'],
    ['a length with a fraction', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": [{"prefix": {"addr": "192.0.2.0", "len": 24.0}}]}}]}'],
    ['a length over 32', set([prefix('192.0.2.0', 33)])],
    ['a three-digit length', set([prefix('192.0.2.0', 100)])],
    ['a prefix address with a leading zero', set([prefix('192.0.2.07', 24)])],
    ['a prefix that is not a dotted quad', set([prefix('192.0.2', 24)])],
    ['a prefix with a third member', set([{ prefix: { addr: '192.0.2.0', len: 24, x: 1 } }])],
    ['elem named twice', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": ["192.0.2.1"], "elem": []}}]}'],
    ['an escaped key', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "el\\u0065m": ["192.0.2.1"]}}]}'],
    ['no elements', set(undefined)],
    ['an item with a second member', null, '{"nftables": [{"set": {"family": "inet", "name": "b", "table": "filter", "type": "ipv4_addr", "elem": ["192.0.2.1"]}, "x": 1}]}'],
  ];
  for (const [what, item, text] of refused) {
    it(`leaves ${what} to the whole parse`, () => {
      // Refused at once, or (a list that is not IPv4) kept for an IPv6 reading that then fails.
      const got = read(item, text);
      if (got !== null) expect(got.bounds.pending !== undefined && settledBounds(got.bounds) === undefined).toBe(true);
    });
  }
});

describe('an IPv4 set read from its text in a deferred parse', () => {
  function both(text: string) {
    const late: Diagnostic[] = [];
    const deferred = parseNftJson(text, 'f', { deferRules: { onLate: (d) => late.push(...d) } });
    const whole = parseNftJson(text, 'f');
    return { deferred, whole, late };
  }

  it('gives the whole parse’s elements of a set of bans with timeouts: the val as key, the timeout kept', () => {
    const elems = [{ elem: { val: '192.0.2.1', timeout: 14400, expires: 14388 } }, { elem: { val: prefix('198.51.100.0', 24), timeout: 60, expires: 7 } }];
    const { deferred, whole } = both(dump(TABLE, set(elems, { flags: ['timeout'] }), CHAIN, DROP_BLOCKED));
    expect(addressBounds(deferred.value.sets[0]!, 'ipv4')).toBeDefined();
    expect(deferred.value.sets[0]!.elem.map((e) => [e.key, e.timeout])).toEqual([['192.0.2.1', 14400], [prefix('198.51.100.0', 24), 60]]);
    expect(deferred.value.sets).toEqual(whole.value.sets);
    expect(deferred.diagnostics).toEqual(whole.diagnostics);
  });

  it('gives the whole parse’s elements, paths included, when they are read', () => {
    const { deferred, whole } = both(dump(TABLE, set(['192.0.2.1', prefix('198.51.100.0', 24)], { comment: 'c' }), CHAIN, DROP_BLOCKED));
    expect(addressBounds(deferred.value.sets[0]!, 'ipv4')).toBeDefined();
    expect(addressBounds(whole.value.sets[0]!, 'ipv4')).toBeUndefined();
    expect(deferred.value.sets[0]!.elem.map((e) => e.path)).toEqual(['$.nftables[1].set.elem[0]', '$.nftables[1].set.elem[1]']);
    expect(deferred.value.sets).toEqual(whole.value.sets);
    expect(deferred.diagnostics).toEqual(whole.diagnostics);
  });

  const cases: [string, unknown[]][] = [
    ['plain elements', ['192.0.2.1', '192.0.2.0/30', prefix('10.0.0.0', 8), prefix('10.0.0.0', 9), prefix('0.0.0.0', 0)]],
    ['elements out of order and overlapping', [prefix('203.0.113.0', 24), '192.0.2.1', '203.0.113.9', prefix('192.0.2.0', 31)]],
    ['an element the fast reading does not take', ['192.0.2.1', '192.0.2.07', prefix('198.51.100.0', 24)]],
    ['an element not understood', ['192.0.2.1', 'not an address']],
    ['IPv6 elements', ['2001:db8::1', prefix('2001:db8:1::', 48), '2001:db8:2::/64', { elem: { val: '2001:db8:3::7', timeout: 60 } }]],
    ['an IPv6 element the general reader refuses', ['2001:db8::1', '2001:db8::g']],
    ['elements wrapped with their time left', [{ elem: { val: '192.0.2.1', timeout: 14400, expires: 14388 } }, { elem: { val: prefix('10.0.0.0', 8), timeout: 60 } }, '203.0.113.7']],
  ];
  for (const [what, elems] of cases) {
    it(`${what}: lowers to the same models and diagnostics as the whole parse`, () => {
      const { deferred, whole, late } = both(dump(TABLE, set(elems), CHAIN, DROP_BLOCKED, DROP_BLOCKED6));
      const eager = lowerNft(whole.value, { context: emptyHostContext(), file: 'f' });
      const lazy = lowerNft(deferred.value, { context: emptyHostContext(), file: 'f', lazy: true });
      for (const f of ['ipv4', 'ipv6'] as const) expect(new Map(lazy.value[f].chains)).toEqual(eager.value[f].chains);
      expect(lazy.diagnostics).toEqual(eager.diagnostics);
      expect(late).toEqual([]);
    });
  }

  it('random element lists (IPv4 or IPv6), wrapped or not, lower as the whole parse lowers them', () => {
    const octet = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 30 }, { arbitrary: fc.constantFrom('07', '256', 'x'), weight: 1 });
    const addr = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const plain = fc.oneof(addr, fc.tuple(addr, fc.integer({ min: 0, max: 33 })).map(([a, l]) => `${a}/${l}`),
      fc.tuple(addr, fc.integer({ min: 0, max: 33 })).map(([a, l]) => prefix(a, l)), fc.constant('2001:db8::1'));
    // Mostly whole numbers, as nft prints a ban's timeout and expiry; sometimes anything.
    const props = fc.dictionary(fc.constantFrom('timeout', 'expires', 'comment', 'counter', 'x'), fc.oneof({ arbitrary: fc.nat(), weight: 4 }, { arbitrary: fc.jsonValue(), weight: 1 }), { maxKeys: 3 });
    const wrapped = fc.tuple(plain, props, fc.boolean()).map(([val, p, first]) => ({ elem: first ? { val, ...p } : { ...p, val } }));
    const plain6 = fc.oneof(fc.ipV6(), fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 })).map(([a, l]) => `${a}/${l}`),
      fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 })).map(([a, l]) => prefix(a, l)), fc.constantFrom('2001:db8::g', '192.0.2.1', '2001:db8::1-2001:db8::9'));
    const wrapped6 = fc.tuple(plain6, props).map(([val, p]) => ({ elem: { val, ...p } }));
    const lists = fc.oneof(fc.array(fc.oneof(plain, wrapped), { maxLength: 8 }), fc.array(fc.oneof(plain6, wrapped6), { maxLength: 8 }));
    fc.assert(
      fc.property(lists, (elems) => {
        const { deferred, whole, late } = both(dump(TABLE, set(elems, { flags: ['timeout'] }), CHAIN, DROP_BLOCKED, DROP_BLOCKED6));
        const eager = lowerNft(whole.value, { context: emptyHostContext(), file: 'f' });
        const lazy = lowerNft(deferred.value, { context: emptyHostContext(), file: 'f', lazy: true });
        for (const f of ['ipv4', 'ipv6'] as const) expect(new Map(lazy.value[f].chains)).toEqual(eager.value[f].chains);
        expect(lazy.diagnostics).toEqual(eager.diagnostics);
        expect(deferred.value.sets).toEqual(whole.value.sets);
        expect(late).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
