/**
 * The fixes of cloud findings, ready to paste: AWS CLI commands (revoke the rule, authorize
 * the allowlist instead) and the Terraform change that does the same.
 *
 * @module
 */
import type { PolicyView } from '../audit/policy-view.js';
import type { CloudRuleRef, PathHop } from './types.js';

/** The policy's first trusted list, or a documentation placeholder to replace. */
export function allowlistCidr(policy: PolicyView): { v4: string; v6: string | null } {
  const t = policy.policy?.trusted[0];
  return { v4: t?.ipv4[0] ?? '192.0.2.0/24', v6: t?.ipv6[0] ?? null };
}

/** The security group rules that admit an entry's flows. */
export function groupRules(path: readonly PathHop[]): CloudRuleRef[] {
  return path.filter((h) => h.layer === 'security-group').flatMap((h) => h.rules);
}

export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Revoke each admitting rule, authorize the allowlist in its place, and the Terraform equivalent. */
export function restrictGroupCommands(rules: readonly CloudRuleRef[], policy: PolicyView): string[] {
  const out: string[] = [];
  const allow = allowlistCidr(policy);
  for (const r of rules) {
    if (!r.ipPermission) continue;
    // A group a Terraform plan creates has no id yet: the fix is a change to its resource.
    if (!r.id.startsWith('sg-')) {
      out.push(`# Terraform: in ${r.id} (${r.rule}: ${r.text}), set cidr_blocks = ["${allow.v4}"]${allow.v6 ? ` and ipv6_cidr_blocks = ["${allow.v6}"]` : ', ipv6_cidr_blocks = []'}`);
      continue;
    }
    out.push(`aws ec2 revoke-security-group-ingress --group-id ${r.id} --ip-permissions ${shellQuote(r.ipPermission)}`);
    const perm = JSON.parse(r.ipPermission) as Record<string, unknown>[];
    const p = { ...perm[0] };
    delete p['Ipv6Ranges'];
    delete p['PrefixListIds'];
    delete p['UserIdGroupPairs'];
    p['IpRanges'] = [{ CidrIp: allow.v4, Description: 'allowlist (portcullis)' }];
    if (allow.v6) p['Ipv6Ranges'] = [{ CidrIpv6: allow.v6, Description: 'allowlist (portcullis)' }];
    out.push(`aws ec2 authorize-security-group-ingress --group-id ${r.id} --ip-permissions ${shellQuote(JSON.stringify([p]))}`);
    out.push(`# Terraform: in the ingress rule of ${r.id} (${r.rule}: ${r.text}), set cidr_blocks = ["${allow.v4}"]${allow.v6 ? ` and ipv6_cidr_blocks = ["${allow.v6}"]` : ', ipv6_cidr_blocks = []'}`);
  }
  return out;
}
