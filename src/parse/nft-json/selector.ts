/**
 * The left-hand side of an nft match: which packet field an expression reads, which
 * dimension of the packet space it lands in, and which payload dependency nft adds for it
 * (`tcp dport` implies `meta l4proto tcp`; `ip saddr` in an inet table implies
 * `meta nfproto ipv4`, so it matches no IPv6 packet).
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet } from '../../model/packet-set.js';
import { PORTED_PROTOCOLS } from '../../model/protocols.js';
import type { Uncertainty } from '../../model/ruleset.js';
import { renderExpr } from './render.js';
import { type Json, isObject, soleKey } from './types.js';

/** Value types that map onto packet-space dimensions (or decide the family). */
export type ValueKind =
  | 'addr'
  | 'port'
  | 'proto'
  | 'iface'
  | 'icmp-type'
  | 'icmp-code'
  | 'icmpv6-type'
  | 'icmpv6-code'
  | 'nfproto'
  | 'ethertype'
  | 'pkttype'
  | 'fib-type';

/** Bitmask types, compared the way nft compares them (`in` is `left & right != 0`). */
export type FlagKind = 'ct-state' | 'ct-status' | 'tcp-flags';

export interface Selector {
  /** The expression as nft writes it, e.g. "ip saddr". */
  label: string;
  /** The one family whose packets carry the field; 'none' when no IP packet does (arp, …). */
  family?: Family | 'none';
  /** Protocol numbers the field implies (its payload dependency). */
  proto?: DimSet;
  value?: ValueKind;
  flags?: FlagKind;
  /** Target dimension, for value kinds that have one. */
  dim?: Dim;
  /** Set when the field is not a packet-space dimension: how it is read. */
  unmodelled?: Uncertainty['kind'];
}

const PORTED: DimSet = I.fromPoints(PORTED_PROTOCOLS);
const proto = (n: number): DimSet => I.fromPoints([n]);
const TRANSPORT: Record<string, number> = { tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33 };

/** Describe a left-hand expression. Never fails: anything unknown comes back `unmodelled: 'unknown'`. */
export function selectorOf(expr: Json): Selector {
  const label = renderExpr(expr);
  const key = soleKey(expr);
  const body = key !== null && isObject(expr) ? expr[key] : undefined;
  switch (key) {
    case 'payload':
      return payloadSelector(label, body);
    case 'meta':
      return metaSelector(label, isObject(body) ? body['key'] : undefined);
    case 'ct': {
      if (!isObject(body)) return { label, unmodelled: 'unknown' };
      if (body['dir'] === undefined && body['family'] === undefined) {
        if (body['key'] === 'state') return { label, flags: 'ct-state' };
        if (body['key'] === 'status') return { label, flags: 'ct-status' };
      }
      return { label, unmodelled: 'unmodelled' };
    }
    case 'fib': {
      if (!isObject(body)) return { label, unmodelled: 'unknown' };
      const flags = Array.isArray(body['flags']) ? body['flags'] : [body['flags']];
      if (body['result'] === 'type' && flags.length === 1 && flags[0] === 'daddr') return { label, value: 'fib-type', dim: Dim.Dst };
      return { label, unmodelled: 'unmodelled' };
    }
    case 'tcp option':
      return { label, proto: proto(6), unmodelled: 'unmodelled' };
    case 'sctp chunk':
      return { label, proto: proto(132), unmodelled: 'unmodelled' };
    case 'exthdr':
      return { label, family: 'ipv6', unmodelled: 'unmodelled' };
    case 'rt':
    case 'socket':
    case 'osf':
    case 'ipsec':
    case 'numgen':
    case 'jhash':
    case 'symhash':
    case 'dccp option':
      return { label, unmodelled: 'unmodelled' };
    default:
      return { label, unmodelled: 'unknown' };
  }
}

function payloadSelector(label: string, body: Json | undefined): Selector {
  if (!isObject(body) || typeof body['protocol'] !== 'string' || typeof body['field'] !== 'string') {
    return { label, unmodelled: 'unknown' }; // raw payload (base/offset/len): not decodable here
  }
  const p = body['protocol'];
  const f = body['field'];
  switch (p) {
    case 'ip':
      if (f === 'saddr') return { label, family: 'ipv4', value: 'addr', dim: Dim.Src };
      if (f === 'daddr') return { label, family: 'ipv4', value: 'addr', dim: Dim.Dst };
      if (f === 'protocol') return { label, family: 'ipv4', value: 'proto', dim: Dim.Proto };
      return { label, family: 'ipv4', unmodelled: 'unmodelled' };
    case 'ip6':
      if (f === 'saddr') return { label, family: 'ipv6', value: 'addr', dim: Dim.Src };
      if (f === 'daddr') return { label, family: 'ipv6', value: 'addr', dim: Dim.Dst };
      // nexthdr is the first extension header; with none (the usual case) it is the transport protocol.
      if (f === 'nexthdr') return { label, family: 'ipv6', value: 'proto', dim: Dim.Proto };
      return { label, family: 'ipv6', unmodelled: 'unmodelled' };
    case 'th':
      if (f === 'sport') return { label, proto: PORTED, value: 'port', dim: Dim.Sport };
      if (f === 'dport') return { label, proto: PORTED, value: 'port', dim: Dim.Dport };
      return { label, unmodelled: 'unmodelled' };
    case 'icmp':
      if (f === 'type') return { label, proto: proto(1), value: 'icmp-type', dim: Dim.Dport };
      if (f === 'code') return { label, proto: proto(1), value: 'icmp-code', dim: Dim.Dport };
      return { label, proto: proto(1), unmodelled: 'unmodelled' };
    case 'icmpv6':
      if (f === 'type') return { label, proto: proto(58), value: 'icmpv6-type', dim: Dim.Dport };
      if (f === 'code') return { label, proto: proto(58), value: 'icmpv6-code', dim: Dim.Dport };
      return { label, proto: proto(58), unmodelled: 'unmodelled' };
    case 'igmp':
      return { label, family: 'ipv4', proto: proto(2), unmodelled: 'unmodelled' };
    case 'ah':
      return { label, proto: proto(51), unmodelled: 'unmodelled' };
    case 'esp':
      return { label, proto: proto(50), unmodelled: 'unmodelled' };
    case 'comp':
      return { label, proto: proto(108), unmodelled: 'unmodelled' };
    case 'gre':
      return { label, proto: proto(47), unmodelled: 'unmodelled' };
    case 'arp':
      return { label, family: 'none' };
    case 'ether':
    case 'vlan':
    case 'vxlan':
    case 'geneve':
      return { label, unmodelled: 'unmodelled' };
    default: {
      const n = TRANSPORT[p];
      if (n === undefined) return { label, unmodelled: 'unknown' };
      if (f === 'sport') return { label, proto: proto(n), value: 'port', dim: Dim.Sport };
      if (f === 'dport') return { label, proto: proto(n), value: 'port', dim: Dim.Dport };
      if (p === 'tcp' && f === 'flags') return { label, proto: proto(6), flags: 'tcp-flags', dim: Dim.TcpFlags };
      return { label, proto: proto(n), unmodelled: 'unmodelled' };
    }
  }
}

function metaSelector(label: string, key: Json | undefined): Selector {
  switch (key) {
    case 'l4proto':
      return { label, value: 'proto', dim: Dim.Proto };
    case 'nfproto':
      return { label, value: 'nfproto' };
    case 'protocol':
      return { label, value: 'ethertype' };
    case 'iifname':
    case 'iif':
      return { label, value: 'iface', dim: Dim.Iif };
    case 'oifname':
    case 'oif':
      return { label, value: 'iface', dim: Dim.Oif };
    case 'pkttype':
      return { label, value: 'pkttype', dim: Dim.Dst };
    case undefined:
      return { label, unmodelled: 'unknown' };
    default:
      return { label, unmodelled: 'unmodelled' };
  }
}
