import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, loadPolicy, runCheck } from '../../../test/fixtures/analysis/load.js';
import { cloudOpenPort as check } from './cloud-open-port.js';

describe('cloud-open-port', () => {
  it('RDP through a forgotten second group is critical, SSH high, ICMP echo medium (aws-web-1)', () => {
    const out = runCheck(check, 'aws-web-1');
    expect(out.map((f) => [f.id, f.severity])).toEqual([
      ['cloud-open-port:i-0a1b2c3d4e5f00001:tcp/22', 'high'],
      ['cloud-open-port:i-0a1b2c3d4e5f00001:tcp/3389', 'critical'],
      ['cloud-open-port:i-0a1b2c3d4e5f00001:icmp/8', 'medium'],
    ]);
    const rdp = out.find((f) => f.id.endsWith('tcp/3389'))!;
    expect(rdp.evidence.facts[0]).toContain('acl-0a1b2c3d4e5f00001 inbound rule 130');
    expect(rdp.evidence.facts[0]).toContain('sg-0a1b2c3d4e5f00002 ingress rule 1');
    expect(rdp.remediation.commands[0]).toBe(`aws ec2 revoke-security-group-ingress --group-id sg-0a1b2c3d4e5f00002 --ip-permissions '[{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`);
    expect(rdp.remediation.commands[2]).toMatch(/^# Terraform: .*cidr_blocks = \["192\.0\.2\.0\/24"\]/);
  });

  it('the allowlist of the fix comes from the policy', () => {
    const out = runCheck(check, 'aws-web-1', loadPolicy('full'));
    const cmd = out.find((f) => f.id.endsWith('tcp/22'))!.remediation.commands[1]!;
    expect(cmd).toContain('authorize-security-group-ingress');
    expect(cmd).not.toContain('192.0.2.0/24');
  });

  it('a prefix-listed port (Redis from the office) is allowlisted, not a finding', () => {
    expect(ids(runCheck(check, 'aws-web-1')).some((id) => id.includes('6379'))).toBe(false);
  });

  it('a group rule open to the world with no public path is medium', () => {
    const a = loadAnalysis('aws-web-1');
    a.internet = a.internet!.filter((e) => e.fromPort !== 3389);
    const out = runCheck(check, a);
    expect(out.filter((f) => f.id.includes('sg-0a1b2c3d4e5f00002')).map((f) => [f.id, f.severity])).toEqual([['cloud-open-port:i-0a1b2c3d4e5f00001:sg-0a1b2c3d4e5f00002/ingress-rule-1', 'medium']]);
  });

  it('hosts without the cloud layer are left alone', () => {
    expect(runCheck(check, 'redis-world')).toEqual([]);
  });
});
