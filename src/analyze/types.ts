/**
 * What analysis produces, as plain JSON-ready data: renderers, checks and the CLI read
 * these types only.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import type { Diagnostic, Location } from '../model/diagnostics.js';
import type { Backend, RejectWith, Uncertainty } from '../model/ruleset.js';
import type { ProcessInfo, SocketProto } from '../model/snapshot.js';
import type { CloudHostFacts, InternetExposure, ServiceCloudPath } from './cloud-path/types.js';

/** Minimal CIDR lists per family. */
export interface SourceLists {
  ipv4: string[];
  ipv6: string[];
}

/** A rule (or a chain policy, when `position` is null) located in its ruleset. */
export interface RuleRef {
  backend: Backend;
  family: Family;
  table: string;
  chain: string;
  /** 1-based; null for the chain's policy. */
  position: number | null;
  /** The rule text, or "policy DROP". */
  text: string;
  origin?: Location;
}

export type Verdict = 'accept' | 'drop' | 'reject';

/** A rule that decided part of a service's traffic, and for which sources. */
export interface Decision {
  verdict: Verdict;
  rule: RuleRef;
  /** Hook the deciding chain is attached to. */
  hook: string;
  sources: SourceLists;
  /** Evidence lists are cut at 32 prefixes per family (a service's own sources never are): the further address ranges not listed. */
  omitted?: { ipv4: number; ipv6: number };
  /** true when the rule only may match (an uncertain construct). */
  uncertain: boolean;
}

export interface UncertainRule extends Uncertainty {
  rule: RuleRef;
}

/** How a service is reached. */
export type ServicePath =
  /** A local socket, reached through the input hook. */
  | { kind: 'local' }
  /**
   * A destination NAT to a local socket (REDIRECT, DNAT to a local address): the host port
   * differs from the socket's.
   */
  | { kind: 'redirect'; hostPorts: string }
  /**
   * A destination NAT to another address, forwarded (a published container port, a NodePort).
   * `target` is the first; `targets` lists them all when the DNAT spreads over several
   * (kube-proxy's endpoints).
   */
  | { kind: 'forward'; hostPorts: string; target: ForwardTarget; targets?: ForwardTarget[] };

/** Where a published port's connections go: a container's or pod's address and port. */
export interface ForwardTarget {
  address: string;
  port: string;
}

/** The sources a service admits through one input interface (their replies leave by it). */
export interface InterfaceReach {
  name: string;
  sources: SourceLists;
  /** Lists are cut at 32 prefixes per family: the further address ranges not listed. */
  omitted?: { ipv4: number; ipv6: number };
}

export interface ServiceReach {
  proto: SocketProto;
  /** The port a client connects to on this host. */
  port: number;
  /** Bind address of the socket ("0.0.0.0", "::", …); for forwarded services the host address matched ("*" for any local). */
  address: string;
  /** Socket family; an IPv6 wildcard socket that is not v6only also takes IPv4 (dualStack). */
  family: Family;
  dualStack: boolean;
  process: ProcessInfo | null;
  path: ServicePath;
  /** Remote sources that can open a new connection (packets arriving on non-loopback interfaces). */
  sources: SourceLists;
  /**
   * Set when a family's list was cut at 10,000 prefixes (a huge blocklist punches that many
   * holes): the number of further address ranges not listed. Judgements use the exact set.
   */
  sourcesOmitted?: { ipv4: number; ipv6: number };
  /** Where the verdicts for those sources came from. */
  decisions: Decision[];
  /** Constructs read conservatively on this service's paths. */
  uncertain: UncertainRule[];
  /** Admitted only subject to a rate or connection limit somewhere on the path. */
  rateLimited: boolean;
  /**
   * The input interfaces that admit it, each with the sources routed through it; absent when
   * the snapshot has no routing table (the arrival interface is then not known).
   */
  interfaces?: InterfaceReach[];
  /**
   * Families in which every admitted packet is addressed to a link-scoped destination
   * (fe80::/10, 169.254.0.0/16, multicast, broadcast): only hosts on the link can send them;
   * `sources` then lists the on-link sources only.
   */
  linkScoped?: Family[];
  /** The cloud layers in front of the host (audit --aws/--terraform with a joined snapshot); `sources` are then already narrowed by them. */
  cloud?: ServiceCloudPath;
  /** What later connections from one source meet (limits decided for the first connection). */
  laterConnections?: string[];
}

export interface ShadowedRule {
  rule: RuleRef;
  /** `unreachable`: no packet reaches it at all; `shadowed`: earlier rules decide everything it matches. */
  kind: 'shadowed' | 'unreachable';
  /** Earlier rules that cover it (a few, for the report). */
  coveredBy: RuleRef[];
}

/** Parse status per firewall source, as Batfish reports per file. */
export interface SourceStatus {
  /** e.g. "iptables-save (legacy)", "nft -j list ruleset". */
  source: string;
  status: 'passed' | 'partially-unrecognized' | 'failed' | 'unavailable';
  rules: number;
}

export interface HostAnalysis {
  name: string;
  collectedAt: string;
  services: ServiceReach[];
  shadowedRules: ShadowedRule[];
  /** Backends that hold rules, per family (more than one means a packet must pass all of them). */
  backends: Record<Family, Backend[]>;
  sourceStatus: SourceStatus[];
  /** Parse warnings, unsupported constructs, and what the collector could not read. */
  diagnostics: Diagnostic[];
  /** The snapshot's sysctls (dotted name → value as the kernel prints it, null when unreadable). */
  sysctls?: Record<string, string | null>;
  /** Model-level firewall facts the checks read (computed by the engine from the rules). */
  firewall?: FirewallFacts;
  /** A cloud instance (audit --aws/--terraform): its interfaces, assumptions and the host snapshot joined with it. */
  cloud?: CloudHostFacts;
  /** What the internet can open a new connection to through the cloud layers. */
  internet?: InternetExposure[];
  /** Families whose firewall could not be read (e.g. not root), and why: their sources assume no filtering. */
  firewallUnreadable?: Partial<Record<Family, string>>;
}

/** Facts about the rulesets as a whole, rather than about one service. */
export interface FirewallFacts {
  /**
   * Per family: true when every input-path drop (DROP/REJECT rule or drop policy) is preceded
   * by a LOG/NFLOG/`log` statement that sees the same packets; false when some drop is never
   * logged; null when nothing is dropped on input or it could not be decided.
   */
  inputDropsLogged: Record<Family, boolean | null>;
}

/** One flow, one answer (`portcullis explain`). */
export interface FlowQuery {
  from: string;
  to: string;
  port: number;
  proto: SocketProto;
  /** Source port; any when absent. */
  sport?: number;
  /** Input interface; any non-loopback interface when absent (loopback when `from` is local). */
  iface?: string;
}

export type TraceVerdict = Verdict | 'jump' | 'goto' | 'return' | 'continue' | 'dnat' | 'snat' | 'notrack' | 'queue' | 'unknown' | 'policy-accept' | 'policy-drop';

export interface TraceStep {
  hook: string;
  rule: RuleRef;
  verdict: TraceVerdict;
  /** The rule matched only part of the flow (e.g. some source ports or interfaces). */
  partial: boolean;
  /** The rule only may match (uncertain construct). */
  uncertain: boolean;
}

export interface FlowAnswer extends FlowQuery {
  /** nmap-like: open (admitted, listening), closed (admitted, nothing listens), filtered (dropped or rejected). */
  state: 'open' | 'closed' | 'filtered';
  firewall: Verdict;
  /** Reply type when rejected. */
  rejectWith?: RejectWith;
  /** The socket the flow is addressed to, whether or not the firewall lets it in; null when nothing listens there. */
  listener: { address: string; port: number; process: ProcessInfo | null } | null;
  /**
   * The input interfaces the source arrives on (the route back to it), each with the route
   * that decides; empty when no reply can reach it; absent when pinned by `iface`, when the
   * source is local, or when the snapshot has no routing table.
   */
  arrival?: { iface: string; route: string }[];
  trace: TraceStep[];
  uncertain: UncertainRule[];
  /** Plain-language facts: "depends on the input interface", "sent through NAT to 172.17.0.2:80". */
  notes: string[];
}
