/**
 * Listener specs and flow sets for kernel scenarios.
 *
 * @module
 */
import type { Client, Topology } from './topology.js';

export type Proto = 'tcp' | 'udp';

/** One socket for listeners.mjs. */
export interface ListenerSpec {
  proto: Proto;
  host: string;
  port: number;
  v6only?: boolean;
}

/** A flow as `explain --flows` reads it (FlowQuery), plus which client namespace probes it. */
export interface Flow {
  from: string;
  to: string;
  port: number;
  proto: Proto;
  iface?: string;
}

export interface ProbedFlow extends Flow {
  /** The client namespace the probe runs in. */
  client: string;
}

/**
 * The default listener set: dual-stack, v4-only, v6-only, loopback-only and one-address
 * sockets, TCP and UDP.
 */
export const DEFAULT_LISTENERS: ListenerSpec[] = [
  { proto: 'tcp', host: '::', port: 22 },
  { proto: 'tcp', host: '::', port: 80 },
  { proto: 'tcp', host: '::', port: 443 },
  { proto: 'tcp', host: '::', port: 2222 },
  { proto: 'tcp', host: '::', port: 8080 },
  { proto: 'tcp', host: '127.0.0.1', port: 3306 },
  { proto: 'tcp', host: '192.0.2.1', port: 8443 },
  { proto: 'tcp', host: '0.0.0.0', port: 9000 },
  { proto: 'tcp', host: '::', port: 9001, v6only: true },
  { proto: 'udp', host: '::', port: 53 },
  { proto: 'udp', host: '0.0.0.0', port: 123 },
  { proto: 'udp', host: '::', port: 5353 },
];

/** Ports probed with nothing listening on them. */
export const UNLISTENED: Array<{ proto: Proto; port: number }> = [
  { proto: 'tcp', port: 23 },
  { proto: 'tcp', port: 25 },
  { proto: 'tcp', port: 8081 },
  { proto: 'udp', port: 161 },
];

export interface FlowOptions {
  /** Ports to probe; default: every listener port plus {@link UNLISTENED}. */
  ports?: Array<{ proto: Proto; port: number }>;
  /** Puts the server-side input interface into every flow (for `-i` scenarios). */
  iface?: boolean;
  /** Also probe the server's address on the *other* link (TCP only): the weak host model. */
  cross?: boolean;
}

/** Distinct (proto, port) pairs of the listeners plus the unlistened ports. */
export function portsOf(listeners: ListenerSpec[]): Array<{ proto: Proto; port: number }> {
  const seen = new Map<string, { proto: Proto; port: number }>();
  for (const p of [...listeners, ...UNLISTENED]) seen.set(`${p.proto}/${p.port}`, { proto: p.proto, port: p.port });
  return [...seen.values()];
}

/**
 * Cross product of every client source (both links, v4 and v6) with the ports, aimed at the
 * server address on the client's own link. UDP flows stay on that address: a wildcard UDP
 * socket answers from the address routing picks, which only matches the link's own.
 */
export function buildFlows(topo: Topology, listeners: ListenerSpec[], opts: FlowOptions = {}): ProbedFlow[] {
  const ports = opts.ports ?? portsOf(listeners);
  const flows: ProbedFlow[] = [];
  const add = (c: Client, from: string, to: string, p: { proto: Proto; port: number }): void => {
    flows.push({ client: c.ns, from, to, port: p.port, proto: p.proto, ...(opts.iface ? { iface: c.serverIface } : {}) });
  };
  for (const c of [topo.a, topo.b]) {
    const other = c === topo.a ? topo.b : topo.a;
    for (const p of ports) {
      for (const s of c.sourcesV4) add(c, s, c.serverV4, p);
      for (const s of c.sourcesV6) add(c, s, c.serverV6, p);
      if (opts.cross !== false && p.proto === 'tcp') {
        add(c, c.sourcesV4[0]!, other.serverV4, p);
        add(c, c.sourcesV6[0]!, other.serverV6, p);
      }
    }
  }
  return flows;
}
