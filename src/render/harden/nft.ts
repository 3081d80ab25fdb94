/**
 * The plan as an nft script: one table `inet portcullis` that the file itself creates,
 * deletes and defines (loading it twice is harmless; `flush ruleset` never appears, so
 * Docker's, firewalld's and libvirt's tables stay). Inbound: default drop, loopback,
 * replies, invalid dropped, the ICMP a host needs (RFC 4890), each planned service to its
 * sources, a per-source token bucket on admin ports, rate-limited drop logging. Forward:
 * only connections to published container ports (`ct status dnat`) are filtered.
 *
 * @module
 */
import type { HardenPlan, PlannedService } from '../../analyze/harden/types.js';
import { commentText, familySources, limitRate, serviceComment } from './rule-parts.js';

export const NFT_TABLE = { family: 'inet', name: 'portcullis' } as const;

const SADDR = { ipv4: 'ip saddr', ipv6: 'ip6 saddr' } as const;
const NFPROTO = { ipv4: 'meta nfproto ipv4', ipv6: 'meta nfproto ipv6' } as const;
const ADDR_TYPE = { ipv4: 'ipv4_addr', ipv6: 'ipv6_addr' } as const;

function setName(s: PlannedService, family: 'ipv4' | 'ipv6'): string {
  return `limit_${s.proto}_${s.port}_${family === 'ipv4' ? 'v4' : 'v6'}`;
}

function match(s: PlannedService): string {
  return s.path === 'forward' ? `ct status dnat meta l4proto ${s.proto} ct original proto-dst ${s.port}` : `${s.proto} dport ${s.port}`;
}

function serviceRules(plan: HardenPlan, s: PlannedService): string[] {
  const out: string[] = [];
  const comment = `comment "${serviceComment(s)}"`;
  const { rate, unit, burst } = limitRate(plan.adminRateLimit);
  for (const { family, sources } of familySources(s)) {
    const from = sources === null ? NFPROTO[family] : `${SADDR[family]} { ${sources.join(', ')} }`;
    if (s.rateLimited) {
      const limit = commentText(`${s.service} ${s.port}/${s.proto}: more than ${plan.adminRateLimit.connections} new connections in ${plan.adminRateLimit.seconds} s from one source`);
      out.push(`${from} ${match(s)} ct state new update @${setName(s, family)} { ${SADDR[family]} limit rate over ${rate}/${unit} burst ${burst} packets } drop comment "${limit}"`);
    }
    out.push(`${from} ${match(s)} accept ${comment}`);
  }
  return out;
}

function sets(plan: HardenPlan): string[] {
  const out: string[] = [];
  for (const s of plan.open) {
    if (!s.rateLimited) continue;
    for (const { family } of familySources(s)) {
      out.push(`set ${setName(s, family)} { type ${ADDR_TYPE[family]}; size 65535; flags dynamic,timeout; timeout ${plan.adminRateLimit.seconds}s; }`);
    }
  }
  return out;
}

const ICMP_RULES = [
  'meta l4proto icmp icmp type { destination-unreachable, time-exceeded, parameter-problem } accept comment "ICMP errors (RFC 1122)"',
  'meta l4proto icmp icmp type echo-request limit rate 5/second burst 10 packets accept comment "ping, rate-limited"',
  // RFC 4890 §4.4.1: packet-too-big is what path MTU discovery lives on; neighbour discovery comes with hop limit 255 (RFC 4861 §7.1).
  'meta l4proto ipv6-icmp icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept comment "ICMPv6 errors (RFC 4890)"',
  'meta l4proto ipv6-icmp icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } ip6 hoplimit 255 accept comment "neighbour discovery (RFC 4861)"',
  'meta l4proto ipv6-icmp icmpv6 type { mld-listener-query, mld-listener-report, mld2-listener-report } ip6 saddr fe80::/10 accept comment "multicast listener discovery (RFC 4890)"',
  'meta l4proto ipv6-icmp icmpv6 type echo-request limit rate 5/second burst 10 packets accept comment "ping6, rate-limited"',
];

function logRule(prefix: string, extra = ''): string {
  return `${extra}limit rate 5/second burst 10 packets log prefix "${prefix}" comment "dropped, logged at most 5/s"`;
}

/** The nft script for the plan (`nft -f` input). */
export function renderHardenNft(plan: HardenPlan): string {
  const local = plan.open.filter((s) => s.path === 'local');
  const forward = plan.open.filter((s) => s.path === 'forward');
  const lines: string[] = [
    '#!/usr/sbin/nft -f',
    `# portcullis harden for ${commentText(plan.host)}${plan.policy ? ` from ${commentText(plan.policy.file)}` : ' (no policy file: default public ports)'}`,
    '# Replaces only the table inet portcullis; every other table stays as it is.',
    `table ${NFT_TABLE.family} ${NFT_TABLE.name}`,
    `delete table ${NFT_TABLE.family} ${NFT_TABLE.name}`,
    `table ${NFT_TABLE.family} ${NFT_TABLE.name} {`,
    ...sets(plan).map((l) => `\t${l}`),
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tiif "lo" accept comment "loopback"',
    '\t\tct state established,related accept comment "replies and related ICMP errors (the only way ephemeral ports are reached)"',
    '\t\tct state invalid drop comment "invalid"',
    ...ICMP_RULES.map((r) => `\t\t${r}`),
    ...local.flatMap((s) => serviceRules(plan, s)).map((r) => `\t\t${r}`),
    `\t\t${logRule(plan.logPrefix)}`,
    '\t}',
  ];
  if (forward.length > 0 || plan.closed.some((c) => c.path === 'forward')) {
    lines.push(
      '\tchain forward {',
      '\t\ttype filter hook forward priority filter; policy accept;',
      '\t\tct state established,related accept comment "replies"',
      '\t\tct state invalid drop comment "invalid"',
      ...forward.flatMap((s) => serviceRules(plan, s)).map((r) => `\t\t${r}`),
      `\t\t${logRule(plan.logPrefix, 'ct status dnat ct state new ')}`,
      '\t\tct status dnat ct state new drop comment "published container ports the policy does not allow"',
      '\t}',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}
