/**
 * The harden plan: what `portcullis harden` decided for one host, before any rule text
 * (schemas/harden-plan.schema.json). Renderers turn it into nft, iptables-restore and sysctl
 * files; the proof compares the engine's answer for those files with `open`.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { ConnectionLimit } from '../../model/policy.js';
import type { Location } from '../../model/diagnostics.js';
import type { ForwardTarget, SourceLists } from '../types.js';

/** The policy entry behind a decision: `public[0]`, `allow[2]`, or the default public ports. */
export interface PolicyRef {
  kind: 'public' | 'allow' | 'default-public';
  /** Index in the policy's list; null for the defaults. */
  index: number | null;
  /** e.g. "allow[0] from admins, 192.0.2.0/24 (policy.yaml:14)". */
  text: string;
  location?: Location;
}

/** A port the new rules open, and to whom. */
export interface PlannedService {
  proto: 'tcp' | 'udp';
  port: number;
  /** Catalog name ("ssh", "redis", "unknown") and the process, for comments. */
  service: string;
  process: string | null;
  /** `local`: a socket of this host (input hook); `forward`: a published container port (forward hook). */
  path: 'local' | 'forward';
  /** For `forward`: where the published port's connections go. */
  targets?: ForwardTarget[];
  /** Families the listener takes. */
  families: Family[];
  /** The sources the policy intends, per family (minimal CIDR lists, as the audit JSON). */
  sources: SourceLists;
  public: boolean;
  /** New connections per source are limited (admin ports). */
  rateLimited: boolean;
  because: PolicyRef;
}

/** A listener that gets no rule: `not-in-policy` stays closed; `loopback` needs none. */
export interface UnopenedListener {
  proto: 'tcp' | 'udp';
  port: number;
  addresses: string[];
  process: string | null;
  service: string;
  path: 'local' | 'forward';
}

export interface HardenPlan {
  format: 'portcullis-harden-plan';
  version: 1;
  host: string;
  policy: { file: string } | null;
  open: PlannedService[];
  /** Listeners the policy does not mention: closed from outside. */
  closed: UnopenedListener[];
  /** Listeners bound to loopback only: no rule needed. */
  loopbackOnly: UnopenedListener[];
  adminRateLimit: ConnectionLimit;
  ephemeralPorts: { from: number; to: number };
  /** Listening ports inside the ephemeral range, for ip_local_reserved_ports. */
  reservedPorts: number[];
  /** Drops are logged (rate-limited) with this prefix; `portcullis logs` reads them as drops. */
  logPrefix: string;
}
