/**
 * Two namespaces per scenario: the audited server and one client that owns every outside
 * source address. Documentation addresses only; nothing appears on the host.
 *
 *   client (eth0)                      ── eth0 server
 *   192.0.2.10/24, 2001:db8:1::10/64      192.0.2.1/24, 2001:db8:1::1/64
 *   203.0.113.5  (/32, "the world")       default routes via the client
 *   198.51.100.7 (/32, "the office")
 *   2001:db8:2::5 (/128, "the world")
 *
 * Neighbour entries are static: with a DROP policy on ip6tables, neighbour discovery
 * would otherwise depend on the firewall under test.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { run, trackNamespace, untrackNamespace } from './exec.mjs';


/**
 * `ip netns exec` mounts /etc/netns/NAME/resolv.conf over the host's: a daemon under test that
 * looks a name up then asks the namespace's own loopback (nothing answers, it fails at once)
 * instead of the host's resolver address, so no lookup is ever aimed outside the namespace.
 */
function isolateResolver(ns) {
  mkdirSync(`/etc/netns/${ns}`, { recursive: true });
  writeFileSync(`/etc/netns/${ns}/resolv.conf`, 'nameserver 127.0.0.1\n');
}

export const SERVER_V4 = '192.0.2.1';
export const SERVER_V6 = '2001:db8:1::1';
export const CLIENT_V4 = '192.0.2.10';
export const CLIENT_V6 = '2001:db8:1::10';
/** Outside sources, as the audit sees them. */
export const WORLD_V4 = '203.0.113.5';
export const OFFICE_V4 = '198.51.100.7';
export const WORLD_V6 = '2001:db8:2::5';

const MAC_SERVER = '02:00:5e:00:01:01';
const MAC_CLIENT = '02:00:5e:00:01:0a';

const ip = (ns, ...args) => run(['ip', '-n', ns, ...args]);
const sysctl = (ns, kv) => run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', kv]);

/**
 * Creates `pc-a-<random>-s` (server) and `pc-a-<random>-c` (client); on failure deletes
 * what it made and rethrows. `destroy()` is idempotent.
 */
export function createTopology() {
  const id = randomBytes(3).toString('hex');
  const server = `pc-a-${id}-s`;
  const client = `pc-a-${id}-c`;
  const destroy = () => {
    for (const ns of [server, client]) {
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
    for (const ns of [server, client]) {
      trackNamespace(ns);
      run(['ip', 'netns', 'add', ns]);
      isolateResolver(ns);
      ip(ns, 'link', 'set', 'lo', 'up');
      for (const kv of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0']) sysctl(ns, kv);
    }
    // A dropped connect gives up after ~3 s instead of ~2 min.
    sysctl(client, 'net.ipv4.tcp_syn_retries=1');
    ip(server, 'link', 'add', 'eth0', 'address', MAC_SERVER, 'type', 'veth', 'peer', 'name', 'eth0', 'address', MAC_CLIENT, 'netns', client);
    ip(server, 'addr', 'add', `${SERVER_V4}/24`, 'dev', 'eth0');
    ip(server, 'addr', 'add', `${SERVER_V6}/64`, 'dev', 'eth0', 'nodad');
    ip(client, 'addr', 'add', `${CLIENT_V4}/24`, 'dev', 'eth0');
    ip(client, 'addr', 'add', `${CLIENT_V6}/64`, 'dev', 'eth0', 'nodad');
    for (const a of [WORLD_V4, OFFICE_V4]) ip(client, 'addr', 'add', `${a}/32`, 'dev', 'eth0');
    ip(client, 'addr', 'add', `${WORLD_V6}/128`, 'dev', 'eth0', 'nodad');
    ip(server, 'link', 'set', 'eth0', 'up');
    ip(client, 'link', 'set', 'eth0', 'up');
    ip(server, 'route', 'add', 'default', 'via', CLIENT_V4, 'dev', 'eth0');
    ip(server, '-6', 'route', 'add', 'default', 'via', CLIENT_V6, 'dev', 'eth0');
    ip(client, '-6', 'route', 'add', 'default', 'via', SERVER_V6, 'dev', 'eth0');
    for (const a of [CLIENT_V4, CLIENT_V6]) ip(server, 'neigh', 'replace', a, 'lladdr', MAC_CLIENT, 'dev', 'eth0', 'nud', 'permanent');
    for (const a of [SERVER_V4, SERVER_V6]) ip(client, 'neigh', 'replace', a, 'lladdr', MAC_SERVER, 'dev', 'eth0', 'nud', 'permanent');
  } catch (err) {
    destroy();
    throw err;
  }
  return { id, server, client, destroy };
}
