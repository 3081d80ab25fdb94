import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { restrictedCommonPorts as check } from './restricted-common-ports.js';

describe('restricted-common-ports', () => {
  it('FTP (21) open to the world (legacy-and-nft)', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['restricted-common-ports:old-box:tcp/21', 'high']]);
    expect(out[0]!.evidence.facts).toContain('restricted ports: 20/tcp, 21/tcp, 3389/tcp, 3306/tcp, 4333/tcp');
  });
  it('MySQL behind ufw is fine (ufw-host)', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
  it('only world counts, as in AWS (0.0.0.0/0)', () => {
    const a = loadAnalysis('legacy-and-nft');
    a.services.find((s) => s.port === 21)!.sources = { ipv4: ['128.0.0.0/1'], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
  });
  it('the policy replaces the port list', () => {
    const policy = { file: 'p', trusted: [], publicPorts: [], severity: {}, restrictedPorts: [{ proto: 'tcp' as const, from: 6379, to: 6379 }], exceptions: [] };
    expect(ids(runCheck(check, 'redis-world', policy))).toEqual(['restricted-common-ports:cache-7:tcp/6379']);
    expect(runCheck(check, 'legacy-and-nft', policy)).toEqual([]);
  });
});
