/**
 * An audit of a multi-homed host: eth0 faces the world (default route), mgmt0 a management
 * network (10.99.0.0/24 plus 10.98.0.0/16 behind a router), with rules by input interface.
 * Routes and rules are written as `ip -j` prints them and go through the real parsers.
 */
import { describe, expect, it } from 'vitest';
import { buildAuditReport } from '../../src/analyze/audit/index.js';
import { SNAPSHOT_FORMAT, type NetInterface, type Snapshot, type Socket } from '../../src/model/snapshot.js';
import { parseIpRouteJson, parseIpRuleJson } from '../../src/parse/ip-route-json.js';
import { analyzeHost, explainFlow, loadHost } from '../../src/pipeline.js';
import { renderAuditHtml } from '../../src/render/html/audit-html.js';
import { renderAuditJson, renderExplainJson } from '../../src/render/json/audit-json.js';
import { renderAuditText } from '../../src/render/terminal/audit-text.js';
import { renderExplainText } from '../../src/render/terminal/explain-text.js';
import { validator } from '../render/load.js';

const ROUTES_V4 = JSON.stringify([
  { dst: 'default', gateway: '192.0.2.254', dev: 'eth0', flags: [] },
  { dst: '10.98.0.0/16', gateway: '10.99.0.254', dev: 'mgmt0', flags: [] },
  { type: 'blackhole', dst: '10.97.0.0/16', flags: [] },
  { dst: '10.99.0.0/24', dev: 'mgmt0', protocol: 'kernel', scope: 'link', prefsrc: '10.99.0.1', flags: [] },
  { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.1', flags: [] },
  { type: 'local', dst: '10.99.0.1', dev: 'mgmt0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '10.99.0.1', flags: [] },
  { type: 'local', dst: '192.0.2.1', dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '192.0.2.1', flags: [] },
]);
const ROUTES_V6 = JSON.stringify([
  { dst: '2001:db8:1::/64', dev: 'eth0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
  { dst: 'fd00:99::/64', dev: 'mgmt0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
  { dst: 'fe80::/64', dev: 'eth0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
  { dst: 'fe80::/64', dev: 'mgmt0', protocol: 'kernel', metric: 256, flags: [], pref: 'medium' },
  { dst: 'default', gateway: '2001:db8:1::fe', dev: 'eth0', metric: 1024, flags: [], pref: 'medium' },
]);
const RULES = JSON.stringify([
  { priority: 0, src: 'all', table: 'local' },
  { priority: 32766, src: 'all', table: 'main' },
  { priority: 32767, src: 'all', table: 'default' },
]);

const IPTABLES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -i mgmt0 -p tcp -m tcp --dport 9100 -j ACCEPT
COMMIT
`;
const IP6TABLES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -i mgmt0 -p tcp -m tcp --dport 9100 -j ACCEPT
-A INPUT -d fe80::/64 -p udp -m udp --dport 546 -j ACCEPT
COMMIT
`;

const iface = (name: string, index: number, v4: string, v6: string[]): NetInterface => ({
  name,
  index,
  up: true,
  loopback: false,
  linkType: 'ether',
  operState: 'UP',
  addresses: [
    { family: 'ipv4', address: v4, prefixLength: 24, scope: 'global' },
    ...v6.map((a) => ({ family: 'ipv6' as const, address: a, prefixLength: 64, scope: a.startsWith('fe80') ? 'link' : 'global' })),
  ],
});

const sock = (proto: 'tcp' | 'udp', family: 'ipv4' | 'ipv6', address: string, port: number, name: string): Socket => ({
  proto,
  family,
  address,
  port,
  v6only: family === 'ipv6' ? false : null,
  device: null,
  uid: 0,
  inode: port,
  process: { pid: port, name, cmdline: [name], user: 'root' },
});

function snapshot(withRoutes: boolean, sysctls: Record<string, string> = {}): Snapshot {
  const s: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: 1,
    collectedAt: '2026-12-02T03:00:00.000Z',
    tool: { name: 'portcullis', version: 'test' },
    host: { hostname: 'mh', kernel: null },
    privileges: { uid: 0, euid: 0, root: true },
    interfaces: [
      { name: 'lo', index: 1, up: true, loopback: true, addresses: [{ family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' }] },
      iface('eth0', 2, '192.0.2.1', ['2001:db8:1::1', 'fe80::1']),
      iface('mgmt0', 3, '10.99.0.1', ['fd00:99::1', 'fe80::2']),
    ],
    sockets: [sock('tcp', 'ipv6', '::', 22, 'sshd'), sock('tcp', 'ipv6', '::', 9100, 'node_exporter'), sock('udp', 'ipv6', '::', 546, 'dhclient')],
    firewall: [
      { kind: 'iptables-save', backend: 'nft', command: ['iptables-nft-save'], status: 'ok', content: IPTABLES },
      { kind: 'ip6tables-save', backend: 'nft', command: ['ip6tables-nft-save'], status: 'ok', content: IP6TABLES },
    ],
    sysctls,
    unreadable: [],
  };
  if (withRoutes) {
    s.routing = {
      ipv4: { routes: parseIpRouteJson(ROUTES_V4, 'r4', 'ipv4').value!, rules: parseIpRuleJson(RULES, 'p4', 'ipv4').value! },
      ipv6: { routes: parseIpRouteJson(ROUTES_V6, 'r6', 'ipv6').value!, rules: parseIpRuleJson(RULES, 'p6', 'ipv6').value! },
    };
  }
  return s;
}

function report(withRoutes: boolean) {
  const analysis = analyzeHost(loadHost(snapshot(withRoutes), 'mh.json'));
  return buildAuditReport([analysis], null, new Date('2026-12-02T04:00:00Z'));
}

function audit(withRoutes: boolean) {
  return report(withRoutes).hosts[0]!;
}

describe('audit of a multi-homed host', () => {
  const host = audit(true);
  const svc = (port: number) => host.services.find((s) => s.port === port)!;

  it('node_exporter open only on the management interface is internal, with its networks', () => {
    expect(svc(9100).exposure).toBe('internal');
    expect(svc(9100).interfaces).toEqual([{ name: 'mgmt0', sources: { ipv4: ['10.98.0.0/16', '10.99.0.0/24'], ipv6: ['fd00:99::/64', 'fe80::/64'] } }]);
    // The blackholed 10.97/16 and the host's own mgmt0 routes: nobody else.
    expect(svc(9100).sources.ipv4).toEqual(['10.98.0.0/16', '10.99.0.0/24']);
  });

  it('ssh open on every interface: world, each interface with the sources routed through it', () => {
    expect(svc(22).exposure).toBe('world');
    expect(svc(22).interfaces!.map((i) => i.name)).toEqual(['eth0', 'mgmt0']);
    expect(svc(22).interfaces![1]!.sources.ipv4).toEqual(['10.98.0.0/16', '10.99.0.0/24']);
    expect(svc(22).interfaces![0]!.sources.ipv4).not.toContain('10.97.0.0/16');
  });

  it('the DHCPv6 client port admitted for fe80::/64 only is reachable from the link: internal, on-link sources', () => {
    const d = svc(546);
    expect(d.linkScoped).toEqual(['ipv6']);
    expect(d.exposure).toBe('internal');
    // On-link: the connected prefixes of each link and link-local sources, not the world behind the gateway.
    expect(d.sources.ipv6).toEqual(['2001:db8:1::/64', 'fd00:99::/64', 'fe80::/10']);
    expect(d.interfaces!.map((i) => [i.name, i.sources.ipv6])).toEqual([
      ['eth0', ['2001:db8:1::/64', 'fe80::/10']],
      ['mgmt0', ['fd00:99::/64', 'fe80::/64']],
    ]);
  });

  it('an older snapshot without routes keeps the old answer and says why', () => {
    const old = audit(false);
    expect(old.services.find((s) => s.port === 9100)!.exposure).toBe('world');
    expect(old.services.find((s) => s.port === 9100)!.interfaces).toBeUndefined();
    expect(old.diagnostics.map((d) => d.code)).toContain('collect.no-routes');
    expect(host.diagnostics.map((d) => d.code)).not.toContain('collect.no-routes');
  });

  it('explain derives the interface and names the route', () => {
    const loaded = loadHost(snapshot(true), 'mh.json');
    const a = explainFlow(loaded, { from: '10.98.3.4', to: '10.99.0.1', port: 9100, proto: 'tcp' });
    expect(a.state).toBe('open');
    expect(a.arrival).toEqual([{ iface: 'mgmt0', route: 'route 10.98.0.0/16 via 10.99.0.254 dev mgmt0' }]);
    expect(a.notes).toContain('arrives on mgmt0: route 10.98.0.0/16 via 10.99.0.254 dev mgmt0');
    const w = explainFlow(loaded, { from: '203.0.113.9', to: '10.99.0.1', port: 9100, proto: 'tcp' });
    expect(w.state).toBe('filtered');
    expect(w.arrival).toEqual([{ iface: 'eth0', route: 'route default via 192.0.2.254 dev eth0' }]);
    const b = explainFlow(loaded, { from: '10.97.1.1', to: '10.99.0.1', port: 22, proto: 'tcp' });
    expect(b.state).toBe('filtered');
    expect(b.arrival).toEqual([]);
    expect(b.notes.join(' ')).toMatch(/no route back to 10\.97\.1\.1 \(route blackhole 10\.97\.0\.0\/16\)/);
    // --iface still pins one.
    const pinned = explainFlow(loaded, { from: '203.0.113.9', to: '10.99.0.1', port: 9100, proto: 'tcp', iface: 'mgmt0' });
    expect(pinned.state).toBe('open');
    expect(pinned.arrival).toBeUndefined();
  });

  it('every format shows the interfaces: JSON (valid), text, HTML path view; explain text names the route', () => {
    const r = report(true);
    const json = JSON.parse(renderAuditJson(r));
    const check = validator('audit');
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
    const text = renderAuditText(r, { color: false, width: 120 } as never);
    expect(text).toMatch(/internal {2}tcp\/9100 .*\n +↳ in on mgmt0 \(4 prefixes \(10\.98\.0\.0\/16, …\)\)\n/);
    expect(text).toMatch(/↳ in on eth0 \(2001:db8:1::\/64, fe80::\/10\); mgmt0 \(fd00:99::\/64, fe80::\/64\)\n +↳ link-scoped destinations only/);
    const html = renderAuditHtml(r);
    expect(html).toContain('<span class="step-title">in on</span><div class="iface"><b>mgmt0</b>');
    const loaded = loadHost(snapshot(true), 'mh.json');
    const a = explainFlow(loaded, { from: '10.98.3.4', to: '10.99.0.1', port: 9100, proto: 'tcp' });
    expect(renderExplainText(a, { color: false })).toContain('→ arrives on mgmt0: route 10.98.0.0/16 via 10.99.0.254 dev mgmt0');
    const e = validator('explain');
    expect(e(JSON.parse(renderExplainJson(a))), JSON.stringify(e.errors)).toBe(true);
  });

  it('UDP over IPv4: the rp_filter note follows the interfaces whose rp_filter is off or loose', () => {
    const flow = { from: '10.98.3.4', to: '10.99.0.1', port: 546, proto: 'udp' as const };
    const strict = explainFlow(loadHost(snapshot(true, { 'net.ipv4.conf.all.rp_filter': '1' }), 'mh.json'), flow);
    expect(strict.notes.join(' ')).not.toMatch(/spoofed/);
    const loose = explainFlow(loadHost(snapshot(true, { 'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.eth0.rp_filter': '2', 'net.ipv4.conf.mgmt0.rp_filter': '1' }), 'mh.json'), flow);
    expect(loose.notes.join(' ')).toMatch(/could also enter on eth0 \(rp_filter is off or loose there\)/);
  });

  it('UDP: a note on spoofed one-way packets where rp_filter does not stop them', () => {
    const loaded = loadHost(snapshot(true), 'mh.json');
    const a = explainFlow(loaded, { from: '2001:db8:1::7', to: 'fe80::1', port: 546, proto: 'udp' });
    expect(a.state).toBe('open');
    expect(a.notes.join(' ')).toMatch(/spoofed one-way UDP packet .* could also enter on mgmt0/);
  });
});
