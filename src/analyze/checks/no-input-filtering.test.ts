import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { noInputFiltering as check } from './no-input-filtering.js';

describe('no-input-filtering', () => {
  it('a host without any firewall (redis-world), in both families where listeners are', () => {
    const out = runCheck(check, 'redis-world');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['no-input-filtering:cache-7:ipv4', 'high'], ['no-input-filtering:cache-7:ipv6', 'high']]);
    expect(out[0]!.remediation.commands).toContain('iptables -P INPUT DROP');
  });
  it('IPv4 filtered, ip6tables empty with policy ACCEPT (docker-host)', () => {
    const out = runCheck(check, 'docker-host');
    expect(ids(out)).toEqual(['no-input-filtering:docker-1:ipv6']);
    expect(out[0]!.evidence.decisions!.every((d) => d.rule.text === 'policy ACCEPT')).toBe(true);
  });
  it('a firewall that drops (ufw-host) or admits single ports by rule (legacy-and-nft) is filtering', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'legacy-and-nft')).toEqual([]);
  });
  it('a catch-all ACCEPT rule admitting every listener is no filtering', () => {
    const a = loadAnalysis('redis-world');
    const all = { backend: 'iptables-nft' as const, family: 'ipv4' as const, table: 'filter', chain: 'INPUT', position: 1, text: '-A INPUT -j ACCEPT' };
    for (const s of a.services) s.decisions = [{ verdict: 'accept', rule: all, hook: 'input', sources: s.sources, uncertain: false }];
    expect(ids(runCheck(check, a))).toContain('no-input-filtering:cache-7:ipv4');
  });
  it('only public ports open to the world: nothing to say', () => {
    const a = loadAnalysis('redis-world');
    a.services = a.services.filter((s) => s.port === 80);
    expect(runCheck(check, a)).toEqual([]);
  });
  it('uses the nft commands on an nftables host', () => {
    const a = loadAnalysis('redis-world');
    a.backends = { ipv4: ['nftables'], ipv6: ['nftables'] };
    expect(runCheck(check, a)[0]!.remediation.commands[1]).toMatch(/policy drop/);
  });
  it('says nothing when no firewall source could be read (not root): unknown is not absent', () => {
    const a = loadAnalysis('redis-world');
    a.sourceStatus = [{ source: 'iptables-save (nft)', status: 'unavailable', rules: 0 }, { source: 'nft -j list ruleset', status: 'failed', rules: 0 }];
    expect(runCheck(check, a)).toEqual([]);
  });
});
