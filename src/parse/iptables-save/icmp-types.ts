/**
 * ICMP and ICMPv6 type names as iptables accepts them (libxt_icmp.c, libip6t_icmp6.c), and
 * their place in the packet model: the destination-port dimension holds `type << 8 | code`,
 * so a type alone is the range [type << 8, type << 8 | 255].
 *
 * @module
 */
import type { IntervalSet } from '../../model/interval-set.js';
import { range } from '../../model/interval-set.js';

type IcmpName = readonly [name: string, type: number, code: number | null];

const ICMP: readonly IcmpName[] = [
  ['echo-reply', 0, null], ['pong', 0, null],
  ['destination-unreachable', 3, null], ['network-unreachable', 3, 0], ['host-unreachable', 3, 1],
  ['protocol-unreachable', 3, 2], ['port-unreachable', 3, 3], ['fragmentation-needed', 3, 4],
  ['source-route-failed', 3, 5], ['network-unknown', 3, 6], ['host-unknown', 3, 7],
  ['network-prohibited', 3, 9], ['host-prohibited', 3, 10], ['tos-network-unreachable', 3, 11],
  ['tos-host-unreachable', 3, 12], ['communication-prohibited', 3, 13],
  ['host-precedence-violation', 3, 14], ['precedence-cutoff', 3, 15],
  ['source-quench', 4, null],
  ['redirect', 5, null], ['network-redirect', 5, 0], ['host-redirect', 5, 1],
  ['tos-network-redirect', 5, 2], ['tos-host-redirect', 5, 3],
  ['echo-request', 8, null], ['ping', 8, null],
  ['router-advertisement', 9, null], ['router-solicitation', 10, null],
  ['time-exceeded', 11, null], ['ttl-exceeded', 11, null], ['ttl-zero-during-transit', 11, 0],
  ['ttl-zero-during-reassembly', 11, 1],
  ['parameter-problem', 12, null], ['ip-header-bad', 12, 0], ['required-option-missing', 12, 1],
  ['timestamp-request', 13, null], ['timestamp-reply', 14, null],
  ['address-mask-request', 17, null], ['address-mask-reply', 18, null],
];

const ICMPV6: readonly IcmpName[] = [
  ['destination-unreachable', 1, null], ['no-route', 1, 0], ['communication-prohibited', 1, 1],
  ['beyond-scope', 1, 2], ['address-unreachable', 1, 3], ['port-unreachable', 1, 4],
  ['failed-policy', 1, 5], ['reject-route', 1, 6],
  ['packet-too-big', 2, null],
  ['time-exceeded', 3, null], ['ttl-exceeded', 3, null], ['ttl-zero-during-transit', 3, 0],
  ['ttl-zero-during-reassembly', 3, 1],
  ['parameter-problem', 4, null], ['bad-header', 4, 0], ['unknown-header-type', 4, 1], ['unknown-option', 4, 2],
  ['echo-request', 128, null], ['ping', 128, null], ['echo-reply', 129, null], ['pong', 129, null],
  ['mld-listener-query', 130, null], ['mld-listener-report', 131, null], ['mld-listener-done', 132, null],
  ['mld-listener-reduction', 132, null],
  ['router-solicitation', 133, null], ['router-advertisement', 134, null],
  ['neighbour-solicitation', 135, null], ['neighbor-solicitation', 135, null],
  ['neighbour-advertisement', 136, null], ['neighbor-advertisement', 136, null],
  ['redirect', 137, null],
];

const BY_NAME = {
  ipv4: new Map(ICMP.map(([n, t, c]) => [n, [t, c] as const])),
  ipv6: new Map(ICMPV6.map(([n, t, c]) => [n, [t, c] as const])),
};

const NUMERIC = /^(\d{1,3})(?:\/(\d{1,3}))?$/;

/**
 * The Dport-dimension set of an ICMP type expression: "any", a name, "type" or
 * "type/code". Null when malformed.
 */
export function icmpTypeSet(text: string, v6: boolean): IntervalSet<number> | null {
  const lower = text.toLowerCase();
  if (lower === 'any') return range(0, 65536);
  let type: number;
  let code: number | null;
  const m = NUMERIC.exec(lower);
  if (m) {
    type = Number(m[1]);
    code = m[2] === undefined ? null : Number(m[2]);
  } else {
    const hit = BY_NAME[v6 ? 'ipv6' : 'ipv4'].get(lower);
    if (!hit) return null;
    [type, code] = hit;
  }
  if (type > 255 || (code !== null && code > 255)) return null;
  return code === null ? range(type << 8, (type << 8) + 256) : range((type << 8) | code, ((type << 8) | code) + 1);
}
