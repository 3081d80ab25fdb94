import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { uncertainExposure as check } from './uncertain-exposure.js';

describe('uncertain-exposure', () => {
  it('SSH admitted by an ipset missing from the snapshot (legacy-and-nft)', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['uncertain-exposure:old-box:tcp/22', 'info']]);
    expect(out[0]!.evidence.facts).toContain('INPUT #1: -m set --match-set admins src (missing-data: ipset "admins" is not in the snapshot)');
  });
  it('rate limits are not uncertainty about exposure; certain services say nothing', () => {
    const a = loadAnalysis('legacy-and-nft');
    for (const s of a.services) for (const u of s.uncertain) u.kind = 'rate-limit';
    expect(runCheck(check, a)).toEqual([]);
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
});
