import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, loadAnalysis } from '../../../test/fixtures/analysis/load.js';
import { buildAuditReport } from '../audit/index.js';
import { wideningEvents } from './widening.js';

const audit = (a: ReturnType<typeof loadAnalysis>) => buildAuditReport([a], null, FIXTURE_NOW);

describe('wideningEvents', () => {
  it('the same round twice: no event', () => {
    const r = audit(loadAnalysis('ufw-host'));
    expect(wideningEvents(r, r)).toEqual([]);
  });

  it('a new listener reachable from the world, and the finding it brings at or above --fail-on', () => {
    const before = loadAnalysis('ufw-host');
    const after = loadAnalysis('ufw-host');
    after.services.push({ ...after.services[0]!, port: 6379, process: { pid: 9, name: 'redis-server', cmdline: ['redis-server'], user: 'redis' } });
    const events = wideningEvents(audit(before), audit(after), { failOn: 'high' });
    expect(events[0]).toMatchObject({ event: 'new-listener', host: 'ufw-web-1', proto: 'tcp', port: 6379, service: 'redis', exposure: 'world' });
    expect(events.filter((e) => e.event === 'new-finding').map((e) => e.event === 'new-finding' && e.id)).toContain('exposed-datastore:ufw-web-1:tcp/6379');
    // With the gate off, the listener is still news; the findings are not events.
    expect(wideningEvents(audit(before), audit(after), { failOn: 'none' }).map((e) => e.event)).toEqual(['new-listener']);
  });

  it('a new loopback-only listener is not an event', () => {
    const before = loadAnalysis('ufw-host');
    const after = loadAnalysis('ufw-host');
    after.services.push({ ...after.services[7]!, port: 6380 });
    expect(after.services[7]!.sources).toEqual({ ipv4: [], ipv6: [] });
    expect(wideningEvents(audit(before), audit(after))).toEqual([]);
  });

  it('more sources in one family is a widening; the narrowing back is not an event', () => {
    const office = loadAnalysis('ufw-host');
    for (const s of office.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24'], ipv6: [] } : { ipv4: [], ipv6: ['2001:db8:100::/48'] };
    const wider = structuredClone(office);
    for (const s of wider.services) if (s.port === 22 && s.family === 'ipv6') s.sources = { ipv4: [], ipv6: ['2001:db8:100::/48', '2001:db8:200::/48'] };
    const events = wideningEvents(audit(office), audit(wider), { failOn: 'none' });
    expect(events).toEqual([expect.objectContaining({ event: 'widened', port: 22, from: 'allowlisted', to: 'allowlisted', addedSources: { ipv4: [], ipv6: ['2001:db8:200::/48'] } })]);
    expect(wideningEvents(audit(wider), audit(office), { failOn: 'info' })).toEqual([]);
  });
});
