/**
 * Two firewall backends disagree about a service: one accepts it, another drops it. A
 * packet must pass every backend (legacy iptables, iptables-nft and native nftables all
 * hook the same points), so the drop wins and the accept is an illusion — usually a
 * forgotten ruleset of an old tool, or Docker rules in the other backend.
 *
 * @module
 */
import { FAMILIES } from '../../model/addr.js';
import type { Finding } from '../audit/types.js';
import { deleteRuleCommand } from '../delete-rule-command.js';
import type { RuleRef } from '../types.js';
import { serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

/** Deleting the illusory accept, for when the drop is the intent (e.g. `portcullis harden`'s table closing a port an old ruleset opened). */
function staleAcceptRemoval(rule: RuleRef): string | null {
  const command = deleteRuleCommand(rule);
  return command === null ? null : `${command}  # if the drop is what you want: the accept never takes effect`;
}

export const backendConflict: Check = {
  id: 'backend-conflict',
  title: 'One firewall backend overrides another',
  severity: 'medium',
  description:
    'Rules live in more than one backend for a family (iptables-legacy, iptables-nft, nftables) and a service is accepted by one backend but dropped or rejected by another. Every backend sees every packet, so the drop wins: whoever reads only one ruleset draws the wrong conclusion.',
  remediation: 'Keep the rules in one backend: migrate them (iptables-restore-translate) and flush the other.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      for (const family of FAMILIES) {
        if (ctx.host.backends[family].length < 2) continue;
        const ds = svc.decisions.filter((d) => d.rule.family === family);
        const accepting = new Set(ds.filter((d) => d.verdict === 'accept').map((d) => d.rule.backend));
        const dropping = ds.filter((d) => d.verdict !== 'accept' && !accepting.has(d.rule.backend));
        if (accepting.size === 0 || dropping.length === 0) continue;
        const drop = dropping[0]!;
        const acc = ds.find((d) => d.verdict === 'accept')!;
        const removal = staleAcceptRemoval(acc.rule);
        const finding = serviceFinding(this, ctx, svc, {
          severity: this.severity,
          title: `${serviceName(svc)}: accepted by ${acc.rule.backend} but ${drop.verdict === 'drop' ? 'dropped' : 'rejected'} by ${drop.rule.backend} (${family})`,
          facts: [`${acc.rule.backend} ${acc.rule.chain}: ${acc.rule.text}`, `${drop.rule.backend} ${drop.rule.chain}: ${drop.rule.text}`, `backends with ${family} rules: ${ctx.host.backends[family].join(', ')}`],
          summary: `Decide in one backend: the ${drop.rule.backend} ${drop.verdict} wins over the ${acc.rule.backend} accept.`,
          commands: [
            ...(removal ? [removal] : []),
            drop.rule.backend === 'iptables-legacy' || acc.rule.backend === 'iptables-legacy' ? 'iptables-legacy-save > legacy.rules  # review, then: iptables-legacy -F; ip6tables-legacy -F' : 'nft list ruleset > ruleset.nft  # review, then delete the stale table: nft delete table <family> <name>',
          ],
        });
        finding.evidence.decisions = [acc, ...dropping];
        out.push(finding);
        break;
      }
    }
    return out;
  },
};
