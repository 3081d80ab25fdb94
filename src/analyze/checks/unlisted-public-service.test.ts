import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { unlistedPublicService as check } from './unlisted-public-service.js';

describe('unlisted-public-service', () => {
  it('an unknown app open to the world (redis-world)', () => {
    const out = runCheck(check, 'redis-world');
    expect(ids(out)).toEqual(['unlisted-public-service:cache-7:tcp/45000']);
    expect(out[0]).toMatchObject({ severity: 'high', title: 'node on 45000/tcp is reachable from the whole internet but not listed as public' });
  });
  it('FTP open to the world (legacy-and-nft)', () => {
    expect(ids(runCheck(check, 'legacy-and-nft'))).toEqual(['unlisted-public-service:old-box:tcp/21']);
  });
  it('leaves default public ports and services with their own critical check alone (ufw-host, docker-host)', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'docker-host')).toEqual([]);
  });
  it('wide exposure is medium', () => {
    const a = loadAnalysis('redis-world');
    const app = a.services.find((s) => s.port === 45000)!;
    app.sources = { ipv4: ['128.0.0.0/1'], ipv6: [] };
    expect(runCheck(check, a).find((f) => f.service?.port === 45000)!.severity).toBe('medium');
  });
  it('allowlisted exposure is not this check\'s business', () => {
    const a = loadAnalysis('redis-world');
    a.services.find((s) => s.port === 45000)!.sources = { ipv4: ['203.0.113.0/24'], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
  });
});
