import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { backendConflict as check } from './backend-conflict.js';

describe('backend-conflict', () => {
  it('nftables accepts 8080, the leftover legacy ruleset drops it (legacy-and-nft)', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['backend-conflict:old-box:tcp/8080', 'medium']]);
    expect(out[0]!.title).toBe('HTTP on 8080/tcp: accepted by nftables but dropped by iptables-legacy (ipv4)');
    expect(out[0]!.evidence.decisions!.map((d) => d.rule.backend)).toEqual(['nftables', 'iptables-legacy']);
  });
  it('both backends accepting (FTP, telnet) is no conflict; one backend never conflicts (docker-host)', () => {
    expect(runCheck(check, 'legacy-and-nft').some((f) => f.service?.port === 21)).toBe(false);
    expect(runCheck(check, 'docker-host')).toEqual([]);
  });
  it('needs more than one backend for the family', () => {
    const a = loadAnalysis('legacy-and-nft');
    a.backends.ipv4 = ['nftables'];
    expect(runCheck(check, a)).toEqual([]);
  });
});
