import { describe, expect, it } from 'vitest';
import { type FakeHost, fakeHostIO } from './fake-host-io.js';
import { splitRoutingBatch } from './ip-reads.js';
import { ROUTING_ALONE as ONE_BY_ONE, fixtureLine as line } from './multihomed-ip-fixture.js';
import { collectRouting } from './routing.js';
import { UnreadableLog } from './unreadable-log.js';

const BATCHED: FakeHost['commands'] = {
  'ip -j -4 -batch -': line('multihomed.ip4-route.json') + line('multihomed.ip4-rule.json'),
  'ip -j -6 -batch -': line('multihomed.ip6-route.json') + line('multihomed.ip6-rule.json'),
};

async function collect(commands: FakeHost['commands']) {
  const io = fakeHostIO({ commands });
  const log = new UnreadableLog();
  return { routing: await collectRouting(io, log), calls: io.calls, unreadable: log.entries };
}

describe('collectRouting', () => {
  it('one `ip -batch` per family gives what the four commands give, and runs nothing else', async () => {
    const batched = await collect(BATCHED);
    const alone = await collect(ONE_BY_ONE);
    expect(batched.routing).toEqual(alone.routing);
    expect(batched.routing.ipv4!.rules.map((r) => r.priority)).toEqual([0, 1000, 1100, 1200, 32766, 32767]);
    expect(batched.calls.sort()).toEqual(['ip -j -4 -batch -', 'ip -j -6 -batch -']);
    expect(batched.unreadable).toEqual([]);
  });

  it('a batch that failed or printed other than two lines: the commands one by one, whose failure is the one logged', async () => {
    const r = await collect({
      ...ONE_BY_ONE,
      'ip -j -4 -batch -': { ok: true, code: 1, stdout: line('multihomed.ip4-route.json'), stderr: 'Command failed -:2\n' },
      'ip -j -6 -batch -': line('multihomed.ip6-route.json'),
      'ip -j -6 rule show': { ok: true, code: 2, stdout: '', stderr: 'RTNETLINK answers: Address family not supported by protocol\n' },
    });
    expect(r.calls.sort()).toEqual(['ip -j -4 -batch -', 'ip -j -4 route show table all', 'ip -j -4 rule show', 'ip -j -6 -batch -', 'ip -j -6 route show table all', 'ip -j -6 rule show']);
    expect(r.routing.ipv4).toEqual((await collect(ONE_BY_ONE)).routing.ipv4);
    expect(r.routing.ipv6).toBeNull();
    expect(r.unreadable).toEqual([{ what: 'ipv6 routing (ip -j -6 rule show)', reason: 'exit code 2: RTNETLINK answers: Address family not supported by protocol' }]);
  });

  it('without ip at all: each command is reported as before', async () => {
    const r = await collect({});
    expect(r.routing).toEqual({ ipv4: null, ipv6: null });
    expect(r.unreadable.map((u) => u.what)).toEqual(['ipv4 routing (ip -j -4 route show table all)', 'ipv4 routing (ip -j -4 rule show)', 'ipv6 routing (ip -j -6 route show table all)', 'ipv6 routing (ip -j -6 rule show)']);
  });
});

describe('splitRoutingBatch', () => {
  const ok = (stdout: string) => ({ ok: true as const, code: 0, stdout, stderr: '' });
  it('two newline-ended lines are the two answers', () => {
    expect(splitRoutingBatch(ok('[{"dst":"default"}]\n[]\n'))).toEqual({ routes: '[{"dst":"default"}]\n', rules: '[]\n' });
  });
  it('anything else is not trusted', () => {
    for (const stdout of ['', '[]\n', '[]\n[]', '[]\n[]\n[]\n']) expect(splitRoutingBatch(ok(stdout)), JSON.stringify(stdout)).toBeNull();
    expect(splitRoutingBatch({ ok: true, code: 1, stdout: '[]\n[]\n', stderr: '' })).toBeNull();
    expect(splitRoutingBatch({ ok: false, error: 'ENOENT', message: 'spawn ip ENOENT' })).toBeNull();
  });
});
