/**
 * Portcullis against the kernel: a "container" namespace behind bridge docker0 in the server
 * namespace, with the rules Docker writes for `docker run -p 8080:80` (nat DOCKER chain with
 * DNAT, FORWARD through DOCKER-USER / DOCKER-FORWARD / isolation chains) on a host whose
 * INPUT policy is DROP: the published port is reachable all the same, unless DOCKER-USER
 * says otherwise.
 */
import { DEFAULT_LISTENERS, portsOf, type ListenerSpec } from './harness/flows.js';
import { kernelSuite } from './harness/suite.js';
import type { Scenario } from './harness/scenario.js';

/** The host's own sockets, without 8080 (the published port belongs to the container). */
const HOST: ListenerSpec[] = DEFAULT_LISTENERS.filter((l) => l.port !== 8080);
const CONTAINER: ListenerSpec[] = [{ proto: 'tcp', host: '0.0.0.0', port: 80 }];
const PORTS = [...portsOf(HOST), { proto: 'tcp' as const, port: 8080 }];

/**
 * `-p 8080:80` and `-p 192.0.2.1:9443:443`, with docker-proxy's sockets (0.0.0.0:8080,
 * 192.0.2.1:9443): the audit must show each published port once, on its own address.
 */
const ADDR_HOST: ListenerSpec[] = [...HOST, { proto: 'tcp', host: '0.0.0.0', port: 8080 }, { proto: 'tcp', host: '192.0.2.1', port: 9443 }];
const ADDR_CONTAINER: ListenerSpec[] = [...CONTAINER, { proto: 'tcp', host: '0.0.0.0', port: 443 }];
const ADDR_PORTS = [...PORTS, { proto: 'tcp' as const, port: 9443 }];

const docker = (name: string, rules: string): Scenario => ({
  name,
  load: [
    { tool: 'iptables-restore', file: `${rules}.v4.rules` },
    { tool: 'ip6tables-restore', file: 'docker.v6.rules' },
  ],
  listeners: HOST,
  container: CONTAINER,
  audit: true,
  flows: { ports: PORTS, iface: true },
});

kernelSuite(
  'kernel: Docker published ports',
  [
    docker('docker 28: published port, INPUT DROP', 'docker'),
    // Its allowlist is per input interface: the audit agrees because sources arrive on the
    // interface of their route back.
    docker('docker 28: DOCKER-USER allowlist', 'docker-user'),
    docker('docker 27 layout, DOCKER-USER deny', 'docker27'),
    {
      ...docker('docker 28: -p 8080:80 and -p 192.0.2.1:9443:443', 'docker-addr'),
      listeners: ADDR_HOST,
      container: ADDR_CONTAINER,
      flows: { ports: ADDR_PORTS, iface: true },
    },
  ],
  ['iptables-restore', 'ip6tables-restore'],
);
