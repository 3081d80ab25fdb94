/**
 * Host facts that firewall lowering needs beyond the rules themselves: which addresses are
 * local (`-m addrtype --dst-type LOCAL`, `fib daddr type local`) and the members of ipsets.
 * Built from a snapshot by analyze/; lowering takes it as plain data.
 *
 * @module
 */
import type { AddrSet, Family } from './addr.js';
import type { DimSet } from './packet-set.js';

export interface HostContext {
  /** Addresses the kernel treats as local, per family (host addresses and loopback ranges); null when unknown. */
  localAddrs: Record<Family, AddrSet | null>;
  /** Broadcast addresses of the host's IPv4 networks plus 255.255.255.255; null when unknown. */
  broadcastAddrs: AddrSet | null;
  /** ipsets by name, from `ipset save`; a set absent here has unknown members. */
  ipsets: ReadonlyMap<string, IpSet>;
}

/** One ipset (`ipset save` output), with its entries as typed components. */
export interface IpSet {
  name: string;
  /** e.g. "hash:ip", "hash:net,port", "bitmap:port", "list:set". */
  type: string;
  family: Family | null;
  entries: IpSetEntry[];
  /**
   * `nomatch` entries: exceptions. The kernel tries the packet against the set's prefixes from
   * the most specific, so the most specific entry containing the packet decides.
   */
  exceptions: IpSetEntry[];
  /**
   * Sets whose only component is an address (hash:ip, hash:net, bitmap:ip): their entries
   * (not the nomatch ones) as two parallel lists of bounds, entry i covering
   * [los[i], his[i]) (nothing when los[i] >= his[i]), and `entries` is then empty. A
   * million-ban fail2ban set is two Float64Arrays instead of a million objects.
   */
  addrEntries?: AddrEntries;
  /** list:set: the member sets' names, in order (a packet matches if any member does). */
  members?: string[];
  /** The type is not modelled (MAC, mark…): lowering must treat matches as uncertain. */
  partial: boolean;
}

/** Entry bounds of one family: numbers for IPv4, bigints for IPv6. */
export type AddrEntries = { los: Float64Array; his: Float64Array } | { los: bigint[]; his: bigint[] };

/** An entry is one value per dimension of the set type, in order (e.g. hash:net,port → [addr, port]). */
export type IpSetEntry = IpSetComponent[];

export type IpSetComponent =
  | { kind: 'addr'; set: AddrSet }
  | { kind: 'port'; proto: number | null; ports: DimSet }
  | { kind: 'iface'; name: string }
  | { kind: 'mark'; value: number };

/**
 * Every entry as components, `addrEntries` expanded: the general reading, for code and tests
 * that do not need the compact form's speed.
 */
export function ipsetEntries(set: IpSet): IpSetEntry[] {
  if (!set.addrEntries) return set.entries;
  const { los, his } = set.addrEntries;
  const out: IpSetEntry[] = [];
  for (let k = 0; k < los.length; k++) {
    const lo = los[k]!;
    const hi = his[k]!;
    out.push([{ kind: 'addr', set: (lo < hi ? [lo, hi] : []) as AddrSet }]);
  }
  return out.concat(set.entries);
}

export function emptyHostContext(): HostContext {
  return { localAddrs: { ipv4: null, ipv6: null }, broadcastAddrs: null, ipsets: new Map() };
}
