/**
 * What one log line is, once read: a netfilter packet record (drop or allow), a malformed
 * drop, a syslog "repeated" marker, or something else (skipped).
 *
 * @module
 */

/** One packet the kernel logged. Reused by the parser for speed: copy what you keep. */
export interface NetfilterRecord {
  /** Milliseconds since the epoch, UTC. */
  time: number;
  /** Everything before `IN=`, trimmed (may be empty). */
  prefix: string;
  /** False when the prefix says ALLOW, ACCEPT or AUDIT. */
  drop: boolean;
  inIface: string;
  outIface: string;
  /** As the kernel printed it (IPv6 uncompressed); render compresses (RFC 5952). */
  src: string;
  /** The source as a 32-bit number when it is a dotted quad printed canonically (as the kernel's %pI4 does), else -1: a key that needs no string. */
  srcV4: number;
  dst: string;
  family: 4 | 6;
  /** Lower-case name ("tcp", "udp", "icmp", "icmpv6", "igmp", …) or the protocol number. */
  proto: string;
  /** -1 when the protocol has no ports. */
  spt: number;
  dpt: number;
  /** -1 unless ICMP/ICMPv6. */
  icmpType: number;
  icmpCode: number;
  /** Bit set of {@link TCP_FLAGS}. */
  tcpFlags: number;
}

/** TCP flag names in the order the kernel prints them, and their bits in `tcpFlags`. */
export const TCP_FLAGS = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;

/** What a line turned out to be. */
export const LineKind = {
  /** A kernel netfilter message with usable fields (drop or allow: see `drop`). */
  netfilter: 0,
  /** A drop line without a usable SRC, DST, PROTO or port. */
  malformed: 1,
  /** Not a netfilter line (other kernel messages, other programs, blank lines). */
  skipped: 2,
  /** `last message repeated N times`: counted as skipped, adds N of the drop before it. */
  repeat: 3,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** Why a drop line is malformed (words are rendered apart). */
export type MalformedReason = 'no-src' | 'no-dst' | 'no-proto' | 'no-ports' | 'no-time';

/** Input framing the line was recognised as. */
export type LineFormat = 'bsd' | 'rfc3339' | 'rfc5424' | 'journal';
