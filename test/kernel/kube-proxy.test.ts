/**
 * Portcullis against the kernel: a Kubernetes node. kube-proxy publishes NodePorts through
 * DNAT to pods behind the bridge (two "pods": two addresses of the container namespace),
 * spreading each over its endpoints at random (`-m statistic --mode random`, nft `numgen
 * random mod N vmap`): every endpoint is possible, so the port is reachable if any is. A
 * NodePort whose only endpoint is on another node (externalTrafficPolicy Local) is dropped,
 * one with no endpoints is rejected. The node's own INPUT policy drops everything but SSH.
 */
import { DEFAULT_LISTENERS, portsOf, type ListenerSpec } from './harness/flows.js';
import { kernelSuite } from './harness/suite.js';
import type { Scenario } from './harness/scenario.js';
import { CONTAINER_V4, CONTAINER_V6, POD2_V4, POD2_V6 } from './harness/topology.js';

/**
 * Both pods answer on TCP 80 and UDP 53. UDP sockets are bound per address: a wildcard UDP
 * socket answers from the address routing picks, and conntrack would not match that reply.
 */
const PODS: ListenerSpec[] = [
  { proto: 'tcp', host: '::', port: 80 },
  ...[CONTAINER_V4, POD2_V4, CONTAINER_V6, POD2_V6].map((host): ListenerSpec => ({ proto: 'udp', host, port: 53 })),
];
const NODE_PORTS = [
  { proto: 'tcp' as const, port: 30080 },
  { proto: 'udp' as const, port: 30053 },
  { proto: 'tcp' as const, port: 30081 },
  { proto: 'tcp' as const, port: 30082 },
];
const PORTS = [...portsOf(DEFAULT_LISTENERS), ...NODE_PORTS];

const node = (name: string, load: Scenario['load']): Scenario => ({
  name,
  load,
  listeners: DEFAULT_LISTENERS,
  container: PODS,
  containerV6: true,
  podAddresses: true,
  audit: true,
  flows: { ports: PORTS, iface: true },
});

kernelSuite(
  'kernel: kube-proxy NodePorts',
  [
    node('kube-proxy iptables mode: NodePorts over two pods', [
      { tool: 'iptables-restore', file: 'kube-proxy-iptables.v4.rules' },
      { tool: 'ip6tables-restore', file: 'kube-proxy-iptables.v6.rules' },
    ]),
  ],
  ['iptables-restore', 'ip6tables-restore'],
);

kernelSuite(
  'kernel: kube-proxy NodePorts, nftables mode',
  [node('kube-proxy nftables mode: numgen vmaps, fib daddr type local', [{ tool: 'nft', file: 'kube-proxy-nft.nft' }])],
  ['nft'],
);
