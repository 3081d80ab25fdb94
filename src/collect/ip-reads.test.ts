import { describe, expect, it } from 'vitest';
import { type FakeHost, fakeHostIO } from './fake-host-io.js';
import { collectInterfaces } from './interfaces.js';
import { readIp, splitAddrIpv4Batch } from './ip-reads.js';
import { ROUTING_ALONE, fixtureLine as line, routingFixture } from './multihomed-ip-fixture.js';
import { collectRouting } from './routing.js';
import { UnreadableLog } from './unreadable-log.js';

const ALONE: FakeHost['commands'] = { 'ip -j addr show': routingFixture('multihomed.ip-addr.json'), ...ROUTING_ALONE };
const ADDR_IPV4 = line('multihomed.ip-addr.json') + line('multihomed.ip4-route.json') + line('multihomed.ip4-rule.json');
const BATCHED: FakeHost['commands'] = {
  'ip -j -batch -': ADDR_IPV4,
  'ip -j -6 -batch -': line('multihomed.ip6-route.json') + line('multihomed.ip6-rule.json'),
};

/** Interfaces and routing as collectSnapshot reads them, through one readIp. */
async function collect(commands: FakeHost['commands']) {
  const io = fakeHostIO({ commands });
  // One log per part, joined in collectSnapshot's order.
  const logs = { interfaces: new UnreadableLog(), routing: new UnreadableLog() };
  const ip = readIp(io);
  const [interfaces, routes] = await Promise.all([collectInterfaces(io, logs.interfaces, ip.addr), collectRouting(io, logs.routing, ip)]);
  return { interfaces, routing: routes, calls: io.calls, unreadable: [...logs.interfaces.entries, ...logs.routing.entries] };
}

describe('readIp', () => {
  it('two `ip` processes give what the five commands give, and nothing else runs', async () => {
    const batched = await collect(BATCHED);
    const alone = await collect(ALONE);
    expect(batched.calls).toEqual(['ip -j -batch -', 'ip -j -6 -batch -']);
    expect(batched.interfaces).toEqual(alone.interfaces);
    expect(batched.routing).toEqual(alone.routing);
    expect(batched.interfaces).toHaveLength(7);
    expect(batched.routing.ipv4!.rules.map((r) => r.priority)).toEqual([0, 1000, 1100, 1200, 32766, 32767]);
    expect(batched.unreadable).toEqual([]);
  });

  it('a batch that failed part way: the interfaces and IPv4 routing command by command, the failing one logged', async () => {
    const r = await collect({
      ...ALONE,
      ...BATCHED,
      'ip -j -batch -': { ok: true, code: 1, stdout: line('multihomed.ip-addr.json') + line('multihomed.ip4-route.json'), stderr: 'Command failed -:3\n' },
      'ip -j -4 rule show': { ok: true, code: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted\n' },
    });
    expect(r.calls).toEqual(['ip -j -batch -', 'ip -j -6 -batch -', 'ip -j addr show', 'ip -j -4 route show table all', 'ip -j -4 rule show']);
    expect(r.interfaces).toEqual((await collect(ALONE)).interfaces);
    expect(r.routing.ipv4).toBeNull();
    expect(r.routing.ipv6).toEqual((await collect(ALONE)).routing.ipv6);
    expect(r.unreadable).toEqual([{ what: 'ipv4 routing (ip -j -4 rule show)', reason: 'exit code 2: RTNETLINK answers: Operation not permitted' }]);
  });

  it('without ip at all: each command is reported as before', async () => {
    const r = await collect({});
    expect(r.routing).toEqual({ ipv4: null, ipv6: null });
    expect(r.unreadable.map((u) => u.what)).toEqual([
      'interfaces (ip -j addr show)',
      'interfaces (/sys/class/net)',
      'ipv4 routing (ip -j -4 route show table all)',
      'ipv4 routing (ip -j -4 rule show)',
      'ipv6 routing (ip -j -6 route show table all)',
      'ipv6 routing (ip -j -6 rule show)',
    ]);
  });
});

describe('splitAddrIpv4Batch', () => {
  const ok = (stdout: string) => ({ ok: true as const, code: 0, stdout, stderr: '' });
  it('three newline-ended lines are the three answers', () => {
    expect(splitAddrIpv4Batch(ok('[{"ifname":"lo"}]\n[{"dst":"default","gateway":"192.0.2.1"}]\n[]\n'))).toEqual({ addr: '[{"ifname":"lo"}]\n', routes: '[{"dst":"default","gateway":"192.0.2.1"}]\n', rules: '[]\n' });
    // An IPv4 route through an IPv6 next hop (RFC 5549) is still IPv4's.
    expect(splitAddrIpv4Batch(ok('[]\n[{"dst":"10.9.0.0/16","via":{"family":"inet6","host":"fe80::1"}}]\n[]\n'))).not.toBeNull();
  });
  it('an IPv6 route among IPv4 routes (an iproute2 whose `root` ignores the family) refuses the batch', () => {
    expect(splitAddrIpv4Batch(ok('[]\n[{"dst":"default"},{"type":"local","dst":"::1","table":"local"}]\n[]\n'))).toBeNull();
  });
  it('anything but three lines is not trusted', () => {
    for (const stdout of ['', '[]\n[]\n', '[]\n[]\n[]', '[]\n[]\n[]\n[]\n']) expect(splitAddrIpv4Batch(ok(stdout)), JSON.stringify(stdout)).toBeNull();
    expect(splitAddrIpv4Batch({ ok: true, code: 1, stdout: '[]\n[]\n[]\n', stderr: '' })).toBeNull();
    expect(splitAddrIpv4Batch({ ok: false, error: 'ENOENT', message: 'spawn ip ENOENT' })).toBeNull();
  });
});
