import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, loadAnalysis } from '../../../test/fixtures/analysis/load.js';
import { diffReports } from './diff.js';
import { buildAuditReport } from './index.js';

const audit = (a: ReturnType<typeof loadAnalysis>) => buildAuditReport([a], null, FIXTURE_NOW);

describe('diffReports', () => {
  it('the same report twice: nothing changed', () => {
    const r = audit(loadAnalysis('docker-host'));
    const d = diffReports(r, r);
    expect(d).toMatchObject({ format: 'portcullis-diff', newListeners: [], goneListeners: [], widened: [], narrowed: [], findingsAdded: [], findingsRemoved: [], worsened: false });
  });

  it('a new public listener and its findings make it worse', () => {
    const before = loadAnalysis('ufw-host');
    const after = loadAnalysis('ufw-host');
    after.services.push({ ...after.services[0]!, port: 6379, process: { pid: 9, name: 'redis-server', cmdline: ['redis-server'], user: 'redis' } });
    const d = diffReports(audit(before), audit(after));
    expect(d.newListeners).toEqual([expect.objectContaining({ host: 'ufw-web-1', proto: 'tcp', port: 6379, service: 'redis', exposure: 'world' })]);
    expect(d.findingsAdded.map((f) => f.id)).toContain('exposed-datastore:ufw-web-1:tcp/6379');
    expect(d.worsened).toBe(true);
  });

  it('a new loopback-only listener is news but not worse', () => {
    const before = loadAnalysis('ufw-host');
    const after = loadAnalysis('ufw-host');
    after.services.push({ ...after.services[7]!, port: 6380 });
    const d = diffReports(audit(before), audit(after));
    expect(d.newListeners.map((s) => [s.port, s.exposure])).toEqual([[6380, 'local']]);
    expect(d.worsened).toBe(false);
  });

  it('narrowing SSH to the office: narrowed, findings removed, not worse', () => {
    const before = loadAnalysis('ufw-host');
    const after = loadAnalysis('ufw-host');
    for (const s of after.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24'], ipv6: [] } : { ipv4: [], ipv6: ['2001:db8:100::/48'] };
    const d = diffReports(audit(before), audit(after));
    expect(d.narrowed).toEqual([expect.objectContaining({ port: 22, from: 'world', to: 'allowlisted', addedSources: { ipv4: [], ipv6: [] } })]);
    expect(d.widened).toEqual([]);
    expect(d.findingsRemoved.map((f) => f.id)).toContain('exposed-admin-service:ufw-web-1:tcp/22');
    expect(d.worsened).toBe(false);
  });

  it('the reverse is a widening, with the added sources', () => {
    const narrow = loadAnalysis('ufw-host');
    for (const s of narrow.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24'], ipv6: [] } : { ipv4: [], ipv6: [] };
    const d = diffReports(audit(narrow), audit(loadAnalysis('ufw-host')));
    expect(d.widened).toHaveLength(1);
    expect(d.widened[0]).toMatchObject({ port: 22, from: 'allowlisted', to: 'world' });
    expect(d.widened[0]!.addedSources.ipv6).toEqual(['::/0']); // ::/1 and 8000::/1 joined
    expect(d.worsened).toBe(true);
  });

  it('added sources within the same class still widen', () => {
    const a = loadAnalysis('ufw-host');
    const b = loadAnalysis('ufw-host');
    for (const s of a.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24'], ipv6: [] } : { ipv4: [], ipv6: [] };
    for (const s of b.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24', '203.0.113.0/24'], ipv6: [] } : { ipv4: [], ipv6: [] };
    const d = diffReports(audit(a), audit(b));
    expect(d.widened).toEqual([expect.objectContaining({ from: 'allowlisted', to: 'allowlisted', addedSources: { ipv4: ['203.0.113.0/24'], ipv6: [] } })]);
    expect(d.worsened).toBe(true);
  });

  it('a listener that went away', () => {
    const after = loadAnalysis('ufw-host');
    after.services = after.services.filter((s) => s.port !== 3306);
    const d = diffReports(audit(loadAnalysis('ufw-host')), audit(after));
    expect(d.goneListeners.map((s) => s.port)).toEqual([3306]);
    expect(d.worsened).toBe(false);
  });

  it('a new finding worsens only at or above failOn (default high, as audit)', () => {
    const r = audit(loadAnalysis('docker-host'));
    const added = (severity: 'critical' | 'medium') => ({ ...r, findings: [...r.findings, { ...r.findings[0]!, id: `made-up:${severity}`, severity, suppressed: false }] });
    expect(diffReports(r, added('medium'))).toMatchObject({ failOn: 'high', worsened: false, findingsAdded: [expect.objectContaining({ id: 'made-up:medium' })] });
    expect(diffReports(r, added('medium'), { failOn: 'medium' }).worsened).toBe(true);
    expect(diffReports(r, added('critical')).worsened).toBe(true);
    expect(diffReports(r, added('critical'), { failOn: 'none' }).worsened).toBe(false);
  });
});
