import { describe, expect, it } from 'vitest';
import { cidrsToSet } from './addr.js';
import { CT_STATUS, ctFieldSet, ctStatusStates, recordOriginalDst } from './conntrack-tuple.js';
import * as I from './interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, ctValue } from './packet-set.js';
import { appliesToFirstConnection, laterConnectionsNote } from './limiters.js';

const a = (c: string) => cidrsToSet([c], 'ipv4') as DimSet;
const pt = (n: number) => I.fromPoints([n]);

describe('conntrack original tuple', () => {
  it('a DNAT records the destination it rewrites; --ctorigdstport then reads the record', () => {
    const arrival = PacketSet.where('ipv4', { [Dim.State]: pt(ctValue('NEW')), [Dim.Dst]: a('192.0.2.1/32'), [Dim.Dport]: I.fromPoints([8080, 8443]) });
    // DNAT as the engine applies it: record, rewrite, flag.
    const nat = recordOriginalDst(arrival).rewrite(Dim.Dst, a('172.17.0.2/32')).rewrite(Dim.Dport, pt(80)).rewrite(Dim.State, pt(ctValue('NEW', true)));
    const orig8080 = ctFieldSet('ipv4', 'orig-dport', pt(8080));
    expect(nat.intersect(orig8080).project(Dim.OrigDport)).toEqual(pt(8080));
    expect(nat.intersect(ctFieldSet('ipv4', 'orig-dport', pt(80))).isEmpty()).toBe(true);
    // Before any DNAT the original tuple is the packet's own.
    expect(arrival.intersect(orig8080).project(Dim.Dport)).toEqual(pt(8080));
    expect(arrival.intersect(ctFieldSet('ipv4', 'orig-dst', a('192.0.2.1/32'))).isEmpty()).toBe(false);
    expect(nat.intersect(ctFieldSet('ipv4', 'reply-src', a('172.17.0.2/32'))).isEmpty()).toBe(false);
  });

  it('packets without a conntrack entry match no tuple field, negated or not', () => {
    const invalid = PacketSet.where('ipv4', { [Dim.State]: ctStateSet(['INVALID', 'UNTRACKED'])! });
    expect(invalid.intersect(ctFieldSet('ipv4', 'orig-src', PacketSet.all('ipv4').project(Dim.Src))).isEmpty()).toBe(true);
  });

  it('status bits: a first packet is not confirmed; ASSURED of an established connection is unknown', () => {
    const dnat = ctStatusStates(CT_STATUS.DNAT, (b) => b !== 0);
    expect(dnat.unknown).toBe(false);
    expect(I.contains(dnat.states as I.IntervalSet<number>, ctValue('NEW', true))).toBe(true);
    expect(I.contains(dnat.states as I.IntervalSet<number>, ctValue('NEW'))).toBe(false);
    const confirmed = ctStatusStates(CT_STATUS.CONFIRMED, (b) => b !== 0);
    expect(I.contains(confirmed.states as I.IntervalSet<number>, ctValue('NEW'))).toBe(false);
    expect(I.contains(confirmed.states as I.IntervalSet<number>, ctValue('ESTABLISHED'))).toBe(true);
    expect(ctStatusStates(CT_STATUS.ASSURED, (b) => b !== 0).unknown).toBe(true);
  });
});

describe('limiters', () => {
  it('a rule with a limiter that cannot match yet does not apply to a first connection', () => {
    const l = { construct: '-m connlimit --connlimit-above 10', first: 'no-match' as const, later: 'more than 10 concurrent connections from one address' };
    expect(appliesToFirstConnection({ limits: [l] })).toBe(false);
    expect(appliesToFirstConnection({})).toBe(true);
    expect(laterConnectionsNote(l, { type: 'reject', with: 'tcp-reset' })).toBe('later connections, more than 10 concurrent connections from one address: reject (-m connlimit --connlimit-above 10)');
  });
});
