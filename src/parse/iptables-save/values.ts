/**
 * Option values to dimension sets: addresses, ports, interfaces, protocols. Each reader
 * memoises by text, because big rulesets repeat the same few values thousands of times and
 * equal results then share one array (which the interval algebra compares by identity first).
 *
 * @module
 */
import { type AddrSet, type Family, parseAddrSet, parseMaskedAddr, quickIpv4Set } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { type Dim, type DimSet, PORT_DOMAIN, ctStateSet, dimDomain, ifaceSet } from '../../model/packet-set.js';
import { protocolNumber } from '../../model/protocols.js';
import { nameTable } from '../../model/name-table.js';

/** Service names an iptables-restore input may use for ports (iptables-save prints numbers). */
const SERVICES: Readonly<Record<string, number>> = nameTable({
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, pop3: 110, ntp: 123, imap: 143,
  snmp: 161, ldap: 389, https: 443, submission: 587, imaps: 993, pop3s: 995, mysql: 3306,
  postgresql: 5432, bootps: 67, bootpc: 68, tftp: 69, 'netbios-ns': 137, 'netbios-dgm': 138,
  'netbios-ssn': 139, 'microsoft-ds': 445, smtps: 465, isakmp: 500, syslog: 514, 'ipp': 631,
});

function portNumber(text: string): number | null {
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  return SERVICES[text.toLowerCase()] ?? null;
}

/** Distinct address texts memoised per run; the texts a ruleset repeats (a pod CIDR) are met early. */
const ADDRESS_MEMO_LIMIT = 4096;

/** Memoised readers for one lowering run. */
export class ValueReader {
  private readonly addrs = new Map<string, AddrSet | null>();
  /** Address texts read as a superset (see {@link addresses}). */
  private readonly inexact = new Set<string>();

  /** Whether {@link addresses} read this text as a superset of what the kernel matches. */
  isSuperset(text: string): boolean {
    // Nearly always none: no string hash per rule then (an address run asks for each of its 100,000).
    return this.inexact.size > 0 && this.inexact.has(text);
  }
  private readonly ports = new Map<string, DimSet | null>();
  private readonly ifaces = new Map<string, DimSet>();
  private readonly protos = new Map<string, DimSet | null>();
  private readonly ctStates = new Map<string, DimSet | null>();
  private readonly complements = new Map<Dim, WeakMap<DimSet, DimSet>>();

  constructor(readonly family: Family) {}

  /** `--state NEW,ESTABLISHED` / `--ctstate …`. */
  states(text: string): DimSet | null {
    let hit = this.ctStates.get(text);
    if (hit === undefined) {
      hit = ctStateSet(text.split(','));
      this.ctStates.set(text, hit);
    }
    return hit;
  }

  /** The complement of a set on one dimension (memoised by the set's identity). */
  complement(dim: Dim, set: DimSet): DimSet {
    let byDim = this.complements.get(dim);
    if (!byDim) this.complements.set(dim, (byDim = new WeakMap()));
    let hit = byDim.get(set);
    if (!hit) {
      hit = I.complement(set, dimDomain(this.family, dim));
      byDim.set(set, hit);
    }
    return hit;
  }

  /** `-s a,b/24,c/255.255.0.0`, iprange "a-b": the union, or null if any part is malformed. */
  addresses(text: string): AddrSet | null {
    // One IPv4 host, as a blocklist's 50,000 distinct sources are written: read directly, since
    // a memo of texts that never repeat costs a string hash and an entry each (issue 8).
    if (this.family === 'ipv4' && text.endsWith('/32')) {
      const host = quickIpv4Set(text);
      if (host !== undefined) return host;
    }
    let hit = this.addrs.get(text);
    if (hit !== undefined) return hit;
    const full = this.addrs.size >= ADDRESS_MEMO_LIMIT;
    const v4 = this.family === 'ipv4';
    const parts = text.indexOf(',') < 0 ? null : text.split(',');
    // One IPv4 network (a country list's 100,000): no list of parts to build and join.
    const net = v4 && parts === null ? quickIpv4Set(text) : undefined;
    if (net !== undefined) {
      if (!full) this.addrs.set(text, net);
      return net;
    }
    let acc: AddrSet | null = [];
    for (const part of parts ?? [text]) {
      // A lone text was tried by the quick reader just above.
      let one = (v4 && parts !== null ? quickIpv4Set(part) : undefined) ?? parseAddrSet(part, this.family);
      // A non-contiguous mask with too many combinations: its leading prefix, a superset (the caller reads the rule as "may match").
      const masked = one ? null : parseMaskedAddr(part, this.family);
      if (masked) {
        one = masked.set;
        this.inexact.add(text);
      }
      if (!one) {
        acc = null;
        break;
      }
      acc = I.union(acc as I.IntervalSet<number>, one as I.IntervalSet<number>);
    }
    hit = acc;
    // Bounded: a country blocklist's 100,000 distinct networks would each cost an entry and
    // a rehash share (a tenth of its lowering) and never be asked again. Past the bound a
    // text is read each time: the same set, only no longer the same array.
    if (!full) this.addrs.set(text, hit);
    return hit;
  }

  /** `22`, `1024:65535`, `:1023`, `1024:`, or a comma list of those (multiport). */
  portList(text: string): DimSet | null {
    let hit = this.ports.get(text);
    if (hit !== undefined) return hit;
    hit = parsePorts(text);
    this.ports.set(text, hit);
    return hit;
  }

  iface(text: string): DimSet {
    let hit = this.ifaces.get(text);
    if (!hit) {
      hit = ifaceSet([text]);
      this.ifaces.set(text, hit);
    }
    return hit;
  }

  /** `-p tcp`, `-p 6`, `-p all` (every protocol). */
  protocol(text: string): DimSet | null {
    let hit = this.protos.get(text);
    if (hit !== undefined) return hit;
    const lower = text.toLowerCase();
    if (lower === 'all' || lower === '0') hit = I.range(0, 256);
    else {
      const n = protocolNumber(lower);
      hit = n === null ? null : I.range(n, n + 1);
    }
    this.protos.set(text, hit);
    return hit;
  }
}

/** Comma list of ports and `lo:hi` ranges (open ends allowed); also `lo-hi` as NAT targets write. */
export function parsePorts(text: string): DimSet | null {
  const pairs: [number, number][] = [];
  for (const part of text.split(',')) {
    const sep = part.indexOf(':') >= 0 ? part.indexOf(':') : part.indexOf('-', 1);
    if (sep < 0) {
      const p = portNumber(part);
      if (p === null) return null;
      pairs.push([p, p + 1]);
      continue;
    }
    const loText = part.slice(0, sep);
    const hiText = part.slice(sep + 1);
    const lo = loText === '' ? 0 : portNumber(loText);
    const hi = hiText === '' ? PORT_DOMAIN.max - 1 : portNumber(hiText);
    if (lo === null || hi === null) return null;
    // iptables swaps a reversed range (`--dport 90:80` matches 80..90).
    pairs.push(lo <= hi ? [lo, hi + 1] : [hi, lo + 1]);
  }
  return pairs.length === 1 ? I.range(pairs[0]![0], pairs[0]![1]) : I.fromRanges(pairs);
}
