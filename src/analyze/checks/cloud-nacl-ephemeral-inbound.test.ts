import { describe, expect, it } from 'vitest';
import { loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { cloudNaclEphemeralInbound as check } from './cloud-nacl-ephemeral-inbound.js';

describe('cloud-nacl-ephemeral-inbound', () => {
  it('rule 130 admits 1024-65535 from the world; RDP gets through it (aws-web-1)', () => {
    const out = runCheck(check, 'aws-web-1');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['cloud-nacl-ephemeral-inbound:i-0a1b2c3d4e5f00001:acl-0a1b2c3d4e5f00001/130/0.0.0.0/0', 'medium']]);
    expect(out[0]!.evidence.facts).toContain('open to the internet through it (security groups permitting): 3389-3389/tcp'.replace('3389-3389', '3389'));
  });
  it('high when a listener of the joined host is reachable through it', () => {
    const a = loadAnalysis('aws-web-1');
    const rdp = a.internet!.find((e) => e.fromPort === 3389)!;
    const svc = a.services.find((s) => s.port === 22 && s.address === '0.0.0.0')!;
    svc.port = 3389;
    svc.cloud = { internet: true, closedBy: null, path: rdp.path };
    const [f] = runCheck(check, a);
    expect(f!.severity).toBe('high');
    expect(f!.evidence.facts.join(' ')).toContain('listeners reachable through it: 3389/tcp (sshd)');
  });
  it('hosts without the cloud layer are left alone', () => {
    expect(runCheck(check, 'docker-host')).toEqual([]);
  });
});
