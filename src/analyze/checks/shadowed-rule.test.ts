import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { shadowedRule as check } from './shadowed-rule.js';

describe('shadowed-rule', () => {
  it('a shadowed DROP is low, an unreachable ACCEPT info (legacy-and-nft)', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([
      ['shadowed-rule:old-box:iptables-legacy/ipv4/filter/INPUT#4', 'low'],
      ['shadowed-rule:old-box:nftables/ipv4/inet filter/input#unreachable', 'info'],
    ]);
    expect(out[0]!.evidence.facts[1]).toBe('covered by iptables-legacy ipv4 filter INPUT #2: -A INPUT -p tcp -m tcp --dport 21 -j ACCEPT');
    // Deleting by the rule's text stays right when other rules above it go first.
    expect(out[0]!.remediation.commands[0]).toMatch(/^iptables-legacy -t filter -D INPUT /);
    expect(out[1]!.remediation.commands).toEqual(['nft delete chain inet filter input']);
  });
  it('no shadowed rules, no finding', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
});
