/**
 * Published ports through the whole pipeline (snapshot → lowering → engine → audit types),
 * on the rulesets the kernel tests load: kube-proxy's NodePorts (iptables mode), Docker's
 * `-p 8080:80` and `-p 192.0.2.1:9443:443` with docker-proxy's sockets. Each published port
 * is one service, on its host port and address, with every target listed; explain ranks a
 * flow forwarded to a container above a closed local port. Runs anywhere (no root).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOf, sock } from '../helpers/model-builder.js';
import { analyzeHost, explainFlow, loadHost } from '../../src/pipeline.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { NetInterface } from '../../src/model/snapshot.js';

const SCENARIOS = join(process.cwd(), 'test/kernel/scenarios');
const rules = (file: string): string => readFileSync(join(SCENARIOS, file), 'utf8');

/** The kernel tests' server: eth-a 192.0.2.1/24, eth-b 198.51.100.1/25, docker0 172.17.0.1/16. */
const NODE: NetInterface[] = [
  { name: 'lo', index: 1, up: true, loopback: true, addresses: [{ family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' }, { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' }] },
  { name: 'eth-a', index: 2, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global' }, { family: 'ipv6', address: '2001:db8:1::1', prefixLength: 64, scope: 'global' }] },
  { name: 'eth-b', index: 3, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '198.51.100.1', prefixLength: 25, scope: 'global' }, { family: 'ipv6', address: '2001:db8:3::1', prefixLength: 64, scope: 'global' }] },
  { name: 'docker0', index: 4, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '172.17.0.1', prefixLength: 16, scope: 'global' }, { family: 'ipv6', address: '2001:db8:c::1', prefixLength: 64, scope: 'global' }] },
];

function host(v4: string, v6: string, sockets: Snapshot['sockets']) {
  const snapshot = snapshotOf(sockets, {
    interfaces: NODE,
    sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '1' },
    firewall: [
      { kind: 'iptables-save', backend: 'nft', command: ['iptables-nft-save'], status: 'ok', content: rules(v4) },
      { kind: 'ip6tables-save', backend: 'nft', command: ['ip6tables-nft-save'], status: 'ok', content: rules(v6) },
    ],
  });
  return loadHost(snapshot, 'test.json');
}

describe('kube-proxy NodePorts (iptables mode)', () => {
  const node = host('kube-proxy-iptables.v4.rules', 'kube-proxy-iptables.v6.rules', [sock('tcp', '0.0.0.0', 22)]);
  const services = analyzeHost(node).services;

  it('each NodePort with endpoints is one service on its own port, every endpoint a target', () => {
    const web = services.filter((s) => s.proto === 'tcp' && s.port === 30080);
    expect(web.map((s) => s.family).sort()).toEqual(['ipv4', 'ipv6']);
    const v4 = web.find((s) => s.family === 'ipv4')!;
    expect(v4).toMatchObject({ address: '*', path: { kind: 'forward', hostPorts: '30080' } });
    expect(v4.path.kind === 'forward' && (v4.path.targets ?? []).map((t) => `${t.address}:${t.port}`).sort()).toEqual(['172.17.0.2:80', '172.17.0.3:80']);
    expect(v4.sources.ipv4).toEqual(['0.0.0.0/0']);
    const dns = services.filter((s) => s.proto === 'udp' && s.port === 30053 && s.family === 'ipv6');
    expect(dns).toHaveLength(1);
    expect(dns[0]!.path.kind === 'forward' && (dns[0]!.path.targets ?? []).map((t) => t.address).sort()).toEqual(['2001:db8:c::2', '2001:db8:c::3']);
  });

  it('no service on port 0, none for the NodePorts nobody can reach', () => {
    expect(services.filter((s) => s.port === 0)).toEqual([]);
    // 30082 (no endpoints) is rejected for everyone; 30081 (endpoint on another node) only
    // short-circuits pod and host-local sources (kube-proxy's KUBE-EXT rules), never a client.
    expect(services.filter((s) => s.port === 30082)).toEqual([]);
    const local = services.filter((s) => s.port === 30081);
    expect(local.flatMap((s) => s.sources.ipv4)).toContain('172.17.0.0/16');
    expect(local.flatMap((s) => [...s.sources.ipv4, ...s.sources.ipv6]).filter((c) => ['0.0.0.0/0', '::/0', '203.0.113.0/24', '198.51.100.0/24'].includes(c))).toEqual([]);
  });

  it('explain: forwarded to both pods; dropped and rejected NodePorts', () => {
    const open = explainFlow(node, { from: '203.0.113.5', to: '192.0.2.1', port: 30080, proto: 'tcp' });
    expect(open).toMatchObject({ state: 'open', firewall: 'accept' });
    expect(open.notes.join(' ')).toMatch(/172\.17\.0\.2\/32 port 80, 172\.17\.0\.3\/32 port 80/);
    expect(explainFlow(node, { from: '203.0.113.5', to: '192.0.2.1', port: 30081, proto: 'tcp', iface: 'eth-a' })).toMatchObject({ state: 'filtered', firewall: 'drop' });
    expect(explainFlow(node, { from: '2001:db8:2::5', to: '2001:db8:1::1', port: 30082, proto: 'tcp', iface: 'eth-a' })).toMatchObject({ state: 'filtered', firewall: 'reject' });
  });
});

describe('Docker: -p 8080:80 and -p 192.0.2.1:9443:443 with docker-proxy', () => {
  const proxy = { pid: 7, name: 'docker-proxy', cmdline: ['/usr/bin/docker-proxy'], user: 'root' };
  const docker = host('docker-addr.v4.rules', 'docker.v6.rules', [
    sock('tcp', '0.0.0.0', 22),
    sock('tcp', '0.0.0.0', 8080, { process: proxy }),
    sock('tcp', '192.0.2.1', 9443, { process: proxy }),
  ]);
  const services = analyzeHost(docker).services;

  it('each published port once, the proxy socket merged into it', () => {
    const p8080 = services.filter((s) => s.port === 8080);
    expect(p8080).toHaveLength(1);
    expect(p8080[0]).toMatchObject({ address: '*', process: { name: 'docker-proxy' }, path: { kind: 'forward', target: { address: '172.17.0.2', port: '80' } } });
    const p9443 = services.filter((s) => s.port === 9443);
    expect(p9443).toHaveLength(1);
    expect(p9443[0]).toMatchObject({ address: '192.0.2.1', process: { name: 'docker-proxy' }, path: { kind: 'forward', target: { address: '172.17.0.2', port: '443' } } });
  });

  it('explain without --iface: forwarded (open) ranks above the closed local port', () => {
    // Packets arriving on docker0 are not DNATed (`-i docker0 -j RETURN`): the answer depends
    // on the interface, and the most exposed answer is the container.
    const a = explainFlow(docker, { from: '198.51.100.2', to: '198.51.100.1', port: 8080, proto: 'tcp' });
    expect(a).toMatchObject({ state: 'open', firewall: 'accept' });
    expect(a.notes.join(' ')).toMatch(/forwarded to 172\.17\.0\.2\/32 port 80/);
    // Published on 192.0.2.1 only: on the other address nothing listens (INPUT accepts 9443).
    expect(explainFlow(docker, { from: '198.51.100.2', to: '198.51.100.1', port: 9443, proto: 'tcp', iface: 'eth-b' })).toMatchObject({ state: 'closed' });
    expect(explainFlow(docker, { from: '198.51.100.2', to: '192.0.2.1', port: 9443, proto: 'tcp', iface: 'eth-b' })).toMatchObject({ state: 'open' });
  });
});
