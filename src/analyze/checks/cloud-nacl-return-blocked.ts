/**
 * A network ACL that admits a connection inbound but drops its reply (ACLs are stateless:
 * the reply to the client's ephemeral port needs its own outbound rule): the service is
 * unreachable for those clients, which is an outage, or a wall someone will soon tear down.
 *
 * @module
 */
import type { Finding } from '../audit/types.js';
import { hostFinding } from './helpers.js';
import type { Check } from './types.js';

export const cloudNaclReturnBlocked: Check = {
  id: 'cloud-nacl-return-blocked',
  title: 'Network ACL drops the replies of connections it admits',
  severity: 'low',
  description:
    'Network ACLs are stateless: a connection opens only if the inbound rules admit the request and the outbound rules admit the reply to the client\'s ephemeral port (Linux 32768-60999, Windows 49152-65535, NAT gateways and load balancers 1024-65535). Here the security groups and the inbound ACL rules admit the internet, but no client port gets its reply out.',
  remediation: 'Add an outbound ACL rule for the ephemeral port range towards the clients, or close the port inbound if it is not meant to be reachable.',
  run(ctx) {
    const out: Finding[] = [];
    for (const b of ctx.host.cloud?.returnBlocked ?? []) {
      const v6 = b.sources.ipv6.length > 0 && b.sources.ipv4.length === 0;
      const cidr = v6 ? '--ipv6-cidr-block ::/0' : '--cidr-block 0.0.0.0/0';
      const proto = b.proto === 'udp' ? 'udp' : 'tcp';
      out.push(
        hostFinding(this, ctx, `${b.proto}/${b.fromPort}${b.toPort !== b.fromPort ? `-${b.toPort}` : ''}`, {
          severity: this.severity,
          title: `${b.networkAcl} admits ${b.fromPort === b.toPort ? b.fromPort : `${b.fromPort}-${b.toPort}`}/${b.proto}${v6 ? ' over IPv6' : ''} but drops every reply: no connection opens`,
          facts: [`admitted inbound from ${[...b.sources.ipv4, ...b.sources.ipv6].slice(0, 4).join(', ')}${b.sources.ipv4.length + b.sources.ipv6.length > 4 ? ' and more' : ''}`, 'the outbound rules of the ACL drop the reply to every client port'],
          summary: 'Allow the replies out to the client port range, or stop admitting the requests.',
          commands: [
            `aws ec2 create-network-acl-entry --network-acl-id ${b.networkAcl} --egress --rule-number 120 --protocol ${proto} --port-range From=1024,To=65535 ${cidr} --rule-action allow   # pick a free number below the rule that denies`,
            `# Terraform: resource "aws_network_acl_rule" { network_acl_id = "${b.networkAcl}", egress = true, rule_number = 120, protocol = "${proto}", rule_action = "allow", ${v6 ? 'ipv6_cidr_block = "::/0"' : 'cidr_block = "0.0.0.0/0"'}, from_port = 1024, to_port = 65535 }`,
          ],
        }),
      );
    }
    return out;
  },
};
