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
import type { CtField } from '../../model/conntrack-tuple.js';
import { Dim, type DimSet } from '../../model/packet-set.js';
import { PORTED_PROTOCOLS } from '../../model/protocols.js';
import type { Uncertainty } from '../../model/ruleset.js';
import { renderExpr } from './render.js';
import { type Json, isObject, soleKey } from './types.js';
import { nameTable } from '../../model/name-table.js';

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
  /** The expression itself; {@link selectorLabel} renders it when a message needs it. */
  expr: Json;
  /** The one family whose packets carry the field; 'none' when no IP packet does (arp, …). */
  family?: Family | 'none';
  /** Protocol numbers the field implies (its payload dependency). */
  proto?: DimSet;
  value?: ValueKind;
  flags?: FlagKind;
  /** Target dimension, for value kinds that have one. */
  dim?: Dim;
  /** A conntrack tuple field (`ct original ip daddr`): lowered by model/conntrack-tuple, not onto one dimension. */
  ct?: CtField;
  /**
   * `fib saddr [. iif] oif`: the route back to the source. A client that can open a
   * connection has one, through the interface it arrives on (the arrival model), so
   * `oif missing` is false for every packet we model and `oif exists` true.
   */
  reversePath?: true;
  /** Set when the field is not a packet-space dimension: how it is read. */
  unmodelled?: Uncertainty['kind'];
}

const PORTED: DimSet = I.fromPoints(PORTED_PROTOCOLS);
const PROTO_SETS = new Map<number, DimSet>();
/** Shared per protocol: selectors are built for every match of every rule. */
const proto = (n: number): DimSet => {
  let s = PROTO_SETS.get(n);
  if (!s) PROTO_SETS.set(n, (s = I.fromPoints([n])));
  return s;
};
const TRANSPORT: Record<string, number> = nameTable({ tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33 });

/** Describe a left-hand expression. Never fails: anything unknown comes back `unmodelled: 'unknown'`. */
export function selectorOf(expr: Json): Selector {
  const key = soleKey(expr);
  const body = key !== null && isObject(expr) ? expr[key] : undefined;
  switch (key) {
    case 'payload':
      return payloadSelector(expr, body);
    case 'meta':
      return metaSelector(expr, isObject(body) ? body['key'] : undefined);
    case 'ct': {
      if (!isObject(body)) return { expr, unmodelled: 'unknown' };
      if (body['dir'] === undefined && body['family'] === undefined) {
        if (body['key'] === 'state') return { expr, flags: 'ct-state' };
        if (body['key'] === 'status') return { expr, flags: 'ct-status' };
      }
      return ctTupleSelector(expr, body);
    }
    case 'fib': {
      if (!isObject(body)) return { expr, unmodelled: 'unknown' };
      const flags = Array.isArray(body['flags']) ? body['flags'] : [body['flags']];
      if (body['result'] === 'type' && flags.length === 1 && flags[0] === 'daddr') return { expr, value: 'fib-type', dim: Dim.Dst };
      // The route type of the source (kube-proxy's `fib saddr type local`: from this host).
      if (body['result'] === 'type' && flags.length === 1 && flags[0] === 'saddr') return { expr, value: 'fib-type', dim: Dim.Src };
      if ((body['result'] === 'oif' || body['result'] === 'oifname') && flags.includes('saddr') && !flags.includes('daddr')) return { expr, reversePath: true };
      return { expr, unmodelled: 'unmodelled' };
    }
    case 'tcp option':
      return { expr, proto: proto(6), unmodelled: 'unmodelled' };
    case 'sctp chunk':
      return { expr, proto: proto(132), unmodelled: 'unmodelled' };
    case 'exthdr':
      return { expr, family: 'ipv6', unmodelled: 'unmodelled' };
    case 'rt':
    case 'socket':
    case 'osf':
    case 'ipsec':
    case 'numgen':
    case 'jhash':
    case 'symhash':
    case 'dccp option':
      return { expr, unmodelled: 'unmodelled' };
    default:
      return { expr, unmodelled: 'unknown' };
  }
}

const CT_KEYS: Readonly<Record<string, { field: CtField; value: ValueKind } | undefined>> = nameTable({
  'original saddr': { field: 'orig-src', value: 'addr' },
  'original daddr': { field: 'orig-dst', value: 'addr' },
  'original proto-src': { field: 'orig-sport', value: 'port' },
  'original proto-dst': { field: 'orig-dport', value: 'port' },
  'reply saddr': { field: 'reply-src', value: 'addr' },
  'reply proto-src': { field: 'reply-sport', value: 'port' },
  'original protocol': { field: 'proto', value: 'proto' },
  ' protocol': { field: 'proto', value: 'proto' },
});

/**
 * `ct original ip daddr` (nft writes key "ip daddr" with dir; older versions key "daddr"
 * with family "ip"). The kernel breaks the rule for a connection of the other family.
 */
function ctTupleSelector(expr: Json, body: Record<string, Json>): Selector {
  const dir = typeof body['dir'] === 'string' ? body['dir'] : '';
  const rawKey = typeof body['key'] === 'string' ? body['key'] : '';
  const m = /^(?:(ip6?) )?(.+)$/.exec(rawKey);
  if (!m) return { expr, unmodelled: 'unknown' };
  const fam = m[1] ?? (typeof body['family'] === 'string' ? body['family'] : undefined);
  const spec = CT_KEYS[`${dir} ${m[2]}`];
  if (!spec) return { expr, unmodelled: 'unmodelled' };
  const sel: Selector = { expr, value: spec.value, ct: spec.field };
  if (fam === 'ip') sel.family = 'ipv4';
  else if (fam === 'ip6') sel.family = 'ipv6';
  return sel;
}

/** The selector as nft writes it, e.g. "ip saddr" (rendered only when a message needs it). */
export function selectorLabel(sel: Selector): string {
  return renderExpr(sel.expr);
}

function payloadSelector(expr: Json, body: Json | undefined): Selector {
  if (!isObject(body) || typeof body['protocol'] !== 'string' || typeof body['field'] !== 'string') {
    return { expr, unmodelled: 'unknown' }; // raw payload (base/offset/len): not decodable here
  }
  const p = body['protocol'];
  const f = body['field'];
  switch (p) {
    case 'ip':
      if (f === 'saddr') return { expr, family: 'ipv4', value: 'addr', dim: Dim.Src };
      if (f === 'daddr') return { expr, family: 'ipv4', value: 'addr', dim: Dim.Dst };
      if (f === 'protocol') return { expr, family: 'ipv4', value: 'proto', dim: Dim.Proto };
      return { expr, family: 'ipv4', unmodelled: 'unmodelled' };
    case 'ip6':
      if (f === 'saddr') return { expr, family: 'ipv6', value: 'addr', dim: Dim.Src };
      if (f === 'daddr') return { expr, family: 'ipv6', value: 'addr', dim: Dim.Dst };
      // nexthdr is the first extension header; with none (the usual case) it is the transport protocol.
      if (f === 'nexthdr') return { expr, family: 'ipv6', value: 'proto', dim: Dim.Proto };
      return { expr, family: 'ipv6', unmodelled: 'unmodelled' };
    case 'th':
      if (f === 'sport') return { expr, proto: PORTED, value: 'port', dim: Dim.Sport };
      if (f === 'dport') return { expr, proto: PORTED, value: 'port', dim: Dim.Dport };
      return { expr, unmodelled: 'unmodelled' };
    case 'icmp':
      if (f === 'type') return { expr, proto: proto(1), value: 'icmp-type', dim: Dim.Dport };
      if (f === 'code') return { expr, proto: proto(1), value: 'icmp-code', dim: Dim.Dport };
      return { expr, proto: proto(1), unmodelled: 'unmodelled' };
    case 'icmpv6':
      if (f === 'type') return { expr, proto: proto(58), value: 'icmpv6-type', dim: Dim.Dport };
      if (f === 'code') return { expr, proto: proto(58), value: 'icmpv6-code', dim: Dim.Dport };
      return { expr, proto: proto(58), unmodelled: 'unmodelled' };
    case 'igmp':
      return { expr, family: 'ipv4', proto: proto(2), unmodelled: 'unmodelled' };
    case 'ah':
      return { expr, proto: proto(51), unmodelled: 'unmodelled' };
    case 'esp':
      return { expr, proto: proto(50), unmodelled: 'unmodelled' };
    case 'comp':
      return { expr, proto: proto(108), unmodelled: 'unmodelled' };
    case 'gre':
      return { expr, proto: proto(47), unmodelled: 'unmodelled' };
    case 'arp':
      return { expr, family: 'none' };
    case 'ether':
    case 'vlan':
    case 'vxlan':
    case 'geneve':
      return { expr, unmodelled: 'unmodelled' };
    default: {
      const n = TRANSPORT[p];
      if (n === undefined) return { expr, unmodelled: 'unknown' };
      if (f === 'sport') return { expr, proto: proto(n), value: 'port', dim: Dim.Sport };
      if (f === 'dport') return { expr, proto: proto(n), value: 'port', dim: Dim.Dport };
      if (p === 'tcp' && f === 'flags') return { expr, proto: proto(6), flags: 'tcp-flags', dim: Dim.TcpFlags };
      return { expr, proto: proto(n), unmodelled: 'unmodelled' };
    }
  }
}

function metaSelector(expr: Json, key: Json | undefined): Selector {
  switch (key) {
    case 'l4proto':
      return { expr, value: 'proto', dim: Dim.Proto };
    case 'nfproto':
      return { expr, value: 'nfproto' };
    case 'protocol':
      return { expr, value: 'ethertype' };
    case 'iifname':
    case 'iif':
      return { expr, value: 'iface', dim: Dim.Iif };
    case 'oifname':
    case 'oif':
      return { expr, value: 'iface', dim: Dim.Oif };
    case 'pkttype':
      return { expr, value: 'pkttype', dim: Dim.Dst };
    case undefined:
      return { expr, unmodelled: 'unknown' };
    default:
      return { expr, unmodelled: 'unmodelled' };
  }
}
