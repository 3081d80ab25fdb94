/**
 * The safety rule: without --allow-remote only this host is probed. A target is local when
 * it is loopback (127.0.0.0/8, ::1) or one of the host's own interface addresses.
 *
 * @module
 */
import { cidrSet, parseAddr, parseCidr } from '../model/addr.js';
import { intervals } from '../model/index.js';

/** True when `address` is loopback or in `ownAddresses` (the host's interface addresses). */
export function isLocalAddress(address: string, ownAddresses: readonly string[]): boolean {
  const a = parseAddr(address);
  if (!a) return false;
  const loopback = parseCidr(a.family === 'ipv4' ? '127.0.0.0/8' : '::1/128')!;
  // An IPv4-mapped IPv6 address is the IPv4 address on the wire.
  const mapped = a.family === 'ipv6' && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : null;
  if (mapped) return isLocalAddress(mapped, ownAddresses);
  if (intervals.contains(cidrSet(loopback) as intervals.IntervalSet<number | bigint>, a.value)) return true;
  return ownAddresses.some((o) => {
    const p = parseAddr(o);
    return p !== null && p.family === a.family && p.value === a.value;
  });
}
