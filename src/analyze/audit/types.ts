/**
 * The audit report: what `portcullis audit` prints as JSON (schemas/audit.schema.json) and
 * what the text, SARIF and HTML renderers read.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { Location } from '../../model/diagnostics.js';
import type { CloudRuleRef } from '../cloud-path/types.js';
import type { Decision, HostAnalysis, ServiceReach, SourceLists } from '../types.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * - world: reachable from at least half of the public address space of its family
 * - wide: public sources beyond 65,536 addresses
 * - allowlisted: only specific public sources (at most 65,536 addresses)
 * - internal: only private, CGNAT, link-local or ULA sources
 * - local: only this host
 * - closed: nobody (not even this host: e.g. a socket bound to an address the host lacks)
 */
export type Exposure = 'world' | 'wide' | 'allowlisted' | 'internal' | 'local' | 'closed';
export const EXPOSURES: readonly Exposure[] = ['world', 'wide', 'allowlisted', 'internal', 'local', 'closed'];

/** Why a service is risky, from the service knowledge table. */
export type RiskClass = 'cleartext-credentials' | 'unauthenticated-datastore' | 'remote-admin' | 'amplification' | 'container-api';

export interface ServiceIdentity {
  /** e.g. "redis", "ssh"; "unknown" when neither port nor process is recognised. */
  name: string;
  /** Human label, e.g. "Redis". */
  label: string;
  /** How it was recognised. */
  by: 'process' | 'port' | 'unknown';
  risks: ServiceRisk[];
  /** The config line that keeps it off the network, e.g. "bind 127.0.0.1 ::1  # in redis.conf". */
  localOnly?: string;
}

export interface ServiceRisk {
  class: RiskClass;
  reason: string;
  /** The secure replacement, e.g. "SSH (sftp/scp)". */
  alternative?: string;
  /** Severity when reachable from the world or wide ranges; checks lower it for narrower exposure. */
  severity: Severity;
  /** A config line or command that removes the risk without closing the port. */
  fix?: string;
}

export interface AuditedService extends ServiceReach {
  exposure: Exposure;
  exposureByFamily: Record<Family, Exposure>;
  service: ServiceIdentity;
  /** The policy (or the default) lists this port as public for this host. */
  listedPublic: boolean;
  /** Names of the policy's trusted lists that together hold every remote source; null when some source is outside them (or there is no remote source). */
  trustedBy: string[] | null;
}

export interface Finding {
  /** Stable across runs: `${rule}:${host}:${proto}/${port}` (or without the service part). */
  id: string;
  /** The check that produced it, e.g. "datastore-exposed". */
  rule: string;
  severity: Severity;
  host: string;
  service: { proto: 'tcp' | 'udp'; port: number } | null;
  title: string;
  evidence: {
    exposure?: Exposure;
    /** At most 100 prefixes per family (the first of the service's lists, which are whole in `hosts[].services`; issue 8). */
    sources?: SourceLists;
    /** Set when `sources` does not show every prefix the engine found: per family, how many it leaves out (cut here, or already by the service). */
    sourcesOmitted?: { ipv4: number; ipv6: number };
    decisions?: Decision[];
    /** The cloud rules that decide it (security group rules, network ACL entries), with where they are declared. */
    cloudRules?: CloudRuleRef[];
    /** Plain facts: "net.ipv4.tcp_syncookies = 0", "INPUT policy ACCEPT, no DROP rule". */
    facts: string[];
  };
  remediation: {
    summary: string;
    /** Commands or config lines that fix it, ready to paste. */
    commands: string[];
  };
  /** Set when a policy exception suppresses it (suppressed findings are listed, not counted). */
  suppressed?: { reason: string; expires: string; location?: Location };
}

export interface AuditedHost extends Omit<HostAnalysis, 'services'> {
  services: AuditedService[];
}

export interface AuditReport {
  format: 'portcullis-audit';
  version: 1;
  generatedAt: string;
  tool: { name: 'portcullis'; version: string };
  policy: { file: string } | null;
  hosts: AuditedHost[];
  findings: Finding[];
  summary: Record<Severity, number>;
}
