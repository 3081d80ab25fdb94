/**
 * A UDP service that amplifies spoofed queries (DNS, NTP, SNMP, SSDP, memcached, CLDAP,
 * chargen, QOTD, mDNS, rpcbind) reachable from the world or wide public ranges.
 *
 * @module
 */
import { isPublicExposure } from '../audit/exposure.js';
import type { Finding } from '../audit/types.js';
import { firewallCommands, localOnlyCommands, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

export const amplificationVector: Check = {
  id: 'amplification-vector',
  title: 'UDP amplification service reachable from the internet',
  severity: 'high',
  description:
    'A UDP service that answers a small spoofed query with a large reply is reachable from the world or wide public ranges; attackers use such hosts to flood third parties. A public authoritative DNS server can be intended: list 53/udp as public in the policy and rate-limit responses (RRL).',
  remediation: 'Allow only the networks that need the service, or turn its UDP side off.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      if (svc.proto !== 'udp' || !isPublicExposure(svc.exposure) || svc.listedPublic || svc.trustedBy !== null) continue;
      const risk = svc.service.risks.find((r) => r.class === 'amplification');
      if (!risk) continue;
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: risk.severity,
          title: `${serviceName(svc)} can be abused for UDP amplification`,
          facts: [`${svc.service.label} ${risk.reason}`],
          summary: `Answer only the networks that need ${svc.service.label}.${risk.alternative ? ` ${risk.alternative[0]!.toUpperCase()}${risk.alternative.slice(1)}.` : ''}`,
          commands: [...firewallCommands(ctx, svc, true), ...localOnlyCommands(svc)],
        }),
      );
    }
    return out;
  },
};
