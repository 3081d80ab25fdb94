/**
 * Portcullis against the kernel: container publishing done with native nftables instead of
 * iptables. Docker 28's nftables backend (`ip`/`ip6 docker-bridges`: DNAT from a chain shared
 * by prerouting and output, per-bridge forward chains reached through ifname verdict maps)
 * and Podman's netavark nftables driver (`inet netavark`: NETAVARK-HOSTPORT-DNAT, `nv_*`
 * per-network chains), each on a host whose own `inet filter` input chain drops by policy:
 * the published ports are reachable all the same. Variants: the host's own forward chain
 * (same priority with policy drop; filter + 10 or filter - 1 dropping and rejecting some
 * sources: every base chain on the hook must accept), Docker's port rules in verdict-map and
 * concatenated-set form, a dual-stack container (2001:db8:c::2) published over IPv6 too, and
 * flows aimed straight at the container's address from the next hop.
 */
import { buildFlows, DEFAULT_LISTENERS, portsOf, type ListenerSpec, type Proto, type ProbedFlow } from './harness/flows.js';
import { kernelSuite } from './harness/suite.js';
import type { Scenario } from './harness/scenario.js';
import { CONTAINER_V4, CONTAINER_V6, type Topology } from './harness/topology.js';

/** Docker publishes 8080/tcp, 8053/udp and 192.0.2.1:8443/tcp (shadowing the host's own socket there); the host's 8080 socket goes. */
const DOCKER_HOST: ListenerSpec[] = DEFAULT_LISTENERS.filter((l) => l.port !== 8080);
/** Podman publishes 8081/tcp, 8053/udp and 9100-9101/tcp; the host keeps its own 8080 listener. */
const PODMAN_HOST: ListenerSpec[] = DEFAULT_LISTENERS;

/**
 * The container's sockets, dual-stack (the v4-only container simply has no v6 address): the
 * published targets (TCP 80, 443, 9100, 9101 and a UDP echo on 53) and TCP 81 and 8080 that
 * nothing publishes, for flows aimed straight at the container. Every port a flow reaches in the
 * container has a socket: the engine cannot see the container's sockets (it answers "open"
 * for a forwarded flow the firewall lets through), so these flows test the firewall alone.
 */
const CONTAINER: ListenerSpec[] = [
  { proto: 'tcp', host: '::', port: 80 },
  { proto: 'tcp', host: '::', port: 81 },
  { proto: 'tcp', host: '::', port: 8080 },
  { proto: 'tcp', host: '::', port: 443 },
  { proto: 'tcp', host: '::', port: 9100 },
  { proto: 'tcp', host: '::', port: 9101 },
  { proto: 'udp', host: '::', port: 53 },
];

/** Host ports (listened and not) plus the published ones. */
const ports = (host: ListenerSpec[], published: Array<{ proto: 'tcp' | 'udp'; port: number }>) => {
  const seen = new Map(portsOf(host).map((p) => [`${p.proto}/${p.port}`, p]));
  for (const p of published) seen.set(`${p.proto}/${p.port}`, p);
  return [...seen.values()];
};
const DOCKER_PORTS = ports(DOCKER_HOST, [{ proto: 'tcp', port: 8080 }, { proto: 'udp', port: 8053 }]);
const PODMAN_PORTS = ports(PODMAN_HOST, [{ proto: 'tcp', port: 8081 }, { proto: 'udp', port: 8053 }, { proto: 'tcp', port: 9100 }, { proto: 'tcp', port: 9101 }]);

/** Ports aimed straight at the container's own address (each has a socket there, see {@link CONTAINER}). */
const DIRECT: Array<{ proto: Proto; port: number }> = [
  { proto: 'tcp', port: 80 },
  { proto: 'tcp', port: 81 },
  { proto: 'tcp', port: 8080 },
  { proto: 'udp', port: 53 },
];

/**
 * The usual flows (every client source to the server's addresses, with the input interface)
 * plus flows from every client source straight to the container's address: the clients'
 * default route is the server, so only the firewall (Docker's raw "DROP DIRECT ACCESS",
 * netavark's forward policy, the host's own forward chain) decides whether the container is
 * reachable from the next hop without any published port.
 */
const withDirect = (flowPorts: Array<{ proto: Proto; port: number }>, v6: boolean) => (topo: Topology, listeners: ListenerSpec[]): ProbedFlow[] => {
  const flows = buildFlows(topo, listeners, { ports: flowPorts, iface: true });
  for (const c of [topo.a, topo.b]) {
    for (const p of DIRECT) {
      for (const from of c.sourcesV4) flows.push({ client: c.ns, from, to: CONTAINER_V4, port: p.port, proto: p.proto, iface: c.serverIface });
      if (v6) for (const from of c.sourcesV6) flows.push({ client: c.ns, from, to: CONTAINER_V6, port: p.port, proto: p.proto, iface: c.serverIface });
    }
  }
  return flows;
};

const scenario = (name: string, files: string[], host: ListenerSpec[], flowPorts: typeof DOCKER_PORTS, v6 = false): Scenario => ({
  name,
  load: files.map((file) => ({ tool: 'nft' as const, file })),
  listeners: host,
  container: CONTAINER,
  ...(v6 ? { containerV6: true } : {}),
  audit: true,
  flows: withDirect(flowPorts, v6),
});

kernelSuite(
  'kernel: containers published with native nftables',
  [
    scenario('docker nft: published ports, input drop', ['docker-nft.nft'], DOCKER_HOST, DOCKER_PORTS),
    scenario('docker nft: dual-stack container', ['docker-nft.nft', 'docker-nft-ip6.nft'], DOCKER_HOST, DOCKER_PORTS, true),
    scenario('docker nft: host forward policy drop', ['docker-nft.nft', 'docker-nft-ip6.nft', 'docker-nft-host-forward-drop.nft'], DOCKER_HOST, DOCKER_PORTS, true),
    scenario('docker nft: vmaps + user forward chain', ['docker-nft-vmap.nft', 'docker-nft-ip6.nft', 'docker-nft-user-forward.nft'], DOCKER_HOST, DOCKER_PORTS, true),
    scenario('netavark: published ports, input drop', ['podman-netavark.nft'], PODMAN_HOST, PODMAN_PORTS),
    // The host forward chain filters by input interface (`iifname "eth-b" … drop`): the audit
    // agrees only because each source arrives on the interface its route back names.
    scenario('netavark: + host forward chain', ['podman-netavark.nft', 'podman-netavark-host-forward.nft'], PODMAN_HOST, PODMAN_PORTS),
    scenario('netavark: dual-stack + host forward', ['podman-netavark.nft', 'podman-netavark-ip6.nft', 'podman-netavark-host-forward.nft'], PODMAN_HOST, PODMAN_PORTS, true),
  ],
  ['nft'],
);
