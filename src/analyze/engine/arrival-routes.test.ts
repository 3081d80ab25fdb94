import { describe, expect, it } from 'vitest';
import { toCidrs } from '../../model/addr.js';
import type { RoutingState } from '../../model/routing.js';
import type { NetInterface } from '../../model/snapshot.js';
import { arrivalFacts } from './arrival-routes.js';

const rule = (priority: number, table: string) => ({ priority, not: false, from: null, to: null, iif: null, oif: null, undecided: [], action: 'table' as const, table, goto: null, suppressPrefixLength: null });
const nic = (name: string, addrs: Array<[string, number]>): NetInterface => ({
  name,
  index: 2,
  up: true,
  loopback: false,
  addresses: addrs.map(([address, prefixLength]) => ({ family: address.includes(':') ? ('ipv6' as const) : ('ipv4' as const), address, prefixLength, scope: address.startsWith('fe80') ? 'link' : 'global' })),
});
const interfaces = [nic('eth0', [['192.0.2.1', 24], ['fe80::1', 64], ['2001:db8::1', 64]]), nic('dummy0', [['10.9.9.9', 32]]), nic('eth1', [['fe80::2', 64]])];
const routing: RoutingState = {
  ipv4: {
    routes: [
      { table: 'main', type: 'unicast', dst: '0.0.0.0/0', nexthops: [{ dev: 'eth0', gateway: '192.0.2.254' }], metric: null },
      { table: 'main', type: 'unicast', dst: '192.0.2.0/24', nexthops: [{ dev: 'eth0', gateway: null }], metric: null },
      { table: 'local', type: 'local', dst: '10.9.9.9/32', nexthops: [{ dev: 'dummy0', gateway: null }], metric: null },
    ],
    rules: [rule(0, 'local'), rule(32766, 'main')],
  },
  ipv6: {
    routes: [
      { table: 'main', type: 'unicast', dst: 'fe80::/64', nexthops: [{ dev: 'eth0', gateway: null }], metric: 256 },
      { table: 'main', type: 'unicast', dst: 'fe80::/64', nexthops: [{ dev: 'eth1', gateway: null }], metric: 256 },
      { table: 'main', type: 'unicast', dst: '2001:db8::/64', nexthops: [{ dev: 'eth0', gateway: null }], metric: 256 },
    ],
    rules: [rule(0, 'local'), rule(32766, 'main')],
  },
};

describe('arrivalFacts', () => {
  const facts = arrivalFacts(routing, interfaces, () => null)!;

  it('a /32 on a dummy interface with no routes carries nobody remote; its own address is routed out eth0 like any', () => {
    expect(facts.cubes.ipv4!.map((c) => c.iface)).toEqual(['eth0']);
    expect(toCidrs(facts.cubes.ipv4![0]!.dst as never, 'ipv4')).toEqual(['10.9.9.9/32', '192.0.2.1/32']);
  });

  it('an IPv6 link-local address is reached on its own link only; global ones on any route', () => {
    const byDst = facts.cubes.ipv6!.map((c) => `${toCidrs(c.dst as never, 'ipv6').join(',')} ${c.iface} ${toCidrs(c.src as never, 'ipv6').join(',')}`).sort();
    expect(byDst).toEqual([
      '2001:db8::1/128 eth0 2001:db8::/64,fe80::/64',
      '2001:db8::1/128 eth1 fe80::/64',
      'fe80::1/128 eth0 2001:db8::/64,fe80::/64',
      'fe80::2/128 eth1 fe80::/64',
    ]);
  });

  it('no routing state (an older snapshot) → null; an unreadable family → null for it', () => {
    expect(arrivalFacts(undefined, interfaces, () => null)).toBeNull();
    expect(arrivalFacts({ ...routing, ipv6: null }, interfaces, () => null)!.cubes.ipv6).toBeNull();
  });

  it('rp_filter: the larger of all and the interface decides; unknown is read as not strict', () => {
    const rp = (values: Record<string, string>) => arrivalFacts(routing, interfaces, (i) => values[`net.ipv4.conf.${i}.rp_filter`] ?? null)!.looseRpFilter;
    expect(rp({})).toEqual(['eth0', 'dummy0', 'eth1']);
    expect(rp({ 'net.ipv4.conf.all.rp_filter': '1' })).toEqual([]);
    expect(rp({ 'net.ipv4.conf.all.rp_filter': '2', 'net.ipv4.conf.eth0.rp_filter': '1' })).toEqual(['eth0', 'dummy0', 'eth1']);
    expect(rp({ 'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.eth0.rp_filter': '1' })).toEqual(['dummy0', 'eth1']);
  });
});
