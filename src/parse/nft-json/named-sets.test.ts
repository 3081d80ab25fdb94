import { describe, expect, it } from 'vitest';
import type { Family } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import type { MatchEnv } from './cond.js';
import { namedSet } from './named-sets.js';
import type { ValueKind } from './selector.js';
import type { Json, NftSet } from './types.js';
import { type Range, valueRanges } from './values.js';

function env(family: Family, elem: Json[]): MatchEnv {
  const set: NftSet = { kind: 'set', family: 'inet', table: 't', name: 's', handle: 1, type: 'ipv4_addr', flags: ['interval'], elem: elem.map((key, k) => ({ key, path: `elem[${k}]` })), path: 'set' };
  return { family, context: emptyHostContext(), lookupSet: (n) => (n === 's' ? set : undefined), dynamicSets: new Set(), cache: new Map() };
}

/** The general reading: every element through valueRanges, then one merge. */
function general(kind: ValueKind, family: Family, elem: Json[]): I.IntervalSet<I.Ordinal> | string {
  const out: Range[] = [];
  for (const e of elem) {
    const bad = valueRanges(kind, family, e, out);
    if (bad !== null) return bad;
  }
  return I.fromRanges(out);
}

describe('named one-dimension sets', () => {
  it('read IPv4 addresses and prefixes fast, exactly as the general value reader does', () => {
    const elem: Json[] = [
      '192.0.2.7',
      '192.0.2.9/31',
      { prefix: { addr: '198.51.100.77', len: 24 } },
      { prefix: { addr: '100.64.0.0', len: 10 } },
      { range: ['203.0.113.1', '203.0.113.9'] },
      ...Array.from({ length: 30 }, (_, k) => `10.0.${k}.${(k * 37) % 256}`),
    ];
    const r = namedSet(env('ipv4', elem), 's', ['addr']);
    const want = general('addr', 'ipv4', elem);
    expect(typeof want).not.toBe('string');
    expect(r.ok && 'ranges' in r.value ? r.value.ranges : r).toEqual(want);
  });

  it('name the element the general reader rejects, whichever path it takes', () => {
    for (const bad of ['192.0.2.256', '010.0.0.1', { prefix: { addr: '192.0.2.0', len: 33 } }, { prefix: { addr: '192.0.2.0/8', len: 24 } }, { prefix: { addr: '192.0.2.0', len: 24 }, extra: 1 }, '2001:db8::1']) {
      const r = namedSet(env('ipv4', ['192.0.2.1', bad]), 's', ['addr']);
      expect(r, JSON.stringify(bad)).toEqual({ ok: false, kind: 'unknown', detail: `element ${general('addr', 'ipv4', [bad])} of set @s not understood` });
    }
  });

  it('other kinds and IPv6 take the general reader', () => {
    const ports: Json[] = [22, { range: [8000, 8080] }, 'ssh', 443];
    const p = namedSet(env('ipv4', ports), 's', ['port']);
    expect(p.ok && 'ranges' in p.value ? p.value.ranges : p).toEqual(I.fromRanges([[22, 23], [443, 444], [8000, 8081]]));
    const v6: Json[] = ['2001:db8::1', { prefix: { addr: '2001:db8:1::', len: 48 } }];
    const r = namedSet(env('ipv6', v6), 's', ['addr']);
    expect(r.ok && 'ranges' in r.value ? r.value.ranges : r).toEqual(general('addr', 'ipv6', v6));
  });
});
