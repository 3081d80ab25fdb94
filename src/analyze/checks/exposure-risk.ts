/**
 * The shared shape of the "dangerous service reachable by strangers" checks: one risk class,
 * world or wide exposure, severity from the catalog.
 *
 * @module
 */
import { isPublicExposure } from '../audit/exposure.js';
import type { Finding, RiskClass } from '../audit/types.js';
import { firewallCommands, localOnlyCommands, serviceFinding, serviceName } from './helpers.js';
import type { Check, CheckContext } from './types.js';

export interface RiskExposureOptions {
  riskClass: RiskClass;
  /** Skip services the policy lists as public (an intentional exposure, e.g. SSH). */
  respectPublicList: boolean;
  noun: string;
}

export function runRiskExposure(check: Check, ctx: CheckContext, opts: RiskExposureOptions): Finding[] {
  const out: Finding[] = [];
  for (const svc of ctx.host.services) {
    if (!isPublicExposure(svc.exposure) || svc.trustedBy !== null) continue;
    if (opts.respectPublicList && svc.listedPublic) continue;
    const risk = svc.service.risks.find((r) => r.class === opts.riskClass);
    if (!risk) continue;
    const alt = risk.alternative ? ` Prefer: ${risk.alternative}.` : '';
    out.push(
      serviceFinding(check, ctx, svc, {
        severity: risk.severity,
        title: `${opts.noun} ${serviceName(svc)} is reachable from the ${svc.exposure === 'world' ? 'whole internet' : 'wide public ranges'}`,
        facts: [`${svc.service.label} ${risk.reason}`],
        summary: `Keep ${svc.service.label} off the internet: bind it to loopback or a private address and allow only the hosts that need it.${alt}`,
        commands: [...localOnlyCommands(svc), ...firewallCommands(ctx, svc, true)],
      }),
    );
  }
  return out;
}
