/**
 * Collect a {@link Snapshot} of the host behind a {@link HostIO}. Nothing fails silently:
 * whatever cannot be read is null or "unavailable" in the snapshot and listed in `unreadable`.
 *
 * @module
 */
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../model/snapshot.js';
import { VERSION } from '../version.js';
import { startFirewallDumps } from './firewall.js';
import type { HostIO } from './host-io.js';
import { collectInterfaces } from './interfaces.js';
import { readIp } from './ip-reads.js';
import { collectRouting } from './routing.js';
import { collectSockets } from './sockets.js';
import { collectSysctls } from './sysctls.js';
import { UnreadableLog } from './unreadable-log.js';

/** Read the host; never rejects for a host that hides things (those land in `unreadable`). */
export async function collectSnapshot(io: HostIO): Promise<Snapshot> {
  const uid = io.getuid();
  const euid = io.geteuid();
  const root = euid === 0;
  // One log per part, joined in a fixed order so the snapshot does not depend on timing.
  const logs = { interfaces: new UnreadableLog(), routing: new UnreadableLog(), sockets: new UnreadableLog(), firewall: new UnreadableLog(), sysctls: new UnreadableLog() };
  const collectedAt = io.now().toISOString();
  // The firewall dumps first: on a big host they take longest, and each tool started holds
  // this thread for a fork (issue 8). The quicker `ip` and `ss` wait until the firewall's
  // dumps are running, `nft -j list ruleset` included once the table list says it is wanted.
  const dumps = startFirewallDumps(io, logs.firewall, root);
  await dumps.started;
  const firewallRead = dumps.sources;
  // The interfaces and both families' routing in two `ip` processes (ip-reads.ts).
  const ip = readIp(io);
  const interfacesRead = collectInterfaces(io, logs.interfaces, ip.addr);
  // The sysctls need only the interface names: read while the firewall is still dumped.
  const [interfaces, sysctls, routing, sockets, firewall] = await Promise.all([
    interfacesRead,
    interfacesRead.then((list) => collectSysctls(io, logs.sysctls, list)),
    collectRouting(io, logs.routing, ip),
    collectSockets(io, logs.sockets, root),
    firewallRead,
  ]);
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    collectedAt,
    tool: { name: 'portcullis', version: VERSION },
    host: { hostname: io.hostname(), kernel: io.kernelRelease() },
    privileges: { uid, euid, root },
    interfaces,
    routing,
    sockets,
    firewall,
    sysctls,
    unreadable: [...logs.interfaces.entries, ...logs.routing.entries, ...logs.sockets.entries, ...logs.firewall.entries, ...logs.sysctls.entries],
  };
}
