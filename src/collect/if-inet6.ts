/**
 * /proc/net/if_inet6 and /sys/class/net: the interface list for a machine without iproute2.
 * Lines: "20010db8000000000000000000000001 03 40 00 80 eth0" = address, ifindex, prefix
 * length, scope (hex), flags, name.
 *
 * @module
 */
import { formatAddr } from '../model/addr.js';
import type { InterfaceAddress } from '../model/snapshot.js';

/** One address line of /proc/net/if_inet6. */
export interface IfInet6Entry {
  name: string;
  index: number;
  address: InterfaceAddress;
}

/** IPV6_ADDR_SCOPE_* of include/net/ipv6.h, as `ip` names them. */
const SCOPES: Record<number, string> = { 0x00: 'global', 0x10: 'host', 0x20: 'link', 0x40: 'site' };

/** Malformed lines are returned apart so the caller can report them. */
export function parseIfInet6(text: string): { entries: IfInet6Entry[]; bad: string[] } {
  const entries: IfInet6Entry[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-fA-F]{32})\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]{2})\s+([0-9a-fA-F]{2})\s+[0-9a-fA-F]+\s+(\S+)\s*$/.exec(line);
    if (!m) {
      bad.push(line);
      continue;
    }
    const scope = parseInt(m[4]!, 16);
    entries.push({
      name: m[5]!,
      index: parseInt(m[2]!, 16),
      address: {
        family: 'ipv6',
        // Printed in network order, unlike /proc/net/tcp6.
        address: formatAddr(BigInt('0x' + m[1]!), 'ipv6'),
        prefixLength: parseInt(m[3]!, 16),
        scope: SCOPES[scope] ?? String(scope),
      },
    });
  }
  return { entries, bad };
}

/** IFF_UP and IFF_LOOPBACK of /sys/class/net/<if>/flags (include/uapi/linux/if.h). */
export function decodeIfFlags(hex: string): { up: boolean; loopback: boolean } | null {
  const t = hex.trim();
  if (!/^0x[0-9a-fA-F]+$/.test(t)) return null;
  const flags = parseInt(t, 16);
  return { up: (flags & 0x1) !== 0, loopback: (flags & 0x8) !== 0 };
}
