import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { adminNoRateLimit as check } from './admin-no-rate-limit.js';

describe('admin-no-rate-limit', () => {
  it('SSH open to the world without a limit is medium, with ufw limit as the fix (ufw-host)', () => {
    const out = runCheck(check, 'ufw-host');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['admin-no-rate-limit:ufw-web-1:tcp/22', 'medium']]);
    expect(out[0]!.remediation.commands).toEqual(['ufw limit 22/tcp']);
  });
  it('rate-limited SSH is fine', () => {
    const a = loadAnalysis('ufw-host');
    for (const s of a.services) s.rateLimited = true;
    expect(runCheck(check, a)).toEqual([]);
  });
  it('allowlisted SSH without a limit is low', () => {
    const a = loadAnalysis('ufw-host');
    for (const s of a.services) if (s.port === 22) s.sources = { ipv4: s.family === 'ipv4' ? ['198.51.100.0/24'] : [], ipv6: [] };
    expect(runCheck(check, a).map((f) => f.severity)).toEqual(['low']);
  });
  it('loopback-only SSH is fine; iptables hosts get -m recent', () => {
    const a = loadAnalysis('ufw-host');
    for (const s of a.services) if (s.port === 22) s.sources = { ipv4: [], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
    expect(runCheck(check, 'redis-world')[0]!.remediation.commands[1]).toMatch(/-m recent --update/);
  });
});
