/**
 * The host snapshot: what `portcullis collect` writes and every analysis reads. It keeps
 * the firewall as the kernel's own tools printed it (text or JSON, unparsed), so a snapshot
 * can be re-analysed by a later, better Portcullis. Schema: schemas/snapshot.schema.json.
 *
 * @module
 */
import type { Family } from './addr.js';
import type { RoutingState } from './routing.js';

export const SNAPSHOT_FORMAT = 'portcullis-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** ISO 8601 time of collection. */
  collectedAt: string;
  tool: { name: 'portcullis'; version: string };
  host: HostInfo;
  /** Who collected: a normal user sees less (no process of other users, no firewall). */
  privileges: { uid: number; euid: number; root: boolean };
  /** Null when the interface list could not be read (see `unreadable`). */
  interfaces: NetInterface[] | null;
  /**
   * Routes and policy rules per family (`ip -j route show table all`, `ip -j rule`). Absent in
   * snapshots of older versions: then the arrival interface of a source is not known.
   */
  routing?: RoutingState;
  /** Null when the socket tables could not be read. */
  sockets: Socket[] | null;
  firewall: FirewallSource[];
  /** sysctl name (dotted, e.g. "net.ipv4.tcp_syncookies") → value as the kernel prints it, or null if unreadable. */
  sysctls: Record<string, string | null>;
  /** Everything the collector could not read, with the reason. */
  unreadable: Unreadable[];
}

export interface HostInfo {
  hostname: string;
  kernel: string | null;
  /** The cloud instance this host is (`collect --imds`), for joining it with a cloud export by id. */
  cloud?: { provider: 'aws'; instanceId: string };
}

export interface NetInterface {
  name: string;
  index: number;
  up: boolean;
  loopback: boolean;
  addresses: InterfaceAddress[];
  /** `link_type` of `ip -j addr`: "ether", "loopback", "none" (WireGuard, tun), …; absent in older snapshots. */
  linkType?: string;
  /** `operstate`: "UP", "DOWN", "UNKNOWN", …; absent in older snapshots. */
  operState?: string;
}

export interface InterfaceAddress {
  family: Family;
  address: string;
  prefixLength: number;
  /** "host", "link" or "global", as `ip -j addr` says. */
  scope: string;
  broadcast?: string;
}

export type SocketProto = 'tcp' | 'udp';

export interface Socket {
  proto: SocketProto;
  /** The family of the socket (an AF_INET6 socket bound to :: may also take IPv4: see v6only). */
  family: Family;
  /** Bind address as text: "0.0.0.0", "::", "127.0.0.1", "2001:db8::1", … */
  address: string;
  port: number;
  /** For IPv6 sockets on "::": true if IPV6_V6ONLY; null when unknown (treated as dual-stack). */
  v6only: boolean | null;
  /** Bound to one interface (SO_BINDTODEVICE): its bare name, e.g. "eth0"; null when not or unknown. */
  device: string | null;
  /** Socket owner uid from the socket table. */
  uid: number;
  inode: number;
  process: ProcessInfo | null;
}

export interface ProcessInfo {
  pid: number;
  name: string;
  cmdline: string[];
  user: string | null;
}

/** The kind of dump a firewall source holds. */
export type FirewallSourceKind = 'iptables-save' | 'ip6tables-save' | 'nft-json' | 'ipset-save';

export interface FirewallSource {
  kind: FirewallSourceKind;
  /** For iptables-save: which backend's binary printed it. */
  backend: 'nft' | 'legacy' | null;
  /** The command as argv, e.g. ["iptables-legacy-save"]. */
  command: string[];
  /**
   * "ok" when read; otherwise `reason` says why not and `content` is absent. An "ok" source
   * with a `reason` was not run because the kernel tells its answer, the empty dump in
   * `content` (e.g. no legacy iptables table exists).
   */
  status: 'ok' | 'unavailable' | 'error';
  reason?: string;
  /** Raw output: text for -save dumps, text (JSON) for nft-json, as printed. */
  content?: string;
  /** Anything the tool printed on stderr (warnings such as "table … is incompatible"). */
  stderr?: string;
  /**
   * For an iptables-nft-save dump: its tables (e.g. "filter", "nat") whose nftables copy
   * collect did not list with `nft -j`, since this dump holds them. Absent in older snapshots,
   * whose nft dump holds that copy too (passed over when read).
   */
  nftTablesLeftOut?: string[];
}

export interface Unreadable {
  /** What could not be read, e.g. "process owners of sockets", "iptables-legacy-save". */
  what: string;
  reason: string;
  /** A hint, e.g. "run as root". */
  hint?: string;
}

/** The sysctls that shape exposure, as collected. */
export const EXPOSURE_SYSCTLS = [
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ip_forward',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv4.conf.all.accept_redirects',
  'net.ipv4.conf.default.accept_redirects',
  'net.ipv4.conf.all.secure_redirects',
  'net.ipv4.conf.all.send_redirects',
  'net.ipv4.conf.all.accept_source_route',
  'net.ipv4.conf.default.accept_source_route',
  'net.ipv4.conf.all.log_martians',
  'net.ipv4.conf.default.log_martians',
  'net.ipv4.conf.all.route_localnet',
  'net.ipv4.icmp_echo_ignore_broadcasts',
  'net.ipv6.conf.all.forwarding',
  'net.ipv6.conf.all.accept_redirects',
  'net.ipv6.conf.default.accept_redirects',
  'net.ipv6.conf.all.accept_source_route',
  'net.ipv6.conf.default.accept_source_route',
  'net.ipv6.conf.all.accept_ra',
  'net.ipv6.bindv6only',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
] as const;
