/**
 * A policy exception past its expiry date: it no longer suppresses anything, and says so.
 * Temporary openings are the ones that stay forever.
 *
 * @module
 */
import { formatLocation } from '../../model/diagnostics.js';
import type { Finding } from '../audit/types.js';
import { formatPortRange } from '../audit/policy-view.js';
import { hostFinding } from './helpers.js';
import type { Check } from './types.js';

export const exceptionExpired: Check = {
  id: 'exception-expired',
  title: 'Policy exception expired',
  severity: 'medium',
  description: 'A policy exception is past its expiry date. It no longer suppresses the findings it matched (they are reported again), and this finding says when it ran out.',
  remediation: 'Fix what the exception covered, or renew it with a new reason and expiry date.',
  run(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.policy.expiredExceptions(ctx.host.name)) {
      const what = [e.check ?? 'any check', e.service ? formatPortRange(e.service) : 'any service'].join(', ');
      const key = `${e.check ?? '*'}:${e.service ? formatPortRange(e.service) : '*'}:${e.expires}`;
      const finding = hostFinding(this, ctx, key, {
        severity: this.severity,
        title: `Exception expired on ${e.expires} (${what})`,
        facts: [`reason given: ${e.reason}`, ...(e.location ? [`declared at ${formatLocation(e.location)}`] : [])],
        summary: `The exception for ${what} on ${e.host ?? 'every host'} expired on ${e.expires}; the findings it covered are reported again.`,
        commands: [`# ${e.location ? formatLocation(e.location) : 'policy file'}: fix the finding and delete the exception, or set a new date: expires: YYYY-MM-DD`],
      });
      if (e.service && e.service.from === e.service.to) finding.service = { proto: e.service.proto, port: e.service.from };
      out.push(finding);
    }
    return out;
  },
};
