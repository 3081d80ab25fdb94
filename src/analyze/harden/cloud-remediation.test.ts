import { describe, expect, it } from 'vitest';
import { loadAnalysis } from '../../../test/fixtures/analysis/load.js';
import { parsePolicy } from '../../parse/policy.js';
import type { CloudRuleRef } from '../cloud-path/types.js';
import { cloudRemediation } from './cloud-remediation.js';
import { planHarden } from './plan.js';

const POLICY = parsePolicy('trusted:\n  admins: [198.51.100.0/24, "2001:db8:100::/48"]\npublic:\n  - hosts: ["*"]\n    ports: [80/tcp, 443/tcp]\nallow:\n  - hosts: ["*"]\n    ports: [22/tcp]\n    from: [admins]\n', 'p.yaml').value!;

describe('cloudRemediation', () => {
  const joined = loadAnalysis('aws-web-1');
  const plan = planHarden(joined, POLICY).value!;

  it('revokes the world-open rules of ports the plan does not make public and authorizes the allowlist instead', () => {
    const { awsCli, terraform } = cloudRemediation(plan, joined);
    expect(awsCli).toEqual([
      expect.stringMatching(/^aws ec2 revoke-security-group-ingress --group-id sg-0a1b2c3d4e5f00001 --ip-permissions '\[\{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":\[\{"CidrIp":"0\.0\.0\.0\/0"\}\]\}\]'$/),
      expect.stringMatching(/^aws ec2 revoke-security-group-ingress --group-id sg-0a1b2c3d4e5f00001 --ip-permissions '.*"FromPort":6379/),
      `aws ec2 authorize-security-group-ingress --group-id sg-0a1b2c3d4e5f00001 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"ssh: allow[0] from admins (p.yaml:7)"}],"Ipv6Ranges":[{"CidrIpv6":"2001:db8:100::/48","Description":"ssh: allow[0] from admins (p.yaml:7)"}]}]'`,
    ]);
    // 443 is public by policy: its world-open rule stays.
    expect(awsCli.join('\n')).not.toContain('"FromPort":443');
    expect(terraform.join('\n')).toContain('resource "aws_security_group_rule" "portcullis_sg_0a1b2c3d4e5f00001_tcp_22" {\n  type              = "ingress"\n  security_group_id = "sg-0a1b2c3d4e5f00001"');
    expect(terraform.join('\n')).toContain('cidr_blocks       = ["198.51.100.0/24"]');
  });

  it('a rule over a port range is revoked once; every planned port it admitted gets its own allowlist; Terraform groups by address', () => {
    const wide: CloudRuleRef = { id: 'aws_security_group.web', rule: 'ingress rule 1', text: 'allow tcp 0-65535 from 0.0.0.0/0', ipPermission: '[{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' };
    const copy = loadAnalysis('aws-web-1');
    for (const s of copy.services) if (s.cloud) s.cloud = { internet: true, closedBy: null, path: [{ layer: 'security-group', id: wide.id, rules: [wide] }] };
    const { awsCli, terraform } = cloudRemediation(plan, copy);
    // Not an sg- id (a group the plan creates): no CLI command, only Terraform.
    expect(awsCli).toEqual([]);
    const tf = terraform.join('\n');
    expect(tf.match(/^# remove from aws_security_group\.web its ingress rule 1/gm)).toHaveLength(1);
    expect(tf.match(/^resource "aws_security_group_rule"/gm)).toHaveLength(3); // 22 (admins), 80 and 443 (public)
    expect(tf).toContain('security_group_id = aws_security_group.web.id');
    expect(tf).not.toContain('6379');
  });
});
