/**
 * Symbolic constants nft prints in JSON: ICMP types and codes, services, conntrack bits,
 * TCP flags, fib route types, named chain priorities. Kept here so lowering does not depend
 * on the analysing machine's /etc/services or nft version.
 *
 * @module
 */
import { nameTable } from '../../model/name-table.js';

/** Named base-chain priorities of the ip, ip6, inet and netdev families (nft(8) "PRIORITY"). */
export const NAMED_PRIORITIES: Readonly<Record<string, number>> = nameTable({
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
});

export const ICMP_TYPES: Readonly<Record<string, number>> = nameTable({
  'echo-reply': 0, 'destination-unreachable': 3, 'source-quench': 4, redirect: 5, 'echo-request': 8,
  'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11, 'parameter-problem': 12,
  'timestamp-request': 13, 'timestamp-reply': 14, 'info-request': 15, 'info-reply': 16,
  'address-mask-request': 17, 'address-mask-reply': 18,
});

export const ICMPV6_TYPES: Readonly<Record<string, number>> = nameTable({
  'destination-unreachable': 1, 'packet-too-big': 2, 'time-exceeded': 3, 'parameter-problem': 4,
  'echo-request': 128, 'echo-reply': 129, 'mld-listener-query': 130, 'mld-listener-report': 131,
  'mld-listener-done': 132, 'mld-listener-reduction': 132, 'nd-router-solicit': 133, 'nd-router-advert': 134,
  'nd-neighbor-solicit': 135, 'nd-neighbor-advert': 136, 'nd-redirect': 137, 'router-renumbering': 138,
  'ind-neighbor-solicit': 141, 'ind-neighbor-advert': 142, 'mld2-listener-report': 143,
});

/** `icmp code` names (icmp_code_type in nft). */
export const ICMP_CODES: Readonly<Record<string, number>> = nameTable({
  'net-unreachable': 0, 'host-unreachable': 1, 'prot-unreachable': 2, 'port-unreachable': 3,
  'frag-needed': 4, 'net-prohibited': 9, 'host-prohibited': 10, 'admin-prohibited': 13,
});

/** `icmpv6 code` names (icmpv6_code_type in nft). */
export const ICMPV6_CODES: Readonly<Record<string, number>> = nameTable({
  'no-route': 0, 'admin-prohibited': 1, 'addr-unreachable': 3, 'port-unreachable': 4,
  'policy-fail': 5, 'reject-route': 6,
});

/** Services nft may print by name (it prints numbers unless asked otherwise). */
export const SERVICES: Readonly<Record<string, number>> = nameTable({
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  http: 80, pop3: 110, sunrpc: 111, auth: 113, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138,
  'netbios-ssn': 139, imap: 143, imap2: 143, snmp: 161, ldap: 389, https: 443, 'microsoft-ds': 445,
  isakmp: 500, syslog: 514, submission: 587, ldaps: 636, rsync: 873, imaps: 993, pop3s: 995,
  openvpn: 1194, 'ms-sql-s': 1433, mysql: 3306, 'ipsec-nat-t': 4500, postgresql: 5432,
  'http-alt': 8080, webcache: 8080, 'mdns': 5353, 'dhcpv6-client': 546, 'dhcpv6-server': 547,
});

/** Conntrack state bits (NF_CT_STATE_*_BIT) and the {@link CtState} they stand for. */
export const CT_STATE_BITS: Readonly<Record<string, number>> = nameTable({
  invalid: 1, established: 2, related: 4, new: 8, untracked: 64,
});

/** Conntrack status bits (IPS_*), of which only the NAT ones are modelled. */
export const CT_STATUS_BITS: Readonly<Record<string, number>> = nameTable({
  expected: 1, 'seen-reply': 2, assured: 4, confirmed: 8, snat: 16, dnat: 32, dying: 512,
});

export const TCP_FLAG_NAMES: Readonly<Record<string, number>> = nameTable({
  fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128,
});

/** Route types of `fib … type` (RTN_*). */
export const FIB_TYPES: Readonly<Record<string, number>> = nameTable({
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6,
  unreachable: 7, prohibit: 8, throw: 9, nat: 10, xresolve: 11,
});

/** `meta pkttype` values (PACKET_*). */
export const PKT_TYPES: Readonly<Record<string, number>> = nameTable({ host: 0, unicast: 0, broadcast: 1, multicast: 2, other: 3 });

/** `meta nfproto` values (NFPROTO_*). */
export const NFPROTOS: Readonly<Record<string, number>> = nameTable({ inet: 1, ipv4: 2, arp: 3, netdev: 5, bridge: 7, ipv6: 10 });

/** `meta protocol` / `ether type` values (ETH_P_*). */
export const ETHER_TYPES: Readonly<Record<string, number>> = nameTable({ ip: 0x0800, arp: 0x0806, ip6: 0x86dd, vlan: 0x8100, '8021q': 0x8100, '8021ad': 0x88a8 });
