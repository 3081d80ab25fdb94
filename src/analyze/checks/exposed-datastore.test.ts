import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { exposedDatastore as check } from './exposed-datastore.js';

describe('exposed-datastore', () => {
  it('Redis (also on 7000), Elasticsearch and memcached open to the world are critical (redis-world)', () => {
    const out = runCheck(check, 'redis-world');
    expect(ids(out)).toEqual(['exposed-datastore:cache-7:tcp/6379', 'exposed-datastore:cache-7:tcp/7000', 'exposed-datastore:cache-7:tcp/9200', 'exposed-datastore:cache-7:udp/11211']);
    expect(new Set(out.map((f) => f.severity))).toEqual(new Set(['critical']));
    expect(out.find((f) => f.service?.port === 7000)!.title).toMatch(/Redis/);
  });
  it('a published container port is filtered in DOCKER-USER (docker-host)', () => {
    const out = runCheck(check, 'docker-host');
    const fwd = out.find((f) => f.evidence.decisions?.some((d) => d.rule.chain === 'DOCKER'))!;
    expect(fwd.remediation.commands.join('\n')).toMatch(/DOCKER-USER/);
    expect(fwd.remediation.commands.join('\n')).toMatch(/127\.0\.0\.1:6379:6379/);
  });
  it('MySQL blocked by ufw and PostgreSQL on loopback are fine (ufw-host)', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
  });
  it('listing the port as public does not silence it', () => {
    const out = runCheck(check, 'redis-world', { file: 'p', trusted: [], publicPorts: [{ hosts: ['*'], ports: [{ proto: 'tcp', from: 6379, to: 6379 }] }], severity: {}, restrictedPorts: null, exceptions: [] });
    expect(ids(out)).toContain('exposed-datastore:cache-7:tcp/6379');
  });
  it('an allowlisted data store is not reported here', () => {
    const a = loadAnalysis('redis-world');
    for (const s of a.services) s.sources = { ipv4: ['198.51.100.10/32'], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
  });
});
