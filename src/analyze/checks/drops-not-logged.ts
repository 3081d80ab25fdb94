/**
 * Dropped input packets are never logged: a drop policy or DROP/REJECT rule on the input
 * path with no LOG/NFLOG/`log` before it, so probes and misrouted clients leave no trace.
 * Read from the engine's model-level fact (`HostAnalysis.firewall.inputDropsLogged`): a
 * decision list cannot tell whether a LOG rule saw the packet first. Without the fact the
 * check says nothing.
 *
 * @module
 */
import { FAMILIES, type Family } from '../../model/addr.js';
import type { Finding } from '../audit/types.js';
import { firewallFlavor, hostFinding } from './helpers.js';
import type { Check, CheckContext } from './types.js';

function commands(ctx: CheckContext, family: Family): string[] {
  switch (firewallFlavor(ctx.host)) {
    case 'ufw':
      return ['ufw logging low'];
    case 'firewalld':
      return ['firewall-cmd --set-log-denied=unicast'];
    case 'nftables':
      return [`nft add rule inet filter input limit rate 5/minute log prefix "input drop: "  # last rule, before the drop policy applies`];
    case 'iptables':
      return [`${family === 'ipv6' ? 'ip6tables' : 'iptables'} -A INPUT -m limit --limit 5/min -j LOG --log-prefix "input drop: "  # last rule, before the DROP policy`];
  }
}

export const dropsNotLogged: Check = {
  id: 'drops-not-logged',
  title: 'Dropped inbound packets are not logged',
  severity: 'low',
  description:
    'Input traffic is dropped (by a policy or a DROP/REJECT rule) without a LOG/NFLOG/log statement first, so scans and blocked clients leave no trace to investigate.',
  remediation: 'Add a rate-limited log rule just before the drop (ufw logging low, iptables -j LOG with -m limit, nft log with limit rate).',
  run(ctx) {
    const facts = ctx.host.firewall?.inputDropsLogged;
    if (!facts) return [];
    const out: Finding[] = [];
    for (const family of FAMILIES) {
      if (facts[family] !== false) continue;
      const fam = family === 'ipv4' ? 'IPv4' : 'IPv6';
      const drops = ctx.host.services.flatMap((s) => s.decisions).filter((d) => d.rule.family === family && d.verdict !== 'accept');
      out.push(
        hostFinding(this, ctx, family, {
          severity: this.severity,
          title: `Dropped ${fam} input packets are never logged`,
          facts: [`${fam} input drops without a LOG/NFLOG/log statement before them`],
          decisions: drops.slice(0, 5),
          summary: `Log ${fam} input drops (rate-limited) so blocked traffic can be investigated.`,
          commands: commands(ctx, family),
        }),
      );
    }
    return out;
  },
};
