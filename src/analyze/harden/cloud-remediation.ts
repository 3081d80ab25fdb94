/**
 * Cloud remediation for `harden --aws/--terraform` (issue 11 §4): the security group rules
 * that let the internet reach a port the plan does not make public are revoked, and every
 * planned service those rules admitted is authorized again for its intended sources only
 * (a revoked rule may cover several ports: 0-65535 from 0.0.0.0/0). Output: AWS CLI
 * commands and the Terraform resources doing the same. Pure.
 *
 * @module
 */
import { groupRules, shellQuote } from '../cloud-path/remediation.js';
import type { CloudRuleRef } from '../cloud-path/types.js';
import type { HostAnalysis, ServiceReach } from '../types.js';
import type { HardenPlan, PlannedService } from './types.js';

export interface CloudRemediation {
  /** `aws ec2 revoke-security-group-ingress` / `authorize-security-group-ingress`, in order. */
  awsCli: string[];
  /** HCL: a comment per rule to remove, an `aws_security_group_rule` per allowlist. */
  terraform: string[];
}

function plannedFor(plan: HardenPlan, s: ServiceReach): PlannedService | undefined {
  const path = s.path.kind === 'forward' ? 'forward' : 'local';
  return plan.open.find((p) => p.proto === s.proto && p.port === s.port && p.path === path);
}

const ruleKey = (r: CloudRuleRef) => `${r.id}\u0000${r.ipPermission ?? r.rule}`;

/** EC2 rule descriptions take these characters only, 255 at most. */
function description(p: PlannedService): string {
  return `${p.service}: ${p.public ? 'public' : p.because.text}`.replace(/[^A-Za-z0-9. _:/()#,@[\]+=&;{}!$*-]/g, '').slice(0, 255);
}

function permission(p: PlannedService): Record<string, unknown> {
  const text = description(p);
  const out: Record<string, unknown> = { IpProtocol: p.proto, FromPort: p.port, ToPort: p.port };
  if (p.sources.ipv4.length > 0) out['IpRanges'] = p.sources.ipv4.map((c) => ({ CidrIp: c, Description: text }));
  if (p.sources.ipv6.length > 0) out['Ipv6Ranges'] = p.sources.ipv6.map((c) => ({ CidrIpv6: c, Description: text }));
  return out;
}

/** A group of the account ("sg-…") by its id; one a Terraform plan creates by its address. */
function groupReference(id: string): string {
  return id.startsWith('sg-') ? JSON.stringify(id) : `${id}.id`;
}

function terraformRule(groupId: string, p: PlannedService): string[] {
  const name = `portcullis_${groupId.replace(/[^A-Za-z0-9]/g, '_')}_${p.proto}_${p.port}`;
  const lines = [
    `resource "aws_security_group_rule" "${name}" {`,
    '  type              = "ingress"',
    `  security_group_id = ${groupReference(groupId)}`,
    `  protocol          = "${p.proto}"`,
    `  from_port         = ${p.port}`,
    `  to_port           = ${p.port}`,
  ];
  if (p.sources.ipv4.length > 0) lines.push(`  cidr_blocks       = [${p.sources.ipv4.map((c) => JSON.stringify(c)).join(', ')}]`);
  if (p.sources.ipv6.length > 0) lines.push(`  ipv6_cidr_blocks  = [${p.sources.ipv6.map((c) => JSON.stringify(c)).join(', ')}]`);
  lines.push(`  description       = ${JSON.stringify(description(p))}`, '}');
  return lines;
}

/** What to change in the cloud so that its security groups admit only what the plan intends. */
export function cloudRemediation(plan: HardenPlan, joined: HostAnalysis): CloudRemediation {
  const revoke = new Map<string, CloudRuleRef>();
  for (const s of joined.services) {
    if (!s.cloud?.internet) continue;
    const planned = plannedFor(plan, s);
    if (planned?.public) continue;
    for (const r of groupRules(s.cloud.path)) revoke.set(ruleKey(r), r);
  }
  const authorize = new Map<string, { groupId: string; planned: PlannedService }>();
  for (const s of joined.services) {
    const planned = plannedFor(plan, s);
    if (!planned || !s.cloud) continue;
    for (const r of groupRules(s.cloud.path)) {
      if (revoke.has(ruleKey(r))) authorize.set(`${r.id}/${planned.proto}/${planned.port}`, { groupId: r.id, planned });
    }
  }
  const awsCli: string[] = [];
  const terraform: string[] = [];
  for (const r of revoke.values()) {
    if (r.id.startsWith('sg-') && r.ipPermission) awsCli.push(`aws ec2 revoke-security-group-ingress --group-id ${r.id} --ip-permissions ${shellQuote(r.ipPermission)}`);
    terraform.push(`# remove from ${r.id} its ${r.rule} (${r.text}): the ingress block or security group rule resource that declares it`);
  }
  for (const { groupId, planned } of authorize.values()) {
    if (groupId.startsWith('sg-')) awsCli.push(`aws ec2 authorize-security-group-ingress --group-id ${groupId} --ip-permissions ${shellQuote(JSON.stringify([permission(planned)]))}`);
    terraform.push(...terraformRule(groupId, planned));
  }
  return { awsCli, terraform };
}
