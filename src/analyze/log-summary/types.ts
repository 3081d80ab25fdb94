/**
 * The drop-log summary: what `portcullis logs` reports (schemas/logs.schema.json), and the
 * packet facts it is folded from.
 *
 * @module
 */
import type { Exposure, RiskClass, Severity } from '../audit/types.js';

/** One logged packet as the fold needs it (parse/netfilter-log's record fits this shape). */
export interface PacketEvent {
  /** ms since the epoch, UTC. */
  time: number;
  prefix: string;
  drop: boolean;
  src: string;
  /** `src` as a 32-bit number when the parser read a canonical dotted quad (a faster key); -1 or absent otherwise. */
  srcV4?: number;
  proto: string;
  /** -1 when the protocol has no ports. */
  dpt: number;
  icmpType: number;
  /** The interface it arrived on (`IN=`; empty for locally sent packets). */
  inIface: string;
  /** TCP flags as bits in the kernel's print order, CWR (128) … FIN (1); 0 for other protocols. */
  tcpFlags: number;
}

/** Why a drop line was malformed, with where it is (a few are kept for the report). */
export interface MalformedExample {
  file: string;
  line: number;
  reason: string;
  text: string;
}

export interface LineCounts {
  /** Every line read; always netfilter + malformed + skipped. */
  read: number;
  netfilter: number;
  malformed: number;
  skipped: number;
  /** Of the netfilter lines: drops (the rest say ALLOW, ACCEPT or AUDIT). */
  drops: number;
  notDrops: number;
  /** Attempts added by `last message repeated N times` lines (the lines are skipped). */
  repeated: number;
  /** Drops outside --since/--until (not counted as attempts). */
  outsideRange: number;
}

export interface ServiceTag {
  name: string;
  label: string;
  risk: { class: RiskClass; severity: Severity } | null;
}

export interface DayCount {
  date: string;
  attempts: number;
  sources: number;
}

export interface HourCount {
  hour: string;
  attempts: number;
}

/**
 * TCP attempts by flags: `syn` opens a connection (SYN without ACK, RST or FIN: what a scan
 * or a client sends), `other` does not (ACK, RST, FIN, SYN-ACK: mostly stray replies to
 * connections the host already forgot, or ACK/FIN/Xmas scans).
 */
export interface TcpFlagCount {
  syn: number;
  other: number;
}

/** Attempts that arrived on one interface. */
export interface InterfaceShare {
  /** As the kernel printed `IN=` (empty for locally sent packets). */
  name: string;
  attempts: number;
}

export interface InterfaceCount {
  name: string;
  attempts: number;
  sources: number;
  /** Distinct ports (protocol and number) tried through it. */
  ports: number;
}

export interface PortCount {
  proto: string;
  port: number;
  attempts: number;
  sources: number;
  service: ServiceTag | null;
  /** Per arrival interface, most attempts first. */
  interfaces: InterfaceShare[];
  /** For TCP ports; null for the others. */
  tcp: TcpFlagCount | null;
}

export interface ProtocolCount {
  proto: string;
  attempts: number;
  sources: number;
}

export interface SourceCount {
  address: string;
  attempts: number;
  /** Distinct ports (protocol and number) it tried. */
  ports: number;
  first: string;
  last: string;
  /** Interfaces its attempts arrived on, by name. */
  interfaces: string[];
}

export interface Scanner {
  address: string;
  ports: number;
  attempts: number;
  first: string;
  last: string;
  /** The attempt at which it had touched enough distinct ports within one window. */
  detectedAt: string;
  /** Interfaces its attempts arrived on, by name. */
  interfaces: string[];
  /** Its TCP attempts by flags: mostly `other` is more likely stray replies than a scan. */
  tcp: TcpFlagCount;
}

export interface ExposedHit {
  proto: string;
  port: number;
  attempts: number;
  sources: number;
  exposure: Exposure;
  service: ServiceTag | null;
}

export interface LogSummary {
  format: 'portcullis-logs';
  version: 1;
  generatedAt: string;
  tool: { name: 'portcullis'; version: string };
  inputs: string[];
  lines: LineCounts;
  attempts: number;
  first: string | null;
  last: string | null;
  range: { since: string | null; until: string | null };
  scan: { ports: number; windowSeconds: number };
  days: DayCount[];
  /** Per hour, when the attempts span less than two days. */
  hours: HourCount[] | null;
  ports: PortCount[];
  protocols: ProtocolCount[];
  /** Attempts per arrival interface (IN=), most first. */
  interfaces: InterfaceCount[];
  sources: SourceCount[];
  scanners: Scanner[];
  prefixes: { prefix: string; lines: number }[];
  malformed: MalformedExample[];
  /** Joined with the host's exposure (a snapshot or this host); null without one. */
  exposure: { host: string } | null;
  exposedHits: ExposedHit[] | null;
}
