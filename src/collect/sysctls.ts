/**
 * The sysctls that shape exposure (EXPOSURE_SYSCTLS) plus, per interface, rp_filter and
 * route_localnet, read from /proc/sys. Unreadable ones are null and logged.
 *
 * @module
 */
import { EXPOSURE_SYSCTLS, type NetInterface } from '../model/snapshot.js';
import { interfaceSysctlName, parseSysctlValue, sysctlPath } from '../parse/sysctl.js';
import { type HostIO, errnoOf, fsReason } from './host-io.js';
import type { UnreadableLog } from './unreadable-log.js';

const PER_INTERFACE = ['rp_filter', 'route_localnet'] as const;

/** The names to read, in a stable order. */
export function sysctlNames(interfaces: readonly NetInterface[] | null): string[] {
  const names: string[] = [...EXPOSURE_SYSCTLS];
  for (const i of interfaces ?? []) for (const key of PER_INTERFACE) names.push(interfaceSysctlName('ipv4', i.name, key));
  return [...new Set(names)];
}

/** name → value (null when unreadable, logged with the reason). */
export async function collectSysctls(io: HostIO, log: UnreadableLog, interfaces: readonly NetInterface[] | null): Promise<Record<string, string | null>> {
  const names = sysctlNames(interfaces);
  const reads = await Promise.allSettled(names.map((name) => io.readFile(sysctlPath(name))));
  // Logged in name order, not in the order the reads failed, so the snapshot does not depend on timing.
  const out: Record<string, string | null> = {};
  names.forEach((name, i) => {
    const r = reads[i]!;
    if (r.status === 'fulfilled') out[name] = parseSysctlValue(r.value);
    else {
      log.add(`sysctl ${name}`, reasonFor(name, r.reason));
      out[name] = null;
    }
  });
  return out;
}

function reasonFor(name: string, err: unknown): string {
  if (errnoOf(err) !== 'ENOENT') return fsReason(err);
  // net.bridge.* exists only while br_netfilter is loaded (then bridged traffic skips iptables).
  if (name.startsWith('net.bridge.')) return 'not present (br_netfilter module not loaded)';
  if (name.startsWith('net.ipv6.')) return 'not present (IPv6 disabled?)';
  return 'not present';
}
