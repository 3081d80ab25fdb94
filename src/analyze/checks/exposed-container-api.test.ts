import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { exposedContainerApi as check } from './exposed-container-api.js';

describe('exposed-container-api', () => {
  it('dockerd on tcp://0.0.0.0:2375 (docker-host)', () => {
    const out = runCheck(check, 'docker-host');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['exposed-container-api:docker-1:tcp/2375', 'critical']]);
    expect(out[0]!.evidence.decisions![0]!.rule.text).toBe('-A INPUT -p tcp -m tcp --dport 2375 -j ACCEPT');
    expect(out[0]!.remediation.commands[0]).toMatch(/tcp:\/\/0\.0\.0\.0:2375/);
  });
  it('a kubelet allowlisted to the control plane is fine', () => {
    const a = loadAnalysis('docker-host');
    const api = a.services.find((s) => s.port === 2375)!;
    api.port = 10250;
    api.process = { pid: 7, name: 'kubelet', cmdline: ['/usr/bin/kubelet'], user: 'root' };
    expect(ids(runCheck(check, a))).toEqual(['exposed-container-api:docker-1:tcp/10250']);
    api.sources = { ipv4: ['10.0.0.0/16'], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
  });
  it('no container API on the other fixtures', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'redis-world')).toEqual([]);
  });
});
