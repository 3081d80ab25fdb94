import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/fixtures/analysis/load.js';
import { cloudNaclReturnBlocked as check } from './cloud-nacl-return-blocked.js';

describe('cloud-nacl-return-blocked', () => {
  it('HTTPS over IPv6 admitted inbound, replies dropped (aws-web-1)', () => {
    const out = runCheck(check, 'aws-web-1');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['cloud-nacl-return-blocked:i-0a1b2c3d4e5f00001:tcp/443', 'low']]);
    expect(out[0]!.title).toContain('over IPv6');
    expect(out[0]!.remediation.commands[0]).toContain('--egress');
    expect(out[0]!.remediation.commands[0]).toContain('--ipv6-cidr-block ::/0');
  });
  it('hosts without the cloud layer are left alone', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
});
