/**
 * The test network: a server namespace with two links (client A, client B) and, on request,
 * a "container" namespace behind a bridge inside the server. Documentation addresses only;
 * the container network (172.17.0.0/16) lives only inside the namespaces.
 *
 *   client A (eth0) ── eth-a  server  eth-b ── (eth0) client B
 *   192.0.2.10-40            192.0.2.1     198.51.100.1/25    198.51.100.2, .50
 *   203.0.113.5, .77 (/32)   2001:db8:1::1 2001:db8:3::1      2001:db8:3::10, ::20
 *   198.51.100.130 (/32)                        │ docker0 172.17.0.1/16
 *   2001:db8:1::10, ::20                        └── (eth0) container 172.17.0.2
 *   2001:db8:2::5, ::99 (/128)                 (optional: 2001:db8:c::2, bridge 2001:db8:c::1/64)
 *
 * Sources that are not on a link (203.0.113.0/24, 198.51.100.128/25, 2001:db8:2::/64) are
 * extra addresses on client A with routes on the server through 192.0.2.10 / 2001:db8:1::10.
 * Neighbour entries are static, so no ARP or neighbour discovery depends on the firewall
 * under test and hundreds of concurrent first packets are not queued behind resolution.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { run } from './exec.js';
import { trackNamespace, untrackNamespace } from './cleanup.js';

export interface Client {
  ns: string;
  /** Server-side interface this client is attached to. */
  serverIface: string;
  /** Server addresses on that link (the ones replies come from). */
  serverV4: string;
  serverV6: string;
  /** Source addresses the probe may bind to. */
  sourcesV4: string[];
  sourcesV6: string[];
}

export interface Topology {
  server: string;
  a: Client;
  b: Client;
  /** The container namespace, when requested. */
  container: string | null;
  /** Deletes every namespace (idempotent). */
  destroy(): void;
}

export const SERVER_V4_A = '192.0.2.1';
export const SERVER_V6_A = '2001:db8:1::1';
export const SERVER_V4_B = '198.51.100.1';
export const SERVER_V6_B = '2001:db8:3::1';
export const CONTAINER_V4 = '172.17.0.2';
/** The container's IPv6 address (documentation range), only with `containerV6`. */
export const CONTAINER_V6 = '2001:db8:c::2';
/** A second address of the container namespace (`podAddresses`): a second "pod" behind the bridge. */
export const POD2_V4 = '172.17.0.3';
export const POD2_V6 = '2001:db8:c::3';
/** The bridge's IPv6 address, the container's IPv6 gateway. */
export const BRIDGE_V6 = '2001:db8:c::1';

const MAC = {
  serverA: '02:00:5e:00:00:01',
  clientA: '02:00:5e:00:00:0a',
  serverB: '02:00:5e:00:00:02',
  clientB: '02:00:5e:00:00:0b',
  bridge: '02:00:5e:00:00:11',
  container: '02:00:5e:00:00:12',
};

const A_ON_LINK_V4 = ['192.0.2.10', '192.0.2.20', '192.0.2.30', '192.0.2.40'];
const A_ROUTED_V4 = ['203.0.113.5', '203.0.113.77', '198.51.100.130'];
const A_ON_LINK_V6 = ['2001:db8:1::10', '2001:db8:1::20'];
const A_ROUTED_V6 = ['2001:db8:2::5', '2001:db8:2::99'];
const B_V4 = ['198.51.100.2', '198.51.100.50'];
const B_V6 = ['2001:db8:3::10', '2001:db8:3::20'];

/** Sysctls set in every namespace: no reverse-path filter, no DAD, no router advertisements. */
const COMMON_SYSCTLS: Record<string, string> = {
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  'net.ipv6.conf.all.accept_dad': '0',
  'net.ipv6.conf.default.accept_dad': '0',
  'net.ipv6.conf.all.accept_ra': '0',
  'net.ipv6.conf.default.accept_ra': '0',
};

/**
 * Server-only: ICMP errors are rate-limited per destination and globally; the probe sends
 * hundreds of flows in a burst and needs every port-unreachable and prohibited answer.
 */
const SERVER_SYSCTLS: Record<string, string> = {
  'net.ipv4.icmp_ratelimit': '0',
  'net.ipv4.icmp_ratemask': '0',
  'net.ipv4.icmp_msgs_per_sec': '1000000',
  'net.ipv4.icmp_msgs_burst': '1000000',
  'net.ipv6.icmp.ratelimit': '0',
};

function ip(ns: string, ...args: string[]): void {
  run(['ip', '-n', ns, ...args]);
}

function sysctl(ns: string, name: string, value: string, optional = false): void {
  try {
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `${name}=${value}`]);
  } catch (err) {
    if (!optional) throw err;
  }
}

function newNamespace(name: string): void {
  trackNamespace(name);
  run(['ip', 'netns', 'add', name]);
  // `ip netns exec` mounts this over /etc/resolv.conf: a stray lookup asks the namespace's own
  // loopback (and fails at once) instead of the host's resolver address.
  mkdirSync(`/etc/netns/${name}`, { recursive: true });
  writeFileSync(`/etc/netns/${name}/resolv.conf`, 'nameserver 127.0.0.1\n');
  ip(name, 'link', 'set', 'lo', 'up');
  for (const [k, v] of Object.entries(COMMON_SYSCTLS)) sysctl(name, k, v);
}

function addAddrs(ns: string, dev: string, v4: string[], v6: string[], v4len: number, v6len: number, routedV4: string[] = [], routedV6: string[] = []): void {
  for (const a of v4) ip(ns, 'addr', 'add', `${a}/${v4len}`, 'dev', dev);
  for (const a of routedV4) ip(ns, 'addr', 'add', `${a}/32`, 'dev', dev);
  for (const a of v6) ip(ns, 'addr', 'add', `${a}/${v6len}`, 'dev', dev, 'nodad');
  for (const a of routedV6) ip(ns, 'addr', 'add', `${a}/128`, 'dev', dev, 'nodad');
}

function neigh(ns: string, dev: string, addrs: string[], mac: string): void {
  for (const a of addrs) ip(ns, 'neigh', 'replace', a, 'lladdr', mac, 'dev', dev, 'nud', 'permanent');
}

/** Options for {@link createTopology}. */
export interface TopologyOptions {
  /** Adds the container namespace behind bridge docker0 and turns on IPv4 forwarding. */
  container?: boolean;
  /**
   * Also gives the container {@link CONTAINER_V6} (bridge {@link BRIDGE_V6}/64) and turns on
   * IPv6 forwarding in the server. Without it the container is IPv4-only, as before.
   */
  containerV6?: boolean;
  /**
   * Gives the container namespace a second address ({@link POD2_V4}, and {@link POD2_V6} with
   * `containerV6`), standing for a second pod: kube-proxy spreads a NodePort over both.
   */
  podAddresses?: boolean;
}

/** Builds the namespaces; on failure deletes what it made and rethrows. */
export function createTopology(opts: TopologyOptions = {}): Topology {
  const id = randomBytes(3).toString('hex');
  const server = `pc-k-${id}-s`;
  const nsA = `pc-k-${id}-a`;
  const nsB = `pc-k-${id}-b`;
  const nsC = opts.container ? `pc-k-${id}-c` : null;
  const made = [server, nsA, nsB, ...(nsC ? [nsC] : [])];
  const destroy = (): void => {
    for (const ns of made) {
      try {
        run(['ip', 'netns', 'del', ns]);
      } catch {
        // already gone
      }
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
      untrackNamespace(ns);
    }
  };
  try {
    for (const ns of made) newNamespace(ns);
    for (const [k, v] of Object.entries(SERVER_SYSCTLS)) sysctl(server, k, v);
    // One SYN retransmission: a dropped connect ends (ETIMEDOUT) after ~3 s instead of ~2 min,
    // and a soft ICMP error received meanwhile is what connect() then reports.
    for (const ns of [nsA, nsB]) sysctl(ns, 'net.ipv4.tcp_syn_retries', '1');
    sysctl(server, 'net.ipv4.ip_forward', opts.container ? '1' : '0');
    if (opts.container && opts.containerV6) sysctl(server, 'net.ipv6.conf.all.forwarding', '1');

    // Links are created straight inside the namespaces: no name ever appears on the host.
    ip(server, 'link', 'add', 'eth-a', 'address', MAC.serverA, 'type', 'veth', 'peer', 'name', 'eth0', 'address', MAC.clientA, 'netns', nsA);
    ip(server, 'link', 'add', 'eth-b', 'address', MAC.serverB, 'type', 'veth', 'peer', 'name', 'eth0', 'address', MAC.clientB, 'netns', nsB);

    addAddrs(server, 'eth-a', [SERVER_V4_A], [SERVER_V6_A], 24, 64);
    addAddrs(server, 'eth-b', [SERVER_V4_B], [SERVER_V6_B], 25, 64);
    addAddrs(nsA, 'eth0', A_ON_LINK_V4, A_ON_LINK_V6, 24, 64, A_ROUTED_V4, A_ROUTED_V6);
    addAddrs(nsB, 'eth0', B_V4, B_V6, 25, 64);
    for (const [ns, dev] of [[server, 'eth-a'], [server, 'eth-b'], [nsA, 'eth0'], [nsB, 'eth0']] as const) ip(ns, 'link', 'set', dev, 'up');

    ip(server, 'route', 'add', '203.0.113.0/24', 'via', A_ON_LINK_V4[0]!, 'dev', 'eth-a');
    ip(server, 'route', 'add', '198.51.100.128/25', 'via', A_ON_LINK_V4[0]!, 'dev', 'eth-a');
    ip(server, '-6', 'route', 'add', '2001:db8:2::/64', 'via', A_ON_LINK_V6[0]!, 'dev', 'eth-a');
    ip(nsA, 'route', 'add', 'default', 'via', SERVER_V4_A, 'dev', 'eth0');
    ip(nsA, '-6', 'route', 'add', 'default', 'via', SERVER_V6_A, 'dev', 'eth0');
    ip(nsB, 'route', 'add', 'default', 'via', SERVER_V4_B, 'dev', 'eth0');
    ip(nsB, '-6', 'route', 'add', 'default', 'via', SERVER_V6_B, 'dev', 'eth0');

    neigh(server, 'eth-a', [...A_ON_LINK_V4, ...A_ON_LINK_V6], MAC.clientA);
    neigh(server, 'eth-b', [...B_V4, ...B_V6], MAC.clientB);
    neigh(nsA, 'eth0', [SERVER_V4_A, SERVER_V6_A], MAC.serverA);
    neigh(nsB, 'eth0', [SERVER_V4_B, SERVER_V6_B], MAC.serverB);

    if (nsC) {
      ip(server, 'link', 'add', 'docker0', 'address', MAC.bridge, 'type', 'bridge');
      ip(server, 'link', 'add', 'veth0c', 'type', 'veth', 'peer', 'name', 'eth0', 'address', MAC.container, 'netns', nsC);
      ip(server, 'link', 'set', 'veth0c', 'master', 'docker0');
      ip(server, 'addr', 'add', '172.17.0.1/16', 'dev', 'docker0');
      ip(nsC, 'addr', 'add', `${CONTAINER_V4}/16`, 'dev', 'eth0');
      for (const [ns, dev] of [[server, 'docker0'], [server, 'veth0c'], [nsC, 'eth0']] as const) ip(ns, 'link', 'set', dev, 'up');
      ip(nsC, 'route', 'add', 'default', 'via', '172.17.0.1', 'dev', 'eth0');
      neigh(server, 'docker0', [CONTAINER_V4], MAC.container);
      neigh(nsC, 'eth0', ['172.17.0.1'], MAC.bridge);
      if (opts.containerV6) {
        ip(server, 'addr', 'add', `${BRIDGE_V6}/64`, 'dev', 'docker0', 'nodad');
        ip(nsC, 'addr', 'add', `${CONTAINER_V6}/64`, 'dev', 'eth0', 'nodad');
        ip(nsC, '-6', 'route', 'add', 'default', 'via', BRIDGE_V6, 'dev', 'eth0');
        neigh(server, 'docker0', [CONTAINER_V6], MAC.container);
        neigh(nsC, 'eth0', [BRIDGE_V6], MAC.bridge);
      }
      if (opts.podAddresses) {
        ip(nsC, 'addr', 'add', `${POD2_V4}/16`, 'dev', 'eth0');
        neigh(server, 'docker0', [POD2_V4], MAC.container);
        if (opts.containerV6) {
          ip(nsC, 'addr', 'add', `${POD2_V6}/64`, 'dev', 'eth0', 'nodad');
          neigh(server, 'docker0', [POD2_V6], MAC.container);
        }
      }
    }
  } catch (err) {
    destroy();
    throw err;
  }
  return {
    server,
    a: { ns: nsA, serverIface: 'eth-a', serverV4: SERVER_V4_A, serverV6: SERVER_V6_A, sourcesV4: [...A_ON_LINK_V4, ...A_ROUTED_V4], sourcesV6: [...A_ON_LINK_V6, ...A_ROUTED_V6] },
    b: { ns: nsB, serverIface: 'eth-b', serverV4: SERVER_V4_B, serverV6: SERVER_V6_B, sourcesV4: B_V4, sourcesV6: B_V6 },
    container: nsC,
    destroy,
  };
}
