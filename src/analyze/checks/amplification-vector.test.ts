import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { amplificationVector as check } from './amplification-vector.js';

describe('amplification-vector', () => {
  it('memcached over UDP is the worst amplifier: critical (redis-world)', () => {
    const out = runCheck(check, 'redis-world');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['amplification-vector:cache-7:udp/11211', 'critical']]);
    expect(out[0]!.evidence.facts.join(' ')).toMatch(/51,000x/);
  });
  it('an open DNS resolver is high; a DNS port listed as public is intentional', () => {
    const a = loadAnalysis('ufw-host');
    const dns = a.services.find((s) => s.port === 53)!;
    dns.sources = { ipv4: ['0.0.0.0/0'], ipv6: [] };
    dns.process = { pid: 8, name: 'named', cmdline: ['/usr/sbin/named'], user: 'bind' };
    expect(runCheck(check, a).map((f) => f.severity)).toEqual(['high']);
    expect(runCheck(check, a, { file: 'p', trusted: [], publicPorts: [{ hosts: ['*'], ports: [{ proto: 'udp', from: 53, to: 53 }] }], severity: {}, restrictedPorts: null, exceptions: [] })).toEqual([]);
  });
  it('the local stub resolver is fine (ufw-host)', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
});
