/**
 * Rules that never decide anything: shadowed (earlier rules decide every packet they match)
 * or unreachable (no packet gets to them). A shadowed DROP/REJECT is low (a block someone
 * meant does not happen); anything else is info (dead weight).
 *
 * @module
 */
import type { Finding } from '../audit/types.js';
import type { RuleRef } from '../types.js';
import { hostFinding } from './helpers.js';
import type { Check } from './types.js';

const BLOCKING = /(-j\s+(DROP|REJECT)\b)|(\b(drop|reject)\b)/;

function where(r: RuleRef): string {
  return `${r.backend} ${r.family} ${r.table} ${r.chain}${r.position === null ? ' policy' : ` #${r.position}`}`;
}

function deleteCommand(r: RuleRef): string {
  if (r.backend === 'nftables') return `nft -a list chain ${r.table} ${r.chain}  # then: nft delete rule ${r.table} ${r.chain} handle <handle>`;
  const tool = `${r.family === 'ipv6' ? 'ip6tables' : 'iptables'}${r.backend === 'iptables-legacy' ? '-legacy' : ''}`;
  return `${tool} -t ${r.table} -D ${r.chain} ${r.position ?? ''}`.trimEnd();
}

export const shadowedRule: Check = {
  id: 'shadowed-rule',
  title: 'Firewall rule that never decides anything',
  severity: 'low',
  description:
    'A rule is shadowed (earlier rules already decide every packet it matches) or unreachable (no packet reaches it). A shadowed DROP or REJECT means a block that someone intended does not happen (low); other dead rules are info.',
  remediation: 'Delete the rule, or move it above the rules that shadow it if it was meant to apply.',
  run(ctx) {
    const out: Finding[] = [];
    for (const s of ctx.host.shadowedRules) {
      const r = s.rule;
      const blocking = BLOCKING.test(r.text);
      out.push(
        hostFinding(this, ctx, `${r.backend}/${r.family}/${r.table}/${r.chain}#${r.position ?? 'policy'}`, {
          severity: blocking && s.kind === 'shadowed' ? 'low' : 'info',
          title: `${s.kind === 'shadowed' ? 'Shadowed' : 'Unreachable'} rule in ${r.chain}: ${r.text}`,
          facts: [
            `${where(r)}: ${r.text}`,
            ...s.coveredBy.map((c) => `covered by ${where(c)}: ${c.text}`),
          ],
          summary: s.kind === 'shadowed' ? 'Earlier rules decide every packet this rule matches: move it up if it should apply, otherwise delete it.' : 'No packet reaches this rule: delete it.',
          commands: [deleteCommand(r)],
        }),
      );
    }
    return out;
  },
};
