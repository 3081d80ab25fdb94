/**
 * The plan as `iptables-restore` / `ip6tables-restore` input (rules.v4, rules.v6): the filter
 * table only, for iptables-persistent hosts. Same rules as the nft file: INPUT policy DROP,
 * loopback, replies, invalid dropped, the ICMP a host needs, each planned service to its
 * sources, `hashlimit` on admin ports (the same token bucket as nft's limit), rate-limited
 * LOG. FORWARD stays ACCEPT except new connections to published ports (`--ctstate DNAT`).
 *
 * iptables-restore replaces the whole filter table of its backend: Docker's filter chains
 * of that backend are dropped with it (the proof shows what that does).
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { HardenPlan, PlannedService } from '../../analyze/harden/types.js';
import { commentText, familySources, limitRate, serviceComment } from './rule-parts.js';

const UNIT = { minute: 'min', hour: 'hour', day: 'day' } as Record<string, string>;

const ICMP: Record<Family, string[]> = {
  ipv4: [
    '-A INPUT -p icmp -m icmp --icmp-type 3 -m comment --comment "ICMP errors (RFC 1122)" -j ACCEPT',
    '-A INPUT -p icmp -m icmp --icmp-type 11 -m comment --comment "ICMP errors (RFC 1122)" -j ACCEPT',
    '-A INPUT -p icmp -m icmp --icmp-type 12 -m comment --comment "ICMP errors (RFC 1122)" -j ACCEPT',
    '-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec --limit-burst 10 -m comment --comment "ping, rate-limited" -j ACCEPT',
  ],
  ipv6: [
    ...[1, 2, 3, 4].map((t) => `-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -m comment --comment "ICMPv6 errors (RFC 4890)" -j ACCEPT`),
    ...[133, 134, 135, 136].map((t) => `-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -m hl --hl-eq 255 -m comment --comment "neighbour discovery (RFC 4861)" -j ACCEPT`),
    ...[130, 131, 143].map((t) => `-A INPUT -s fe80::/10 -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -m comment --comment "multicast listener discovery (RFC 4890)" -j ACCEPT`),
    '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -m limit --limit 5/sec --limit-burst 10 -m comment --comment "ping6, rate-limited" -j ACCEPT',
  ],
};

function serviceRules(plan: HardenPlan, s: PlannedService, family: Family): string[] {
  const entry = familySources(s).find((x) => x.family === family);
  if (!entry) return [];
  const chain = s.path === 'forward' ? 'FORWARD' : 'INPUT';
  const port = s.path === 'forward' ? `-p ${s.proto} -m conntrack --ctstate DNAT --ctproto ${s.proto} --ctorigdstport ${s.port}` : `-p ${s.proto} -m ${s.proto} --dport ${s.port}`;
  const comment = `-m comment --comment "${serviceComment(s)}"`;
  const sources = entry.sources ?? [null];
  const out: string[] = [];
  if (s.rateLimited) {
    const { rate, unit, burst } = limitRate(plan.adminRateLimit);
    const why = commentText(`${s.service} ${s.port}/${s.proto}: more than ${plan.adminRateLimit.connections} new connections in ${plan.adminRateLimit.seconds} s from one source`);
    // hashlimit names are at most 15 characters.
    const name = `pc${s.proto[0]}${s.port}${family === 'ipv4' ? '4' : '6'}`;
    for (const src of sources) {
      out.push(`-A ${chain}${src ? ` -s ${src}` : ''} ${port} -m conntrack --ctstate NEW -m hashlimit --hashlimit-above ${rate}/${UNIT[unit]} --hashlimit-burst ${burst} --hashlimit-mode srcip --hashlimit-name ${name} --hashlimit-htable-expire ${plan.adminRateLimit.seconds * 1000} -m comment --comment "${why}" -j DROP`);
    }
  }
  for (const src of sources) out.push(`-A ${chain}${src ? ` -s ${src}` : ''} ${port} ${comment} -j ACCEPT`);
  return out;
}

function renderFamily(plan: HardenPlan, family: Family): string {
  const forward = plan.open.filter((s) => s.path === 'forward');
  const filterForward = forward.length > 0 || plan.closed.some((c) => c.path === 'forward');
  const lines = [
    `# portcullis harden for ${commentText(plan.host)}${plan.policy ? ` from ${commentText(plan.policy.file)}` : ''}: ${family === 'ipv4' ? 'iptables' : 'ip6tables'}-restore input (filter table)`,
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -m comment --comment "loopback" -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "replies and related ICMP errors" -j ACCEPT',
    '-A INPUT -m conntrack --ctstate INVALID -m comment --comment "invalid" -j DROP',
    ...ICMP[family],
    ...plan.open.filter((s) => s.path === 'local').flatMap((s) => serviceRules(plan, s, family)),
    `-A INPUT -m limit --limit 5/sec --limit-burst 10 -j LOG --log-prefix "${plan.logPrefix}"`,
  ];
  if (filterForward) {
    lines.push(
      '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "replies" -j ACCEPT',
      '-A FORWARD -m conntrack --ctstate INVALID -m comment --comment "invalid" -j DROP',
      ...forward.flatMap((s) => serviceRules(plan, s, family)),
      `-A FORWARD -m conntrack --ctstate NEW -m conntrack --ctstate DNAT -m limit --limit 5/sec --limit-burst 10 -j LOG --log-prefix "${plan.logPrefix}"`,
      '-A FORWARD -m conntrack --ctstate NEW -m conntrack --ctstate DNAT -m comment --comment "published container ports the policy does not allow" -j DROP',
    );
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** rules.v4 and rules.v6 for the plan. */
export function renderHardenIptables(plan: HardenPlan): { rulesV4: string; rulesV6: string } {
  return { rulesV4: renderFamily(plan, 'ipv4'), rulesV6: renderFamily(plan, 'ipv6') };
}
