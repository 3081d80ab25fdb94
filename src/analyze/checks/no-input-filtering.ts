/**
 * No effective inbound filtering, judged from reachability rather than rule counts: in a
 * family, a listener that is not meant to be public is reachable from the world, and no
 * decision on any service of that family drops or rejects anything. A listener counts as
 * unfiltered when only chain policies admit it, or when one single rule admits every such
 * listener of the family (a catch-all ACCEPT).
 *
 * @module
 */
import { FAMILIES, type Family } from '../../model/addr.js';
import { servesFamily } from '../audit/exposure.js';
import type { AuditedService, Finding } from '../audit/types.js';
import { firewallFlavor, hostFinding } from './helpers.js';
import type { Check, CheckContext } from './types.js';

function ruleKey(d: AuditedService['decisions'][number]): string {
  return `${d.rule.backend}/${d.rule.table}/${d.rule.chain}#${d.rule.position ?? 'policy'}`;
}

function commands(ctx: CheckContext, family: Family): string[] {
  const v6 = family === 'ipv6';
  switch (firewallFlavor(ctx.host)) {
    case 'ufw':
      return v6
        ? ['# /etc/default/ufw: IPV6=yes', 'ufw reload']
        : ['ufw default deny incoming', 'ufw allow 22/tcp  # and every port meant to be reachable', 'ufw enable'];
    case 'firewalld':
      return ['firewall-cmd --set-default-zone=public', 'firewall-cmd --permanent --zone=public --remove-service=<unneeded>', 'firewall-cmd --reload'];
    case 'nftables':
      return [
        `nft add table inet filter`,
        `nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'`,
        `nft add rule inet filter input ct state established,related accept`,
        `nft add rule inet filter input iif lo accept`,
        `nft add rule inet filter input ${v6 ? 'meta l4proto ipv6-icmp' : 'meta l4proto icmp'} accept`,
        `nft add rule inet filter input tcp dport { 22, 80, 443 } accept  # the ports meant to be reachable`,
      ];
    case 'iptables': {
      const t = v6 ? 'ip6tables' : 'iptables';
      return [
        `${t} -A INPUT -i lo -j ACCEPT`,
        `${t} -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
        `${t} -A INPUT -p ${v6 ? 'ipv6-icmp' : 'icmp'} -j ACCEPT`,
        `${t} -A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT  # the ports meant to be reachable`,
        `${t} -P INPUT DROP`,
      ];
    }
  }
}

export const noInputFiltering: Check = {
  id: 'no-input-filtering',
  title: 'No effective inbound filtering',
  severity: 'high',
  description:
    'In one address family, a listener that the policy does not list as public is reachable from the world, and nothing on the input path of that family drops or rejects anything: the firewall is absent, or it accepts everything by policy or with a catch-all rule. Judged from the reachability results, not from counting rules.',
  remediation: 'Set a default-deny input policy for the family, after allowing loopback, established connections, ICMP and the ports meant to be reachable.',
  run(ctx) {
    const out: Finding[] = [];
    // Nothing read (e.g. collected without root): the firewall is unknown, not absent.
    const status = ctx.host.sourceStatus;
    if (status.length > 0 && !status.some((s) => s.status === 'passed' || s.status === 'partially-unrecognized')) return out;
    for (const family of FAMILIES) {
      const serving = ctx.host.services.filter((s) => servesFamily(s, family));
      const decisions = serving.flatMap((s) => s.decisions.filter((d) => d.rule.family === family));
      if (decisions.some((d) => d.verdict !== 'accept')) continue;
      const exposed = serving.filter((s) => s.exposureByFamily[family] === 'world' && !s.listedPublic);
      if (exposed.length === 0) continue;
      const admittedBy = exposed.map((s) => s.decisions.filter((d) => d.rule.family === family && d.verdict === 'accept'));
      const byPolicyOnly = admittedBy.some((ds) => ds.every((d) => d.rule.position === null));
      const keys = new Set(admittedBy.flatMap((ds) => ds.map(ruleKey)));
      const catchAll = exposed.length >= 2 && keys.size === 1;
      if (!byPolicyOnly && !catchAll) continue;
      const fam = family === 'ipv4' ? 'IPv4' : 'IPv6';
      const ports = [...new Set(exposed.map((s) => `${s.port}/${s.proto}`))];
      out.push(
        hostFinding(this, ctx, family, {
          severity: this.severity,
          title: `No effective ${fam} inbound filtering: ${ports.slice(0, 5).join(', ')}${ports.length > 5 ? ' …' : ''} open to the world`,
          facts: [
            `no rule drops or rejects ${fam} traffic to any listener`,
            ...exposed.slice(0, 10).map((s) => `${s.port}/${s.proto} (${s.service.label}) reachable from the whole ${fam} internet`),
            catchAll && !byPolicyOnly ? 'one rule admits every listener (a catch-all ACCEPT)' : 'admitted by the chain policy alone',
          ],
          decisions: admittedBy.flat().slice(0, 10),
          summary: `Give ${fam} input a default-deny policy and allow only the ports meant to be reachable.`,
          commands: commands(ctx, family),
        }),
      );
    }
    return out;
  },
};
