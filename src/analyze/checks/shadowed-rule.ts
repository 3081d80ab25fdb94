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
import { addToList } from '../../model/list-map.js';

/**
 * Chains that firewall managers create whether or not they are used (ufw's logging and
 * limit chains, Docker's, Kubernetes', libvirt's, firewalld's): unused ones are by design and
 * the tool rewrites them anyway, so they are listed in the analysis but not as findings.
 */
const MANAGED_CHAIN = /^(ufw6?-|DOCKER|KUBE-|CNI-|LIBVIRT_|cali-|f2b-|IN_|OUT_|FWD_|FWDI_|FWDO_|PRE_|POST_|(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING)_(direct|ZONES)|nat_|filter_|mangle_|raw_)/;

const BLOCKING = /(-j\s+(DROP|REJECT)\b)|(\b(drop|reject)\b)/;

function where(r: RuleRef): string {
  return `${r.backend} ${r.family} ${r.table} ${r.chain}${r.position === null ? ' policy' : ` #${r.position}`}`;
}

function tool(r: RuleRef): string {
  return `${r.family === 'ipv6' ? 'ip6tables' : 'iptables'}${r.backend === 'iptables-legacy' ? '-legacy' : ''}`;
}

/**
 * Delete by the rule's own text (`-A` → `-D`), not by position: positions shift as soon as
 * one rule above is deleted, and deleting by number would then remove the wrong rule.
 */
function deleteCommand(r: RuleRef): string {
  if (r.backend === 'nftables') return `nft -a list chain ${r.table} ${r.chain}  # then: nft delete rule ${r.table} ${r.chain} handle <handle>`;
  const spec = /^-A\s/.test(r.text) ? r.text.replace(/^-A\s/, '-D ') : `-D ${r.chain} ${r.position ?? ''}`.trimEnd();
  return `${tool(r)} -t ${r.table} ${spec}`;
}

function deleteChainCommands(r: RuleRef): string[] {
  if (r.backend === 'nftables') return [`nft delete chain ${r.table} ${r.chain}`];
  return [`${tool(r)} -t ${r.table} -F ${r.chain}`, `${tool(r)} -t ${r.table} -X ${r.chain}`];
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
    // A chain nothing jumps to is one finding, not one per rule.
    const unusedChains = new Map<string, RuleRef[]>();
    for (const s of ctx.host.shadowedRules) {
      const r = s.rule;
      if (s.kind === 'unreachable') {
        if (MANAGED_CHAIN.test(r.chain)) continue;
        const key = `${r.backend}/${r.family}/${r.table}/${r.chain}`;
        addToList(unusedChains, key, r);
        continue;
      }
      const blocking = BLOCKING.test(r.text);
      out.push(
        hostFinding(this, ctx, `${r.backend}/${r.family}/${r.table}/${r.chain}#${r.position ?? 'policy'}`, {
          severity: blocking ? 'low' : 'info',
          title: `Shadowed rule in ${r.chain}: ${r.text}`,
          facts: [`${where(r)}: ${r.text}`, ...s.coveredBy.map((c) => `covered by ${where(c)}: ${c.text}`)],
          summary: 'Earlier rules decide every packet this rule matches: move it up if it should apply, otherwise delete it.',
          commands: [deleteCommand(r)],
        }),
      );
    }
    for (const [key, rules] of unusedChains) {
      const first = rules[0]!;
      out.push(
        hostFinding(this, ctx, `${key}#unreachable`, {
          severity: 'info',
          title: `Chain ${first.chain} is never entered: its ${rules.length === 1 ? 'rule is' : `${rules.length} rules are`} dead`,
          facts: [`no rule jumps or goes to ${first.backend} ${first.family} ${first.table} ${first.chain}`, ...rules.slice(0, 3).map((r) => `${where(r)}: ${r.text}`)],
          summary: 'No packet reaches this chain: delete it, or add the jump that was meant to use it.',
          commands: deleteChainCommands(first),
        }),
      );
    }
    return out;
  },
};
