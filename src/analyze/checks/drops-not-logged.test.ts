import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { dropsNotLogged as check } from './drops-not-logged.js';

describe('drops-not-logged', () => {
  it('IPv4 drops without a LOG rule (docker-host, legacy-and-nft)', () => {
    const out = runCheck(check, 'docker-host');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['drops-not-logged:docker-1:ipv4', 'low']]);
    expect(out[0]!.evidence.decisions!.map((d) => d.rule.text)).toEqual(['policy DROP']);
    expect(ids(runCheck(check, 'legacy-and-nft'))).toEqual(['drops-not-logged:old-box:ipv4']);
  });
  it('logged drops (ufw-host), nothing dropped (redis-world) or no fact: nothing', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'redis-world')).toEqual([]);
    const a = loadAnalysis('docker-host');
    delete a.firewall;
    expect(runCheck(check, a)).toEqual([]);
  });
});
