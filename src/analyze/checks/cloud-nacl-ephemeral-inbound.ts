/**
 * A network ACL that admits the ephemeral port range inbound from the whole internet (the
 * usual way to let replies of outbound connections back in, since ACLs are stateless): it
 * also admits new connections to every listener in that range, leaving the security
 * groups as the only wall. With a host snapshot joined, the listeners it exposes are named.
 *
 * @module
 */
import type { Finding } from '../audit/types.js';
import type { CloudRuleRef } from '../cloud-path/types.js';
import { hostFinding } from './helpers.js';
import type { Check } from './types.js';

export const cloudNaclEphemeralInbound: Check = {
  id: 'cloud-nacl-ephemeral-inbound',
  title: 'Network ACL admits the ephemeral port range from the internet',
  severity: 'medium',
  description:
    'An inbound network ACL rule admits a wide port range that includes the ephemeral ports (e.g. 1024-65535 from 0.0.0.0/0) on a subnet the internet can reach. Meant for replies, it admits new connections too: every listener in the range is then guarded by the security groups alone. High when a listener of a joined host snapshot is reachable through it.',
  remediation: 'Keep the rule for replies only where needed (narrow its source), and make sure no listener sits in the range; security groups, being stateful, need no such rule.',
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.host.cloud?.wideAclRules ?? []) {
      const exposed = ctx.host.services.filter(
        (s) => s.cloud?.internet === true && s.port >= r.fromPort && s.port <= r.toPort && s.cloud.path.some((h) => h.layer === 'network-acl-inbound' && h.rules.some((x) => x.id === r.aclId && x.rule.endsWith(` ${r.ruleNumber}`))),
      );
      const isRule = (x: CloudRuleRef) => x.id === r.aclId && x.rule.endsWith(` ${r.ruleNumber}`);
      const through = (ctx.host.internet ?? []).filter((e) => e.path.some((h) => h.layer === 'network-acl-inbound' && h.rules.some(isRule)));
      // The rule as a path names it (with where it is declared): for the finding's location.
      const ref = through.flatMap((e) => e.path.flatMap((h) => (h.layer === 'network-acl-inbound' ? h.rules.filter(isRule) : [])))[0];
      out.push(
        hostFinding(this, ctx, `${r.aclId}/${r.ruleNumber}/${r.cidr}`, {
          severity: exposed.length > 0 ? 'high' : this.severity,
          ...(ref ? { cloudRules: [ref] } : {}),
          title: `${r.aclId} inbound rule ${r.ruleNumber} admits ${r.proto} ${r.fromPort}-${r.toPort} from ${r.cidr}`,
          facts: [
            `${r.aclId} inbound rule ${r.ruleNumber}: ${r.text}`,
            ...(through.length > 0 ? [`open to the internet through it (security groups permitting): ${through.map((e) => `${e.fromPort === e.toPort ? e.fromPort : `${e.fromPort}-${e.toPort}`}/${e.proto}`).join(', ')}`] : []),
            exposed.length > 0 ? `listeners reachable through it: ${exposed.map((s) => `${s.port}/${s.proto} (${s.process?.name ?? s.service.label})`).join(', ')}` : 'no listener of a joined host snapshot is reachable through it',
          ],
          summary: 'Narrow the rule to the sources that answer your outbound connections, or to the ports you serve.',
          commands: [
            `aws ec2 replace-network-acl-entry --network-acl-id ${r.aclId} --ingress --rule-number ${r.ruleNumber} --protocol ${r.proto === 'udp' ? 'udp' : 'tcp'} --port-range From=32768,To=60999 ${r.cidr.includes(':') ? '--ipv6-cidr-block' : '--cidr-block'} ${r.cidr} --rule-action allow   # Linux clients only; keep listeners out of this range`,
            `# Terraform: in the aws_network_acl ingress block (or aws_network_acl_rule) number ${r.ruleNumber} of ${r.aclId}, set from_port = 32768 and to_port = 60999`,
          ],
        }),
      );
    }
    return out;
  },
};
