/**
 * The AWS Config rules `restricted-ssh`, `restricted-common-ports` and
 * `vpc-sg-open-only-to-authorized-ports`, and Prowler's sensitive-port checks, judged on the
 * real cloud path instead of one rule's text: what the internet can open on an instance
 * (security groups, network ACLs in order and both ways, routes, public address). A rule
 * open to 0.0.0.0/0 with no public path today is medium: one route or address away.
 *
 * @module
 */
import { cidrsToSet, type Family } from '../../model/addr.js';
import { classifySources, exposureRank } from '../audit/exposure.js';
import { formatPortRange, portInRanges } from '../audit/policy-view.js';
import type { Exposure, Finding, Severity } from '../audit/types.js';
import { SERVICES } from '../catalog/index.js';
import { groupRules, restrictGroupCommands } from '../cloud-path/remediation.js';
import { hopsTextOf } from '../cloud-path/path-text.js';
import type { InternetExposure, OpenGroupRule } from '../cloud-path/types.js';
import { hostFinding, lower, severityRank } from './helpers.js';
import type { Check, CheckContext } from './types.js';

interface Covered {
  label: string;
  severity: Severity;
  reason: string;
}

/** Catalogued risky services and restricted ports inside a port range. */
function coveredRisks(ctx: CheckContext, proto: string, from: number, to: number): Covered[] {
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'all traffic') return [];
  const protos = proto === 'all traffic' ? (['tcp', 'udp'] as const) : [proto as 'tcp' | 'udp'];
  const out: Covered[] = [];
  for (const entry of SERVICES) {
    for (const spec of entry.ports) {
      if (!protos.includes(spec.proto) || spec.from > to || (spec.to ?? spec.from) < from) continue;
      for (const risk of entry.risks) out.push({ label: `${entry.label} (${spec.from}/${spec.proto})`, severity: risk.severity, reason: risk.reason });
      break;
    }
  }
  for (const r of ctx.policy.restrictedPorts()) {
    if (protos.includes(r.proto) && r.from <= to && r.to >= from) out.push({ label: `restricted port ${formatPortRange(r)}`, severity: 'high', reason: 'listed in restricted-common-ports' });
  }
  return out;
}

function worst(list: readonly Covered[]): Severity | null {
  if (list.length === 0) return null;
  return list.reduce((a, b) => (severityRank(b.severity) < severityRank(a.severity) ? b : a)).severity;
}

function entryExposure(e: InternetExposure): Exposure {
  const byFamily = (['ipv4', 'ipv6'] as Family[]).map((f) => classifySources(cidrsToSet(e.sources[f], f), f, false));
  return byFamily.reduce((a, b) => (exposureRank(b) < exposureRank(a) ? b : a));
}

function allPublic(ctx: CheckContext, proto: string, from: number, to: number): boolean {
  if (proto !== 'tcp' && proto !== 'udp') return false;
  const ranges = ctx.policy.publicPorts(ctx.host.name).filter((r) => r.proto === proto);
  for (let p = from; p <= to; p++) if (!portInRanges(ranges, proto, p)) return false;
  return true;
}

const portsText = (proto: string, from: number, to: number) => {
  const range = from === to ? `${from}` : `${from}-${to}`;
  return proto === 'icmp' || proto === 'ipv6-icmp' ? `${proto} type ${range}` : `${range}/${proto}`;
};

export const cloudOpenPort: Check = {
  id: 'cloud-open-port',
  title: 'Port open to the internet through the cloud network',
  severity: 'high',
  description:
    'AWS restricted-ssh, restricted-common-ports and vpc-sg-open-only-to-authorized-ports, and Prowler\'s sensitive ports, judged on the whole cloud path: the security groups of the interface, its subnet\'s network ACL in rule order and both ways, the route to an internet gateway and a public address. Critical for unauthenticated data stores, high for remote administration and restricted ports, medium for ports the policy does not list as public; medium when a security group opens a sensitive port to 0.0.0.0/0 or ::/0 but no public path uses it today.',
  remediation: 'Revoke the security group rule that admits the world and authorize only the networks that need the port; keep the network ACL as a second wall.',
  run(ctx) {
    const out: Finding[] = [];
    const internet = ctx.host.internet ?? [];
    for (const e of internet) {
      const exposure = entryExposure(e);
      if (exposure !== 'world' && exposure !== 'wide') continue;
      const risks = coveredRisks(ctx, e.proto, e.fromPort, e.toPort);
      const unlisted = !allPublic(ctx, e.proto, e.fromPort, e.toPort);
      const base = worst(risks) ?? (unlisted ? 'medium' : null);
      if (base === null) continue;
      const severity = exposure === 'wide' ? lower(base, 1) : base;
      const ports = e.proto === 'other' ? 'every other protocol' : portsText(e.proto, e.fromPort, e.toPort);
      const finding = hostFinding(this, ctx, `${e.proto}/${e.fromPort}${e.toPort !== e.fromPort ? `-${e.toPort}` : ''}`, {
          severity,
          title: `${ports} on ${ctx.host.name} is open to the internet (${exposure}) through the cloud network`,
          facts: [
            `path: ${hopsTextOf(e.path)}`,
            ...risks.slice(0, 6).map((r) => `${r.label}: ${r.reason}`),
            ...(risks.length > 6 ? [`and ${risks.length - 6} more sensitive services in the range`] : []),
            ...(unlisted ? ['not listed as public for this host by the policy (vpc-sg-open-only-to-authorized-ports)'] : []),
          ],
          summary: `Admit ${ports} only from the networks that need it.`,
          commands: restrictGroupCommands(groupRules(e.path), ctx.policy),
          cloudRules: groupRules(e.path),
        });
      // One TCP/UDP port: the finding is about that service (policy exceptions and SARIF match it).
      if ((e.proto === 'tcp' || e.proto === 'udp') && e.fromPort === e.toPort) finding.service = { proto: e.proto, port: e.fromPort };
      out.push(finding);
    }
    // Through an internet-facing balancer: the target port's catalogued risks (a web backend
    // behind an ALB is the normal case, so unlisted ports alone raise nothing here).
    const own = new Set((ctx.host.cloud?.interfaces ?? []).flatMap((i) => i.securityGroups));
    for (const lb of ctx.host.cloud?.loadBalancers ?? []) {
      if (!lb.reachesTarget) continue;
      const exposure = entryExposure({ ...lb, fromPort: lb.targetPort, toPort: lb.targetPort });
      if (exposure !== 'world' && exposure !== 'wide') continue;
      const risks = coveredRisks(ctx, lb.proto, lb.targetPort, lb.targetPort);
      const base = worst(risks);
      if (base === null) continue;
      const ports = portsText(lb.proto, lb.targetPort, lb.targetPort);
      const front = lb.path.filter((h) => h.layer !== 'security-group' || !own.has(h.id));
      const finding = hostFinding(this, ctx, `${lb.loadBalancer}/${lb.listener.port}/${lb.proto}/${lb.targetPort}`, {
        severity: exposure === 'wide' ? lower(base, 1) : base,
        title: `${ports} on ${ctx.host.name} is open to the internet (${exposure}) through load balancer ${lb.loadBalancer} (${lb.listener.protocol} ${lb.listener.port})`,
        facts: [`target group ${lb.targetGroup}${lb.health ? ` (${lb.health})` : ''}`, `path: ${hopsTextOf(lb.path)}`, ...risks.slice(0, 6).map((r) => `${r.label}: ${r.reason}`)],
        summary: `Admit ${lb.listener.protocol} ${lb.listener.port} on the balancer only from the networks that need it, or make it internal.`,
        commands: restrictGroupCommands(groupRules(front), ctx.policy),
        cloudRules: groupRules(front),
      });
      finding.service = { proto: lb.proto, port: lb.targetPort };
      out.push(finding);
    }
    // Open in a group, no public path today.
    for (const r of ctx.host.cloud?.openGroupRules ?? []) {
      if (internet.some((e) => coversRule(e, r))) continue;
      const risks = coveredRisks(ctx, r.proto, r.fromPort, r.toPort);
      if (risks.length === 0) continue;
      out.push(
        hostFinding(this, ctx, `${r.ref.id}/${r.ref.rule.replace(/ /g, '-')}`, {
          severity: 'medium',
          title: `${r.ref.id} ${r.ref.rule} opens ${portsText(r.proto, r.fromPort, r.toPort)} to the world, with no public path today`,
          facts: [`${r.ref.id} ${r.ref.rule}: ${r.ref.text}`, 'no connection from the internet opens today (route, public address or network ACL): one change away', ...risks.slice(0, 4).map((x) => `${x.label}: ${x.reason}`)],
          summary: 'Narrow the rule now, before a route or a public address makes it live.',
          commands: restrictGroupCommands([r.ref], ctx.policy),
          cloudRules: [r.ref],
        }),
      );
    }
    return out;
  },
};

function coversRule(e: InternetExposure, r: OpenGroupRule): boolean {
  return e.path.some((h) => h.layer === 'security-group' && h.rules.some((x) => x.id === r.ref.id && x.rule === r.ref.rule));
}
