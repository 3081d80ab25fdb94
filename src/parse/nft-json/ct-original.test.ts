import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Family, cidrsToSet } from '../../model/addr.js';
import { emptyHostContext } from '../../model/host-context.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet } from '../../model/packet-set.js';
import type { FirewallModel, Rule } from '../../model/ruleset.js';
import { lowerNft, parseNftJson } from './index.js';

const text = readFileSync('test/fixtures/nft-json/ct-original.json', 'utf8');
const parsed = parseNftJson(text, 'ct-original.json');
const lowered = lowerNft(parsed.value, { context: emptyHostContext(), file: 'ct-original.json' });
const rule = (m: FirewallModel, position: number): Rule => m.chains.get(`nftables/${m.family}/inet ctorig/forward`)!.rules.find((r) => r.position === position)!;

const TRACKED = ctStateSet(['NEW', 'ESTABLISHED', 'RELATED'])!;
const DNATED = I.intersect(TRACKED, ctStateSet(['DNAT'])!);
const PLAIN = I.difference(TRACKED, DNATED);
const where = (f: Family, c: Partial<Record<Dim, DimSet>>) => PacketSet.where(f, c);
const addr = (f: Family, a: string) => cidrsToSet([a], f) as DimSet;
const pts = (...n: number[]) => I.fromPoints(n);
function same(a: PacketSet, b: PacketSet): void {
  expect({ extra: a.difference(b).cubes.length, missing: b.difference(a).cubes.length }).toEqual({ extra: 0, missing: 0 });
}

describe('nft ct original / reply tuple, ct status, fib rp_filter', () => {
  const [v4, v6] = [lowered.value.ipv4, lowered.value.ipv6];

  it('lowers without uncertainty or diagnostics', () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(lowered.diagnostics).toEqual([]);
    for (const m of [v4, v6]) for (const r of m.chains.get(`nftables/${m.family}/inet ctorig/forward`)!.rules) expect(r.uncertain).toEqual([]);
  });

  it('ct original ip daddr / proto-dst: the destination before DNAT, the recorded one after', () => {
    const orig = (f: Family, a: string) =>
      where(f, { [Dim.State]: PLAIN, [Dim.Dst]: addr(f, a), [Dim.Proto]: pts(6), [Dim.Dport]: pts(8080) }).union(
        where(f, { [Dim.State]: DNATED, [Dim.OrigDst]: addr(f, a), [Dim.Proto]: pts(6), [Dim.OrigDport]: pts(8080) }),
      );
    same(rule(v4, 1).match, orig('ipv4', '192.0.2.1/32'));
    expect(rule(v6, 1).match.isEmpty()).toBe(true); // ct original ip daddr breaks on IPv6 connections
    same(rule(v6, 2).match, orig('ipv6', '2001:db8::1/128'));
    expect(rule(v4, 2).match.isEmpty()).toBe(true);
  });

  it('ct status dnat with a negated original port', () => {
    same(rule(v4, 3).match, where('ipv4', { [Dim.State]: DNATED, [Dim.Proto]: pts(17), [Dim.OrigDport]: I.complement(pts(9000), { min: 0, max: 65536 }) }));
  });

  it('ct reply ip saddr is the (rewritten) destination', () => {
    same(rule(v4, 4).match, where('ipv4', { [Dim.State]: TRACKED, [Dim.Dst]: addr('ipv4', '10.0.0.2/32') }));
  });

  it('fib saddr . iif oif missing (or 0) matches no packet that can open a connection; oif exists all', () => {
    expect(rule(v4, 6).match.isEmpty()).toBe(true);
    expect(rule(v6, 7).match.isAll()).toBe(true);
    expect(rule(v4, 8).match.isEmpty()).toBe(true); // `oif 0`, as nftables' own test suite writes it

  });
});
