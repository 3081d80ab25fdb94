import { describe, expect, it } from 'vitest';
import { ACCEPT, DROP, ModelBuilder, TEST_INTERFACES } from '../../../test/helpers/model-builder.js';
import { addressFacts } from '../../model/host-facts.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { FirewallModel } from '../../model/ruleset.js';
import { natWalks } from '../published.js';
import { TCP, arrivalSet } from './arrival.js';
import type { WalkEvent } from './evaluate-chain.js';
import { PacketPath } from './packet-path.js';
import { PreroutingShare } from './prerouting-share.js';

const facts = addressFacts(TEST_INTERFACES);

function pathOf(model: FirewallModel): PacketPath {
  return new PacketPath(model, { family: 'ipv4', localAddrs: facts.local.ipv4 as never, redirectAddrs: facts.remoteReachable.ipv4 as never, subnets: [], forwarding: true });
}

/** A slice walked on its own through ingress and prerouting, as the audit did before sharing. */
function ownWalk(path: PacketPath, arrival: PacketSet): { passed: PacketSet; events: WalkEvent[] } {
  const events: WalkEvent[] = [];
  path.walker.events = events;
  const passed = path.runHook('prerouting', path.runHook('ingress', arrival).passed).passed;
  path.walker.events = null;
  return { passed, events };
}

function sameSet(a: PacketSet, b: PacketSet): boolean {
  return a.isSubsetOf(b) && b.isSubsetOf(a);
}

function shareOf(path: PacketPath): PreroutingShare {
  const walk = natWalks(path, facts, 'ipv4').find((w) => w.proto === TCP)!;
  const share = PreroutingShare.of(walk);
  expect(share).not.toBeNull();
  return share!;
}

/** kube-proxy's shape: a NodePort chain per port, a DNAT matching any port, a REDIRECT, and a filter chain after NAT. */
function publishingModel(): FirewallModel {
  const b = new ModelBuilder('ipv4');
  const sep = b.chain('nat', 'SEP', [{ src: ['198.51.100.9/32'], action: DROP }, { proto: 'tcp', action: { type: 'dnat', addr: [0xac110002, 0xac110003], ports: [80, 81] } }]);
  const nodeports = b.chain('nat', 'NODEPORTS', [
    { proto: 'tcp', dport: 30001, action: { type: 'jump', chain: sep } },
    { proto: 'tcp', dport: 30002, src: ['203.0.113.0/24'], action: { type: 'jump', chain: sep } },
  ]);
  b.base('nat', 'PREROUTING', 'prerouting', -100, 'accept', [{ action: { type: 'jump', chain: nodeports } }, { proto: 'tcp', dport: 2222, action: { type: 'dnat', ports: [22, 23], toLocal: true } }], 'nat');
  b.base('filter', 'late', 'prerouting', 10, 'accept', [{ proto: 'tcp', dport: 80, src: ['192.0.2.0/25'], action: DROP }, { proto: 'tcp', dport: 30002, action: ACCEPT }]);
  return b.model;
}

describe('a shared prerouting walk cut to one slice', () => {
  it('gives the slice its own walk: the same packets through, the same events in the same order', () => {
    const model = publishingModel();
    const share = shareOf(pathOf(model));
    for (const port of [30001, 30002, 2222, 22, 80, 65000]) {
      const ports = I.range(port, port + 1) as DimSet;
      const arrival = arrivalSet({ family: 'ipv4', proto: TCP, ports, facts });
      const own = ownWalk(pathOf(model), arrival);
      const cut = share.cut(arrival, ports)!;
      expect(sameSet(cut.passed, own.passed), `port ${port}`).toBe(true);
      expect(cut.events.map((e) => [e.chain.name, e.rule?.position ?? null, e.verdict])).toEqual(own.events.map((e) => [e.chain.name, e.rule?.position ?? null, e.verdict]));
      cut.events.forEach((e, i) => expect(sameSet(e.set, own.events[i]!.set), `port ${port} event ${i}`).toBe(true));
    }
  });

  it('keeps a DNATed packet that a later chain drops by its new port out of other slices', () => {
    const share = shareOf(pathOf(publishingModel()));
    const ports = I.range(30001, 30002) as DimSet;
    const cut = share.cut(arrivalSet({ family: 'ipv4', proto: TCP, ports, facts }), ports)!;
    // The late filter chain sees the packet with its rewritten port 80: its drop belongs to this slice.
    expect(cut.events.some((e) => e.chain.name === 'late' && e.verdict === 'drop')).toBe(true);
    const other = I.range(30003, 30004) as DimSet;
    const none = share.cut(arrivalSet({ family: 'ipv4', proto: TCP, ports: other, facts }), other)!;
    expect(none.events.some((e) => e.verdict === 'dnat' || (e.chain.name === 'late' && e.verdict === 'drop'))).toBe(false);
  });

  it('declines an arrival outside the shared walk', () => {
    const share = shareOf(pathOf(publishingModel()));
    const ports = I.range(30001, 30002) as DimSet;
    const elsewhere = arrivalSet({ family: 'ipv4', proto: TCP, ports, facts, dst: I.range(0x0a000001, 0x0a000002) as DimSet });
    expect(share.cut(elsewhere, ports)).toBeNull();
  });
});

describe('a shared prerouting walk is not used', () => {
  it('when a NOTRACK follows a DNAT (the DNAT flag that marks the original port is gone)', () => {
    const b = new ModelBuilder('ipv4');
    b.base('nat', 'PREROUTING', 'prerouting', -100, 'accept', [{ proto: 'tcp', dport: 30001, action: { type: 'dnat', addr: [0xac110002, 0xac110003] } }], 'nat');
    b.base('raw', 'late', 'prerouting', 10, 'accept', [{ action: { type: 'notrack' } }]);
    const walk = natWalks(pathOf(b.model), facts, 'ipv4').find((w) => w.proto === TCP)!;
    expect(PreroutingShare.of(walk)).toBeNull();
  });

  it('when a DNAT keeps the port of packets on several ports (each cube would record all of them as original)', () => {
    const b = new ModelBuilder('ipv4');
    b.base('nat', 'PREROUTING', 'prerouting', -100, 'accept', [{ proto: 'tcp', dport: [9100, 9101], action: { type: 'dnat', addr: [0xac110002, 0xac110003] } }], 'nat');
    const walk = natWalks(pathOf(b.model), facts, 'ipv4').find((w) => w.proto === TCP)!;
    expect(PreroutingShare.of(walk)).toBeNull();
    // The slice's own walk keeps the pair: what arrived on 9101 is on 9101 still.
    const ports = I.range(9101, 9102) as DimSet;
    const own = ownWalk(pathOf(b.model), arrivalSet({ family: 'ipv4', proto: TCP, ports, facts }));
    expect(own.passed.project(Dim.Dport)).toEqual(ports);
    expect(own.passed.project(Dim.OrigDport)).toEqual(ports);
  });

  it('when a DNAT keeps the address of packets on several addresses', () => {
    const b = new ModelBuilder('ipv4');
    b.base('nat', 'PREROUTING', 'prerouting', -100, 'accept', [{ proto: 'tcp', dport: 30001, action: { type: 'dnat', ports: [8080, 8081] } }], 'nat');
    const walk = natWalks(pathOf(b.model), facts, 'ipv4').find((w) => w.proto === TCP)!;
    expect(PreroutingShare.of(walk)).toBeNull();
  });

  it('but not for a DNAT to one address and port, nor a port kept on one port', () => {
    const b = new ModelBuilder('ipv4');
    b.base('nat', 'PREROUTING', 'prerouting', -100, 'accept', [
      { proto: 'tcp', dport: 9100, action: { type: 'dnat', addr: [0xac110002, 0xac110003] } },
      { proto: 'tcp', dport: [30000, 30100], action: { type: 'dnat', addr: [0xac110002, 0xac110003], ports: [80, 81] } },
    ], 'nat');
    const walk = natWalks(pathOf(b.model), facts, 'ipv4').find((w) => w.proto === TCP)!;
    expect(PreroutingShare.of(walk)).not.toBeNull();
  });

  it('when a memoised chain ran (its summaries count the rules the shared packets met)', () => {
    const b = new ModelBuilder('ipv4');
    const blocklist = b.chain('raw', 'blocklist', Array.from({ length: 12 }, (_, i) => ({ src: [`203.0.113.${i * 2}/32`], action: DROP })));
    b.base('raw', 'PREROUTING', 'prerouting', -300, 'accept', [{ action: { type: 'jump', chain: blocklist } }]);
    const walk = natWalks(pathOf(b.model), facts, 'ipv4').find((w) => w.proto === TCP)!;
    expect(walk.memoised).toBe(true);
    expect(PreroutingShare.of(walk)).toBeNull();
  });

  it('when the arrival packets are in more than one conntrack state', () => {
    const walk = natWalks(pathOf(publishingModel()), facts, 'ipv4').find((w) => w.proto === TCP)!;
    const twoStates = walk.arrival.union(walk.arrival.rewrite(7, I.range(1, 2) as DimSet));
    expect(PreroutingShare.of({ ...walk, arrival: twoStates })).toBeNull();
  });
});
