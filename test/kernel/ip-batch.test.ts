/**
 * `collect` reads each family's routes and policy rules with one `ip -j -4|-6 -batch -`
 * (issue 8). Proves against the real iproute2, in a namespace with routes of every kind in
 * several tables (unreachable, blackhole, prohibit, multipath, a thousand prefixes) and
 * policy rules: the batch prints exactly one line per command, and those lines are, byte for
 * byte, what `ip -j -4 route show table all` and `ip -j -4 rule show` print alone; and a
 * batch whose second command fails is not taken for two answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDR_IPV4_BATCH, IP_ADDR, routingBatch, splitAddrIpv4Batch, splitRoutingBatch } from '../../src/collect/ip-reads.js';
import { run, runAsync, runIn } from './harness/exec.js';
import { kernelSkipReason } from './harness/preflight.js';

const skip = kernelSkipReason([], false);
const ns = `pc-k-ipbatch-${process.pid}`;
const ip = (...args: string[]): void => void run(['ip', '-n', ns, ...args]);

describe.skipIf(skip !== null)('ip -batch against iproute2 (namespace)', () => {
  beforeAll(() => {
    run(['ip', 'netns', 'add', ns]);
    // Without DAD: a link-local address (and its local route) that appeared between the batch
    // and a command alone would make them differ.
    runIn(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    ip('link', 'set', 'lo', 'up');
    for (const [name, v4, v6] of [['eth0', '192.0.2.10/24', '2001:db8:0:1::10/64'], ['eth1', '198.51.100.1/24', '2001:db8:0:2::1/64']] as const) {
      ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}-peer`);
      ip('link', 'set', `${name}-peer`, 'up');
      ip('addr', 'add', v4, 'dev', name);
      ip('-6', 'addr', 'add', v6, 'dev', name, 'nodad');
      ip('link', 'set', name, 'up');
    }
    ip('route', 'add', 'default', 'via', '192.0.2.1');
    ip('route', 'add', '203.0.113.0/24', 'nexthop', 'via', '192.0.2.2', 'weight', '1', 'nexthop', 'via', '198.51.100.2', 'weight', '2');
    ip('route', 'add', 'unreachable', '203.0.113.77/32');
    ip('route', 'add', 'blackhole', '10.66.0.0/16');
    ip('route', 'add', 'prohibit', '10.67.0.0/16', 'table', '100');
    ip('route', 'add', 'default', 'via', '198.51.100.2', 'table', '100');
    ip('-6', 'route', 'add', 'default', 'via', '2001:db8:0:1::1');
    ip('-6', 'route', 'add', 'unreachable', '2001:db8:dead::/48');
    ip('-6', 'route', 'add', '2001:db8:5::/64', 'via', '2001:db8:0:2::2', 'table', '200');
    // Defaults of both families in one more table: only IPv4's may be in IPv4's answer.
    ip('route', 'add', 'blackhole', 'default', 'table', '300');
    ip('-6', 'route', 'add', 'blackhole', 'default', 'table', '300');
    // An IPv4 route through an IPv6 next hop (RFC 5549) is IPv4's.
    ip('route', 'add', '10.68.0.0/16', 'via', 'inet6', '2001:db8:0:1::1', 'dev', 'eth0');
    ip('rule', 'add', 'from', '198.51.100.0/24', 'lookup', '100', 'priority', '1000');
    ip('rule', 'add', 'iif', 'eth1', 'fwmark', '0x10/0xff', 'lookup', '100', 'priority', '1100');
    ip('rule', 'add', 'to', '10.0.0.0/8', 'prohibit', 'priority', '1200');
    ip('-6', 'rule', 'add', 'from', '2001:db8:0:2::/64', 'lookup', '200', 'priority', '1000');
    // A thousand prefixes: one line of ~100 KB per family still is one line.
    const batch = Array.from({ length: 1000 }, (_, i) => `route add 10.${100 + (i >> 8)}.${i & 255}.0/24 via 192.0.2.${2 + (i % 50)} table ${i % 2 === 0 ? 'main' : '100'}`).join('\n');
    run(['ip', '-n', ns, '-batch', '-'], batch + '\n');
  });
  afterAll(() => {
    run(['ip', 'netns', 'del', ns]);
  });

  for (const [family, flag] of [['ipv4', '-4'], ['ipv6', '-6']] as const) {
    it(`${family}: the batch's two lines are the two commands' own output`, async () => {
      const { argv, input } = routingBatch(family);
      const batched = await runAsync(['ip', 'netns', 'exec', ns, ...argv], input);
      const split = splitRoutingBatch({ ok: true, ...batched });
      expect(split).not.toBeNull();
      expect(split!.routes).toBe(runIn(ns, ['ip', '-j', flag, 'route', 'show', 'table', 'all']));
      expect(split!.rules).toBe(runIn(ns, ['ip', '-j', flag, 'rule', 'show']));
      expect(batched.stderr).toBe('');
      // The namespace's routes and rules are all there (not an empty answer twice).
      if (family === 'ipv4') {
        expect(split!.routes.length).toBeGreaterThan(50_000);
        expect(JSON.parse(split!.rules).map((r: { priority: number }) => r.priority)).toEqual([0, 1000, 1100, 1200, 32766, 32767]);
      } else {
        expect(JSON.parse(split!.routes).some((r: { type?: string }) => r.type === 'unreachable')).toBe(true);
      }
    });
  }

  it('the interfaces and IPv4 routing in one batch: its three lines are the three commands\' own output', async () => {
    const batched = await runAsync(['ip', 'netns', 'exec', ns, ...ADDR_IPV4_BATCH.argv], ADDR_IPV4_BATCH.input);
    const split = splitAddrIpv4Batch({ ok: true, ...batched });
    expect(split).not.toBeNull();
    expect(split!.addr).toBe(runIn(ns, IP_ADDR));
    expect(split!.routes).toBe(runIn(ns, ['ip', '-j', '-4', 'route', 'show', 'table', 'all']));
    expect(split!.rules).toBe(runIn(ns, ['ip', '-j', '-4', 'rule', 'show']));
    expect(batched.stderr).toBe('');
    const routes = JSON.parse(split!.routes) as { dst: string; table?: string; type?: string }[];
    expect(routes.length).toBeGreaterThan(1000);
    expect(routes.filter((r) => r.dst === 'default').map((r) => r.table ?? 'main').sort()).toEqual(['100', '300', 'main']);
    expect(routes.some((r) => r.dst === '10.68.0.0/16')).toBe(true);
    expect(JSON.parse(split!.addr).map((i: { ifname: string }) => i.ifname)).toEqual(expect.arrayContaining(['lo', 'eth0', 'eth1', 'eth0-peer']));
  });

  it('a batch stopped by a failing command is not two answers', async () => {
    const r = await runAsync(['ip', 'netns', 'exec', ns, 'ip', '-j', '-4', '-batch', '-'], 'route show table all\nrule show table no-such-table\n');
    expect(r.code).not.toBe(0);
    expect(splitRoutingBatch({ ok: true, ...r })).toBeNull();
  });
});
