import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AddrSet, cidrsToSet, parseAddr, toCidrs } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { FamilyRouting } from '../../model/routing.js';
import { parseIpRouteJson, parseIpRuleJson } from '../../parse/ip-route-json.js';
import { allPeers, replyRoutes, routeText } from './reply-route.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/routing/${name}`, import.meta.url), 'utf8');
const v4: FamilyRouting = {
  routes: parseIpRouteJson(fixture('multihomed.ip4-route.json'), 'r', 'ipv4').value!,
  rules: parseIpRuleJson(fixture('multihomed.ip4-rule.json'), 'r', 'ipv4').value!,
};
const v6: FamilyRouting = {
  routes: parseIpRouteJson(fixture('multihomed.ip6-route.json'), 'r', 'ipv6').value!,
  rules: parseIpRuleJson(fixture('multihomed.ip6-rule.json'), 'r', 'ipv6').value!,
};
const addr = (t: string) => parseAddr(t)!.value;
const has = (set: AddrSet | undefined, a: string) => set !== undefined && I.contains(set as I.IntervalSet<I.Ordinal>, addr(a));

describe('replyRoutes (the multi-homed fixture: eth0 default, eth1 10.20/16, ECMP 10.30/16, mgmt0 with its own table)', () => {
  const fromEth0 = replyRoutes(v4, 'ipv4', addr('192.0.2.1'), allPeers('ipv4'));

  it('the default route carries the world, a routed network only its interface', () => {
    expect(has(fromEth0.byIface.get('eth0'), '203.0.113.9')).toBe(true);
    expect(has(fromEth0.byIface.get('eth1'), '203.0.113.9')).toBe(false);
    expect(toCidrs(fromEth0.byIface.get('eth1')!, 'ipv4')).toEqual(['10.20.0.0/16', '10.30.0.0/16']);
  });

  it('ECMP: any nexthop; the onlink part has no gateway', () => {
    expect(has(fromEth0.byIface.get('mgmt0'), '10.30.1.1')).toBe(true);
    expect(has(fromEth0.byIface.get('eth1'), '10.30.1.1')).toBe(true);
    expect(toCidrs(fromEth0.onLink.get('mgmt0')!, 'ipv4')).toEqual(['10.99.0.0/24']);
  });

  it('unreachable routes and prohibit rules: nobody gets through', () => {
    expect([...fromEth0.byIface.values()].some((s) => has(s, '10.77.1.1'))).toBe(false);
    expect(has(fromEth0.unroutable, '10.77.1.1')).toBe(true);
    // 10.66/16 is unreachable in main; only a marked reply (the fwmark rule before main) leaves, by mgmt0.
    expect([...fromEth0.byIface].filter(([, s]) => has(s, '10.66.1.1')).map(([n]) => n)).toEqual(['mgmt0']);
    expect(has(fromEth0.unroutable, '10.66.1.1')).toBe(true);
  });

  it('a fwmark rule may or may not match: table 100 (mgmt0) is one of the answers for everyone', () => {
    expect(has(fromEth0.byIface.get('mgmt0'), '203.0.113.9')).toBe(true);
  });

  it('policy routing by source address: replies from 10.99.0.1 use table 100', () => {
    const fromMgmt = replyRoutes(v4, 'ipv4', addr('10.99.0.1'), allPeers('ipv4'));
    expect(has(fromMgmt.byIface.get('mgmt0'), '203.0.113.9')).toBe(true);
    expect(has(fromMgmt.byIface.get('eth0'), '203.0.113.9')).toBe(false);
    // The rule comes after the local table, before main: 10.20/16 also goes to mgmt0's default.
    expect(has(fromMgmt.byIface.get('eth1'), '10.20.5.5')).toBe(false);
  });

  it('a step names the route, as ip route prints it', () => {
    const one = replyRoutes(v4, 'ipv4', addr('192.0.2.1'), cidrsToSet(['10.20.5.5/32'], 'ipv4'));
    expect(one.steps.filter((s) => s.iface !== '').map((s) => s.because)).toContain('route 10.20.0.0/16 via 10.20.0.254 dev eth1');
    expect(routeText({ table: 'main', type: 'unicast', dst: '0.0.0.0/0', nexthops: [{ dev: 'eth0', gateway: null }], metric: null })).toBe('default dev eth0');
  });

  it('IPv6: suppress_prefixlength 0 skips the default route of main for the first rule; blackhole is nobody', () => {
    const r = replyRoutes(v6, 'ipv6', addr('2001:db8:1::1'), allPeers('ipv6'));
    expect(has(r.byIface.get('eth1'), 'fd00:1::5')).toBe(true);
    expect(has(r.byIface.get('eth0'), '2001:db8:9::1')).toBe(true);
    expect(has(r.unroutable, '2001:db8:dead::1')).toBe(true);
    // fe80::/64 is on every link.
    for (const dev of ['eth0', 'eth1', 'mgmt0']) expect(has(r.onLink.get(dev), 'fe80::1')).toBe(true);
  });
});
