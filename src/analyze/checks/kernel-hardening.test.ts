import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { kernelHardening as check } from './kernel-hardening.js';

describe('kernel-hardening', () => {
  it('every switched-off setting gives its own finding (redis-world)', () => {
    const out = runCheck(check, 'redis-world');
    expect(out.map((f) => [f.id, f.severity]).sort()).toEqual([
      ['kernel-hardening:cache-7:accept_redirects', 'low'],
      ['kernel-hardening:cache-7:accept_source_route', 'medium'],
      ['kernel-hardening:cache-7:log_martians', 'info'],
      ['kernel-hardening:cache-7:rp_filter', 'low'],
      ['kernel-hardening:cache-7:tcp_syncookies', 'medium'],
    ]);
    const syn = out.find((f) => f.id.endsWith('tcp_syncookies'))!;
    expect(syn.evidence.facts[0]).toBe('net.ipv4.tcp_syncookies = 0');
    expect(syn.remediation.commands[0]).toBe('sysctl -w net.ipv4.tcp_syncookies=1');
  });
  it('hardened defaults give nothing (ufw-host)', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
  it('combines all/default the kernel way: rp_filter needs both off, accept_redirects either on', () => {
    const a = loadAnalysis('ufw-host');
    a.sysctls!['net.ipv4.conf.all.rp_filter'] = '0';
    a.sysctls!['net.ipv6.conf.default.accept_redirects'] = '1';
    expect(ids(runCheck(check, a))).toEqual(['kernel-hardening:ufw-web-1:accept_redirects']);
    a.sysctls!['net.ipv4.conf.default.rp_filter'] = '0';
    expect(ids(runCheck(check, a))).toContain('kernel-hardening:ufw-web-1:rp_filter');
  });
  it('unreadable sysctls say nothing', () => {
    const a = loadAnalysis('redis-world');
    for (const k of Object.keys(a.sysctls!)) a.sysctls![k] = null;
    expect(runCheck(check, a)).toEqual([]);
  });
});
