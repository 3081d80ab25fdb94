/**
 * A protocol that carries credentials in clear text, reachable from beyond this host.
 * Severity follows the catalog (telnet high, HTTP low, SMTP info because STARTTLS cannot be
 * seen from here) and drops a level per narrower exposure class.
 *
 * @module
 */
import { isRemote } from '../audit/exposure.js';
import type { Exposure, Finding } from '../audit/types.js';
import { firewallCommands, localOnlyCommands, lower, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

const STEPS: Partial<Record<Exposure, number>> = { world: 0, wide: 0, allowlisted: 1, internal: 2 };

export const cleartextProtocol: Check = {
  id: 'cleartext-protocol',
  title: 'Cleartext credentials protocol reachable from the network',
  severity: 'high',
  description:
    'A service whose protocol sends passwords or sessions in clear text (telnet, FTP, POP3, IMAP, LDAP simple binds, SNMP v1/v2c, rsh/rlogin/rexec, VNC, TFTP, plain HTTP) is reachable from other machines: anyone on the path reads the credentials.',
  remediation: 'Replace it with its encrypted counterpart (named in each finding) and close the cleartext port.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      if (!isRemote(svc.exposure)) continue;
      const risk = svc.service.risks.find((r) => r.class === 'cleartext-credentials');
      if (!risk) continue;
      const steps = STEPS[svc.exposure] ?? 2;
      const alt = risk.alternative ? ` Use ${risk.alternative} instead.` : '';
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: lower(risk.severity, steps),
          title: `${serviceName(svc)} carries credentials in clear text and is reachable (${svc.exposure})`,
          facts: [`${svc.service.label} ${risk.reason}`],
          summary: `${svc.service.label} ${risk.reason}.${alt}`,
          // A port meant to be public stays open: fix the protocol (e.g. redirect HTTP to HTTPS).
          // A config line only fits the software it is written for: a port guess gets none.
          commands: [...(risk.fix && svc.service.by === 'process' ? [risk.fix] : []), ...(svc.listedPublic ? [] : [...firewallCommands(ctx, svc, false), ...localOnlyCommands(svc)])],
        }),
      );
    }
    return out;
  },
};
