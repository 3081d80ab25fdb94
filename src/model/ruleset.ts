/**
 * The vendor-neutral firewall model that analysis reads. iptables-save and nft JSON each
 * parse to their own AST and lower to these types (parse/<format>/lower.ts), one
 * {@link FirewallModel} per address family; an nft `inet` table lowers into both.
 *
 * Analysis never branches on where a rule came from: everything it needs (hook, priority,
 * table kind, what was not understood) is carried as data here.
 *
 * @module
 */
import type { Family } from './addr.js';
import type { Location } from './diagnostics.js';
import type { DimSet, PacketSet } from './packet-set.js';
import { nameTable } from './name-table.js';

/** Which firewall implementation a chain lives in; all of them filter every packet. */
export type Backend = 'iptables-legacy' | 'iptables-nft' | 'nftables';

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress';

/** What a base chain may do: nat chains see only the first packet of tracked connections. */
export type ChainKind = 'filter' | 'nat' | 'route';

/** Reject reply types (iptables `--reject-with`, nft `reject with`), normalised. */
export type RejectWith =
  | 'tcp-reset'
  | 'port-unreachable'
  | 'host-unreachable'
  | 'net-unreachable'
  | 'proto-unreachable'
  | 'net-prohibited'
  | 'host-prohibited'
  | 'admin-prohibited'
  | 'addr-unreachable'
  | 'no-route'
  | 'policy-fail'
  | 'reject-route';

export type Action =
  | { type: 'accept' }
  | { type: 'drop' }
  | { type: 'reject'; with: RejectWith }
  | { type: 'jump'; chain: string }
  | { type: 'goto'; chain: string }
  | { type: 'return' }
  /** Non-terminating statement: LOG, NFLOG, counter, MARK, … (`note` says which). */
  | { type: 'continue'; note: string }
  /**
   * Destination NAT (DNAT, REDIRECT, NETMAP in prerouting/output): terminal in its chain,
   * the packet goes on with the new destination. Absent fields keep the original value;
   * REDIRECT sets `toLocal` (the primary address of the input interface).
   */
  | { type: 'dnat'; addr?: DimSet; ports?: DimSet; toLocal?: boolean }
  /** Source NAT (SNAT, MASQUERADE): terminal in its chain, destination unchanged. */
  | { type: 'snat' }
  /** Stop connection tracking for the packet (raw NOTRACK / CT --notrack / nft notrack). */
  | { type: 'notrack' }
  /** Handed to userspace (NFQUEUE): it may accept or drop. */
  | { type: 'queue' }
  /** A target not modelled: it may accept, drop, or let the packet go on. */
  | { type: 'unknown'; name: string };

/** A construct read the conservative way: the rule "may match" the packets of its known part. */
export interface Uncertainty {
  /** The construct as written, e.g. "-m recent --rcheck" or "meta mark". */
  construct: string;
  /**
   * - `unmodelled`: understood, but its condition is not a packet-space dimension (mark, MAC, owner…)
   * - `unknown`: not understood at all
   * - `rate-limit`: admits packets subject to a rate or count (limit, hashlimit, recent, connlimit…)
   * - `missing-data`: refers to data the snapshot lacks (an ipset's members, local addresses)
   */
  kind: 'unmodelled' | 'unknown' | 'rate-limit' | 'missing-data';
  detail?: string;
}

/**
 * A rate or count limiter read for a source's first connection attempt, the question the
 * audit answers ("can this source open a connection"): its answer then is known, e.g.
 * `connlimit --connlimit-above 10` cannot match yet, `limit --limit 3/min --limit-burst 5`
 * does. What happens to later connections is kept as words for the reports.
 */
export interface Limiter {
  /** The construct as written, e.g. "-m connlimit --connlimit-above 10". */
  construct: string;
  /** Whether the limiter lets the rule match a source's first connection. */
  first: 'matches' | 'no-match';
  /** The condition for later connections, e.g. "more than 10 concurrent connections from one address". */
  later: string;
}

export interface Rule {
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  position: number;
  /** The rule as written in its source (an iptables-save line, an nft rule rendered). */
  text: string;
  origin: Location;
  /** Packets the rule's known conditions match. */
  match: PacketSet;
  /** Conditions not decided exactly; when non-empty the rule only *may* match `match`. */
  uncertain: readonly Uncertainty[];
  /**
   * Limiters decided for the first connection. With one that cannot match yet (`no-match`),
   * the rule does not apply to a first connection at all; `match` keeps its other conditions
   * so that reports can say what later connections meet.
   */
  limits?: readonly Limiter[];
  action: Action;
  /** Comment attached to the rule (`-m comment`, nft `comment`). */
  comment?: string;
  /** nft rule handle, when known. */
  handle?: number;
}

export interface Chain {
  /** Unique across the model: `${backend}/${family}/${table}/${name}`. */
  id: string;
  backend: Backend;
  family: Family;
  /** Table name (nft: "inet filter" keeps its own family in `tableFamily`). */
  table: string;
  tableFamily: string;
  name: string;
  rules: Rule[];
  origin: Location;
}

export interface BaseChain {
  chain: string;
  hook: Hook;
  /** Netfilter priority: lower runs first (raw -300, mangle -150, dnat -100, filter 0, security 50, snat 100). */
  priority: number;
  policy: 'accept' | 'drop';
  kind: ChainKind;
}

/** Everything one address family's packets pass through, all backends together. */
export interface FirewallModel {
  family: Family;
  chains: Map<string, Chain>;
  baseChains: BaseChain[];
}

/** Priorities of the xtables tables, as the kernel registers them (include/uapi/linux/netfilter_ipv4.h). */
export const XTABLES_PRIORITY: Record<string, number> = nameTable({
  raw: -300,
  mangle: -150,
  nat: -100,
  filter: 0,
  security: 50,
});

/** iptables nat chains on input/postrouting are SNAT, at priority 100. */
export const NAT_SRC_PRIORITY = 100;

export function chainId(backend: Backend, family: Family, table: string, name: string): string {
  // Joined, not concatenated: `+` makes a tree of five strings that a model of 20,000 chains
  // keeps (a map hashes and compares it without flattening it).
  return [backend, family, table, name].join('/');
}

export function emptyModel(family: Family): FirewallModel {
  return { family, chains: new Map(), baseChains: [] };
}

/** Merge per-backend models of one family into the one the engine walks. */
export function mergeModels(family: Family, models: readonly FirewallModel[]): FirewallModel {
  const out = emptyModel(family);
  for (const m of models) {
    for (const [id, c] of m.chains) out.chains.set(id, c);
    out.baseChains.push(...m.baseChains);
  }
  return out;
}
