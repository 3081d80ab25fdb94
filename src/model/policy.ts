/**
 * The audit policy as plain data: what the YAML policy file (schemas/policy.schema.json)
 * parses to (src/parse/policy.ts) and what the audit (src/analyze/audit) reads. It lives in
 * model/ because parse/ and analyze/ may both see only model/.
 *
 * @module
 */
import type { Location } from './diagnostics.js';

export type PolicySeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** An inclusive port range of one protocol ("80/tcp" is 80..80, "60000-61000/udp"). */
export interface PortRange {
  proto: 'tcp' | 'udp';
  from: number;
  to: number;
}

/** A named trusted source list with every reference to other lists resolved to CIDRs. */
export interface TrustedList {
  name: string;
  ipv4: string[];
  ipv6: string[];
  location?: Location;
}

/** Ports meant to be public on the hosts whose name matches one of the globs. */
export interface PublicPorts {
  /** Hostname globs (`*`, `?`), e.g. "web-*". */
  hosts: string[];
  ports: PortRange[];
  location?: Location;
}

/** A finding accepted for a while: matches by host glob, check id and service, all optional but not all absent. */
export interface PolicyException {
  host: string | null;
  check: string | null;
  service: PortRange | null;
  reason: string;
  /** Last day it applies, YYYY-MM-DD (UTC). */
  expires: string;
  location?: Location;
}

/** Sources an `allow` entry names: trusted list names (resolved) and CIDRs, per family. */
export interface AllowSources {
  /** The entries as written (list names and CIDRs), for comments and messages. */
  names: string[];
  ipv4: string[];
  ipv6: string[];
}

/** Ports opened to named sources only, on the hosts whose name matches one of the globs (`harden`). */
export interface AllowEntry {
  hosts: string[];
  ports: PortRange[];
  from: AllowSources;
  location?: Location;
}

/** A per-source limit on new connections: `connections` per `seconds` (ufw's `limit`: 6 per 30 s). */
export interface ConnectionLimit {
  connections: number;
  seconds: number;
}

/** What `portcullis harden` needs beyond the audit's keys; absent keys take the defaults. */
export interface HardenSettings {
  /** `net.ipv4.ip_local_port_range`; null keeps the kernel's (32768-60999). */
  ephemeralPorts: { from: number; to: number } | null;
  /** Admin ports get the per-source limit; null: the catalog's remote-admin services. */
  adminPorts: PortRange[] | null;
  /** Null: 6 per 30 s. */
  adminRateLimit: ConnectionLimit | null;
  location?: Location;
}

export interface Policy {
  /** The file it was read from, for reports. */
  file: string;
  trusted: TrustedList[];
  /** Empty: the default public ports (80/tcp, 443/tcp) apply to every host. */
  publicPorts: PublicPorts[];
  /** Severity per check id. */
  severity: Record<string, PolicySeverity>;
  /** Location of each severity override, for diagnostics about unknown check ids. */
  severityLocations?: Record<string, Location>;
  /** Replaces the default restricted common ports (TCP 20, 21, 3389, 3306, 4333); null keeps them. */
  restrictedPorts: PortRange[] | null;
  exceptions: PolicyException[];
  /** Ports open to named sources only (harden); absent or empty: none. */
  allow?: AllowEntry[];
  /** Harden settings; absent: the defaults. */
  harden?: HardenSettings;
}
