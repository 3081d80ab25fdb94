/**
 * TCP flag bytes in words ("SYN+PSH"), for notes that say which connection-opening
 * packets a firewall lets through.
 *
 * @module
 */
import * as I from '../model/interval-set.js';
import { TCP_FLAG_BITS } from '../model/packet-set.js';

// SYN first: a reader looks for the opener, then what rides with it.
const ORDER = ['SYN', 'FIN', 'RST', 'ACK', 'PSH', 'URG', 'ECE', 'CWR'] as const;

/** One flag byte as names joined by "+" ("SYN+PSH"); "none" for 0. */
export function flagByteText(byte: number): string {
  const names = ORDER.filter((n) => (byte & TCP_FLAG_BITS[n]) !== 0);
  return names.length > 0 ? names.join('+') : 'none';
}

/** Every flag byte of a set, in words, in byte order. */
export function flagSetText(set: I.IntervalSet<number>): string[] {
  const out: string[] = [];
  for (const [lo, hi] of I.ranges(set)) for (let v = lo; v < hi; v++) out.push(flagByteText(v));
  return out;
}
