/**
 * A remotely reachable service whose exposure rests on constructs read the conservative way
 * (not modelled, unknown, missing data): the report may overstate its exposure, never
 * understate it. Info, so that nobody mistakes a guess for a proof.
 *
 * @module
 */
import { isRemote } from '../audit/exposure.js';
import type { Finding } from '../audit/types.js';
import { serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

export const uncertainExposure: Check = {
  id: 'uncertain-exposure',
  title: 'Exposure depends on rules read conservatively',
  severity: 'info',
  description:
    'Some rules on the service\'s path use constructs Portcullis does not model exactly (marks, owner matches, unknown extensions, ipsets missing from the snapshot). Those rules are treated as "may match", so the exposure shown is an upper bound.',
  remediation: 'Check the named constructs by hand, or include the missing data (e.g. ipset save) in the snapshot.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      const relevant = svc.uncertain.filter((u) => u.kind !== 'rate-limit');
      if (relevant.length === 0 || !isRemote(svc.exposure)) continue;
      const constructs = [...new Set(relevant.map((u) => u.construct))];
      const finding = serviceFinding(this, ctx, svc, {
        severity: this.severity,
        title: `${serviceName(svc)}: exposure is an upper bound (${constructs.slice(0, 3).join(', ')})`,
        facts: relevant.slice(0, 10).map((u) => `${u.rule.chain}${u.rule.position === null ? '' : ` #${u.rule.position}`}: ${u.construct} (${u.kind}${u.detail ? `: ${u.detail}` : ''})`),
        summary: 'Verify these rules by hand; the exposure assumes they may match.',
        commands: [...new Set(relevant.map((u) => `# check by hand: ${u.rule.text}`))].slice(0, 10),
      });
      out.push(finding);
    }
    return out;
  },
};
