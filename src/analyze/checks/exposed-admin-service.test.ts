import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { exposedAdminService as check } from './exposed-admin-service.js';

describe('exposed-admin-service', () => {
  it('SSH open to the world is high (ufw-host, redis-world on 2222)', () => {
    expect(runCheck(check, 'ufw-host').map((f) => [f.id, f.severity])).toEqual([['exposed-admin-service:ufw-web-1:tcp/22', 'high']]);
    expect(ids(runCheck(check, 'redis-world'))).toEqual(['exposed-admin-service:cache-7:tcp/2222']);
  });
  it('SSH open on IPv6 only still counts (docker-host)', () => {
    expect(ids(runCheck(check, 'docker-host'))).toEqual(['exposed-admin-service:docker-1:tcp/22']);
  });
  it('an admin panel (Cockpit) is critical', () => {
    const a = loadAnalysis('ufw-host');
    a.services.push({ ...a.services[0]!, port: 9090, process: { pid: 5, name: 'cockpit-ws', cmdline: ['/usr/libexec/cockpit-ws'], user: null } });
    const f = runCheck(check, a).find((x) => x.service?.port === 9090)!;
    expect(f.severity).toBe('critical');
    expect(f.remediation.commands[0]).toMatch(/ListenStream=127\.0\.0\.1:9090/);
  });
  it('SSH listed public by policy is intentional', () => {
    expect(runCheck(check, 'ufw-host', { file: 'p', trusted: [], publicPorts: [{ hosts: ['ufw-*'], ports: [{ proto: 'tcp', from: 22, to: 22 }] }], severity: {}, restrictedPorts: null, exceptions: [] })).toEqual([]);
  });
  it('SSH from trusted sources only is allowlisted by policy', () => {
    const a = loadAnalysis('ufw-host');
    for (const s of a.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['0.0.0.0/0'], ipv6: [] } : { ipv4: [], ipv6: [] };
    expect(runCheck(check, a, { file: 'p', trusted: [{ name: 'everyone', ipv4: ['0.0.0.0/0'], ipv6: [] }], publicPorts: [], severity: {}, restrictedPorts: null, exceptions: [] })).toEqual([]);
  });
});
