/**
 * Portcullis against the kernel on a multi-homed server: rules by input interface (iptables,
 * ufw, nft `iifname`), both families, with routes and policy rules that put each source on
 * one link, and a link-local-only service. No flow names its interface: the engine derives
 * it from the snapshot's routing table. Every flow is compared with `explain`, and every
 * (service, source) pair with `audit`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printAgreement, type Agreement } from './harness/compare.js';
import { run } from './harness/exec.js';
import type { ListenerSpec, ProbedFlow, Proto } from './harness/flows.js';
import { kernelSkipReason } from './harness/preflight.js';
import { type LoadStep, type Scenario, runScenario } from './harness/scenario.js';
import { iptablesPair } from './harness/suite.js';
import type { Client, Topology } from './harness/topology.js';
import { runUfw } from './harness/ufw.js';
import { type AuditCheck, auditingPredictor } from './harness/audit-compare.js';

const ip = (ns: string, ...args: string[]): void => void run(['ip', '-n', ns, ...args]);

/**
 * Routing on the server beyond the connected links (the topology already routes
 * 203.0.113.0/24, 198.51.100.128/25 and 2001:db8:2::/64 to client A):
 * - 203.0.113.77 and 2001:db8:2::99 have no way back in the main table (unreachable, blackhole);
 * - replies from 198.51.100.1 / 2001:db8:3::1 (client B's side) use table 100, where
 *   203.0.113.0/24 is routed (so .77 reaches that address), 198.51.100.128/25 is prohibited
 *   and 2001:db8:2::/64 unreachable.
 */
const policyRouting: LoadStep = {
  what: 'routes and policy rules',
  run: (s) => {
    ip(s, 'route', 'add', 'unreachable', '203.0.113.77/32');
    ip(s, '-6', 'route', 'add', 'blackhole', '2001:db8:2::99/128');
    ip(s, 'rule', 'add', 'from', '198.51.100.1', 'lookup', '100', 'pref', '1000');
    ip(s, 'route', 'add', '198.51.100.0/25', 'dev', 'eth-b', 'table', '100');
    ip(s, 'route', 'add', '192.0.2.0/24', 'dev', 'eth-a', 'table', '100');
    ip(s, 'route', 'add', '203.0.113.0/24', 'via', '192.0.2.10', 'dev', 'eth-a', 'table', '100');
    ip(s, 'route', 'add', 'prohibit', '198.51.100.128/25', 'table', '100');
    ip(s, '-6', 'rule', 'add', 'from', '2001:db8:3::1', 'lookup', '100', 'pref', '1000');
    ip(s, '-6', 'route', 'add', '2001:db8:3::/64', 'dev', 'eth-b', 'table', '100');
    ip(s, '-6', 'route', 'add', '2001:db8:1::/64', 'dev', 'eth-a', 'table', '100');
    ip(s, '-6', 'route', 'add', 'unreachable', '2001:db8:2::/64', 'table', '100');
  },
};

const PORTS: Array<{ proto: Proto; port: number }> = [
  ...[22, 80, 443, 2222, 8080, 8443, 9000, 9001, 23].map((port) => ({ proto: 'tcp' as const, port })),
  ...[53, 123, 5353, 161].map((port) => ({ proto: 'udp' as const, port })),
];

/** Every source of both clients; TCP to both server addresses of the family, UDP to the own link's. */
function everySourceBothLinks(topo: Topology): ProbedFlow[] {
  const flows: ProbedFlow[] = [];
  for (const c of [topo.a, topo.b]) {
    const other = c === topo.a ? topo.b : topo.a;
    for (const p of PORTS) {
      for (const [sources, own, far] of [[c.sourcesV4, c.serverV4, other.serverV4], [c.sourcesV6, c.serverV6, other.serverV6]] as const) {
        for (const from of sources) {
          flows.push({ client: c.ns, from, to: own, ...p });
          if (p.proto === 'tcp') flows.push({ client: c.ns, from, to: far, ...p });
        }
      }
    }
  }
  return flows;
}

/** The IPv6 link-local address of a namespace's interface. */
function linkLocal(ns: string, dev: string): string {
  const out = JSON.parse(run(['ip', '-n', ns, '-j', '-6', 'addr', 'show', 'dev', dev])) as Array<{ addr_info?: Array<{ local: string; scope: string }> }>;
  const addr = out.flatMap((l) => l.addr_info ?? []).find((a) => a.scope === 'link')?.local;
  if (!addr) throw new Error(`no link-local address on ${ns} ${dev}`);
  return addr;
}

const LINK_LISTENERS: ListenerSpec[] = [
  { proto: 'udp', host: '::', port: 546 },
  { proto: 'tcp', host: '::', port: 22 },
  { proto: 'tcp', host: '::', port: 80 },
];

/**
 * Each client to the server's link-local address on its own link and to its global one:
 * TCP from every IPv6 source, UDP from the client's link-local address only (a wildcard UDP
 * socket answers from the address routing picks, which for a global peer is not fe80).
 */
function linkLocalFlows(topo: Topology): ProbedFlow[] {
  const flows: ProbedFlow[] = [];
  for (const c of [topo.a, topo.b] as Client[]) {
    const serverLl = `${linkLocal(topo.server, c.serverIface)}%eth0`;
    const clientLl = `${linkLocal(c.ns, 'eth0')}%eth0`;
    for (const to of [serverLl, c.serverV6]) {
      for (const from of [clientLl, ...c.sourcesV6]) for (const port of [22, 80, 23]) flows.push({ client: c.ns, from, to, proto: 'tcp', port });
      flows.push({ client: c.ns, from: clientLl, to, proto: 'udp', port: 546 });
      flows.push({ client: c.ns, from: clientLl, to, proto: 'udp', port: 547 });
    }
  }
  return flows;
}

const scenarios: Array<Scenario & { tools: string[] }> = [
  { name: 'routes: iptables -i, policy routing', load: [policyRouting, ...iptablesPair('routes-iface')], flows: everySourceBothLinks, tools: ['iptables-restore', 'ip6tables-restore'] },
  { name: 'routes: nft iifname, policy routing', load: [policyRouting, { tool: 'nft', file: 'routes-iifname.nft' }], flows: everySourceBothLinks, tools: ['nft'] },
  {
    name: 'routes: ufw allow in on',
    load: [
      policyRouting,
      {
        what: 'ufw',
        run: (server) => {
          runUfw(server, [
            ['default', 'deny', 'incoming'],
            ['allow', 'in', 'on', 'eth-a', 'to', 'any', 'port', '22', 'proto', 'tcp'],
            ['allow', 'in', 'on', 'eth-b', 'to', 'any', 'port', '9000', 'proto', 'tcp'],
            ['allow', 'in', 'on', 'eth-b', 'to', 'any', 'port', '53', 'proto', 'udp'],
            ['allow', 'in', 'on', 'eth-a', 'from', '203.0.113.0/24', 'to', 'any', 'port', '2222', 'proto', 'tcp'],
            ['allow', 'in', 'on', 'eth-a', 'from', '2001:db8:2::/64', 'to', 'any', 'port', '2222', 'proto', 'tcp'],
            ['reject', 'in', 'on', 'eth-a', 'to', 'any', 'port', '80', 'proto', 'tcp'],
            ['allow', '80/tcp'],
            ['deny', 'in', 'on', 'eth-b', 'to', 'any', 'port', '8080'],
            ['allow', '8080/tcp'],
            ['--force', 'enable'],
          ]);
        },
      },
    ],
    flows: everySourceBothLinks,
    tools: ['ufw', 'iptables-restore', 'ip6tables-restore', 'unshare'],
  },
  { name: 'link-local only: dhcpv6-client (firewalld)', load: [{ tool: 'nft', file: 'link-local-dhcpv6.nft' }], listeners: LINK_LISTENERS, flows: linkLocalFlows, tools: ['nft'] },
];

/** The server interface a source address sits behind (client A: eth-a, client B: eth-b). */
function linkOfFor(topo: () => Topology | null): (from: string) => string {
  return (from) => {
    const t = topo();
    const bare = from.split('%')[0]!;
    if (!t) return '?';
    if ([...t.b.sourcesV4, ...t.b.sourcesV6].includes(bare)) return 'eth-b';
    if ([...t.a.sourcesV4, ...t.a.sourcesV6].includes(bare)) return 'eth-a';
    return bare === linkLocal(t.b.ns, 'eth0') ? 'eth-b' : 'eth-a';
  };
}

const rows: Agreement[] = [];
const audits: Array<{ name: string; check: AuditCheck }> = [];
describe('kernel: arrival interfaces from routes', () => {
  afterAll(() => {
    printAgreement(rows);
    for (const a of audits) console.log(`audit ${a.name}: ${a.check.pairs} (service, source) pairs, ${a.check.disagree.length} disagree`);
  });
  for (const s of scenarios) {
    const skip = kernelSkipReason(s.tools);
    it.skipIf(skip !== null)(skip ? `${s.name} (skipped: ${skip})` : s.name, async () => {
      let topo: Topology | null = null;
      let check: AuditCheck | null = null;
      const flows = s.flows as (t: Topology, l: ListenerSpec[]) => ProbedFlow[];
      const scenario: Scenario = { ...s, flows: (t, l) => ((topo = t), flows(t, l)) };
      const r = await runScenario(scenario, auditingPredictor(linkOfFor(() => topo), (c) => (check = c)));
      rows.push(r);
      expect(r.flows).toBeGreaterThan(0);
      expect(r.disagree.map((d) => `${d.flow.proto} ${d.flow.from} -> ${d.flow.to}:${d.flow.port}: engine ${d.engine}, kernel ${d.got}`)).toEqual([]);
      expect(check).not.toBeNull();
      audits.push({ name: s.name, check: check! });
      expect(check!.pairs).toBeGreaterThan(0);
      expect(check!.disagree).toEqual([]);
      // Both outcomes occur: the scenario really separates the links.
      expect(Object.keys(r.byResult).length).toBeGreaterThan(1);
    }, 180_000);
  }
});
