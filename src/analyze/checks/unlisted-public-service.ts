/**
 * A service strangers can reach although the policy does not list it as public.
 *
 * Services with their own critical check (data stores, admin services, container APIs) are
 * left to that check so that one mistake gives one finding.
 *
 * @module
 */
import { isPublicExposure } from '../audit/exposure.js';
import type { Finding } from '../audit/types.js';
import { firewallCommands, localOnlyCommands, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

const COVERED_ELSEWHERE = new Set(['unauthenticated-datastore', 'remote-admin', 'container-api']);

export const unlistedPublicService: Check = {
  id: 'unlisted-public-service',
  title: 'Service reachable from the internet but not listed as public',
  severity: 'high',
  description:
    'A listener accepts new connections from the world (at least half of the public address space of a family) or from wide public ranges, and the policy does not list its port as public for this host (default public ports: 80/tcp and 443/tcp).',
  remediation:
    'Restrict the port to the networks that need it (or bind the service to loopback); if it is meant to be public, list it under `public` in the policy file.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      if (!isPublicExposure(svc.exposure) || svc.listedPublic || svc.trustedBy !== null) continue;
      if (svc.service.risks.some((r) => COVERED_ELSEWHERE.has(r.class))) continue;
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: svc.exposure === 'world' ? 'high' : 'medium',
          title: `${serviceName(svc)} is reachable from the ${svc.exposure === 'world' ? 'whole internet' : 'wide public ranges'} but not listed as public`,
          summary: `Allow only the networks that need ${svc.service.label}, or list ${svc.port}/${svc.proto} as public for ${ctx.host.name} in the policy.`,
          commands: [...firewallCommands(ctx, svc, true), ...localOnlyCommands(svc)],
        }),
      );
    }
    return out;
  },
};
