/**
 * IP protocol numbers by name, as /etc/protocols and iptables/nft print them. Kept here so
 * that parsing does not depend on the analysing machine's /etc/protocols.
 *
 * @module
 */
import { nameTable } from './name-table.js';
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = nameTable({
  ip: 0, hopopt: 0, icmp: 1, igmp: 2, ggp: 3, ipencap: 4, st: 5, tcp: 6, egp: 8, igp: 9, pup: 12,
  udp: 17, hmp: 20, 'xns-idp': 22, rdp: 27, 'iso-tp4': 29, dccp: 33, xtp: 36, ddp: 37, 'idpr-cmtp': 38,
  ipv6: 41, 'ipv6-route': 43, 'ipv6-frag': 44, idrp: 45, rsvp: 46, gre: 47, esp: 50, ah: 51,
  skip: 57, 'ipv6-icmp': 58, icmpv6: 58, icmp6: 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, rspf: 73, vmtp: 81,
  eigrp: 88, ospf: 89, ospfigp: 89, 'ax.25': 93, ipip: 94, etherip: 97, encap: 98, pim: 103,
  ipcomp: 108, vrrp: 112, l2tp: 115, isis: 124, sctp: 132, fc: 133, 'mobility-header': 135,
  udplite: 136, 'mpls-in-ip': 137, manet: 138, hip: 139, shim6: 140, wesp: 141, rohc: 142,
  ethernet: 143,
});

/** Protocol number from a name or a decimal string; null when neither. */
export function protocolNumber(text: string): number | null {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) {
    const n = Number(lower);
    return n <= 255 ? n : null;
  }
  return PROTOCOL_NUMBERS[lower] ?? null;
}

const NAMES_BY_NUMBER = new Map<number, string>();
for (const [name, n] of Object.entries(PROTOCOL_NUMBERS)) if (!NAMES_BY_NUMBER.has(n)) NAMES_BY_NUMBER.set(n, name);
NAMES_BY_NUMBER.set(58, 'ipv6-icmp');

export function protocolName(n: number): string {
  return NAMES_BY_NUMBER.get(n) ?? String(n);
}

/** Protocols whose header carries 16-bit source and destination ports at the same offsets. */
export const PORTED_PROTOCOLS = [6, 17, 33, 132, 136] as const;
