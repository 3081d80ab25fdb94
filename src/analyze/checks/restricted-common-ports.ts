/**
 * AWS Config's `restricted-common-ports` at host level: TCP 20, 21, 3389, 3306 and 4333
 * (the rule's defaults; the policy's `restricted-ports` replaces them) must not be open to
 * the world (0.0.0.0/0 or ::/0 in AWS terms: here, the "world" exposure class).
 *
 * @module
 */
import type { Finding } from '../audit/types.js';
import { formatPortRange, portInRanges } from '../audit/policy-view.js';
import { firewallCommands, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

export const restrictedCommonPorts: Check = {
  id: 'restricted-common-ports',
  title: 'Restricted common port open to the world',
  severity: 'high',
  description:
    'Mirrors the AWS Config managed rule restricted-common-ports on the host firewall: TCP 20, 21, 3389, 3306 and 4333 (configurable with `restricted-ports` in the policy) must not accept connections from the whole internet.',
  remediation: 'Limit the port to known source addresses.',
  run(ctx) {
    const out: Finding[] = [];
    const ports = ctx.policy.restrictedPorts();
    for (const svc of ctx.host.services) {
      if (svc.exposure !== 'world' || svc.trustedBy !== null) continue;
      if (!portInRanges(ports, svc.proto, svc.port)) continue;
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: this.severity,
          title: `Restricted port ${svc.port}/${svc.proto} (${serviceName(svc)}) is open to the world`,
          facts: [`restricted ports: ${ports.map(formatPortRange).join(', ')}`],
          summary: `Allow ${svc.port}/${svc.proto} only from known source addresses.`,
          commands: firewallCommands(ctx, svc, true),
        }),
      );
    }
    return out;
  },
};
