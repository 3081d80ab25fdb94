/**
 * The host's routing state as `ip -j route show table all` and `ip -j rule` print it, per
 * family: what decides which interface a remote source arrives on (the reply to it leaves
 * by the route back, so that is the only interface a connection from it can use).
 *
 * @module
 */
import type { Family } from './addr.js';

/** Route types that carry nothing to a remote host: the lookup ends and no reply leaves. */
export const NO_ROUTE_TYPES = ['unreachable', 'blackhole', 'prohibit'] as const;

/** Route types that describe this host's own or broadcast addresses (the kernel's local table). */
export const HOST_ROUTE_TYPES = ['local', 'broadcast', 'anycast', 'multicast', 'nat'] as const;

export interface Nexthop {
  /** Output interface; null when the route names none (e.g. a nexthop object not resolved). */
  dev: string | null;
  gateway: string | null;
}

export interface Route {
  /** "main", "local", "default" or a number as text ("100"). */
  table: string;
  /** "unicast", "local", "broadcast", "unreachable", "blackhole", "prohibit", "throw", … */
  type: string;
  /** Destination prefix in CIDR form ("0.0.0.0/0" for default). */
  dst: string;
  /** One per path (ECMP: several); empty for unreachable/blackhole/prohibit/throw. */
  nexthops: Nexthop[];
  metric: number | null;
}

export type PolicyAction = 'table' | 'goto' | 'nop' | 'unreachable' | 'blackhole' | 'prohibit';

export interface PolicyRule {
  priority: number;
  /** `not`: the rule matches what its selectors do not. */
  not: boolean;
  /** Source prefix (the reply's source: a local address), null for all. */
  from: string | null;
  /** Destination prefix (the remote peer), null for all. */
  to: string | null;
  iif: string | null;
  oif: string | null;
  /**
   * Selectors the analysis cannot decide for a reply (fwmark, ipproto, sport, dport,
   * uidrange, l3mdev, tun_id), as printed: such a rule may or may not match.
   */
  undecided: string[];
  action: PolicyAction;
  /** For `table`: the table looked up. */
  table: string | null;
  /** For `goto`: the priority to continue at. */
  goto: number | null;
  /** `suppress_prefixlength N`: a route of prefix length N or shorter found in this table is ignored. */
  suppressPrefixLength: number | null;
}

export interface FamilyRouting {
  routes: Route[];
  rules: PolicyRule[];
}

/** Per family; null when that family's routes or rules could not be read (see `unreadable`). */
export type RoutingState = Record<Family, FamilyRouting | null>;
