/**
 * `watch` events as lines: the JSON line follows schemas/watch.schema.json for every kind of
 * event the comparison produces, and the text line names the host, the port and the trigger.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, loadAnalysis } from '../fixtures/analysis/load.js';
import { buildAuditReport } from '../../src/analyze/audit/index.js';
import { type WatchEvent, wideningEvents } from '../../src/analyze/watch/index.js';
import { renderWatchEventJson, renderWatchEventText } from '../../src/render/index.js';
import { validator } from './load.js';

const audit = (a: ReturnType<typeof loadAnalysis>) => buildAuditReport([a], null, FIXTURE_NOW);

function events(): WatchEvent[] {
  const before = loadAnalysis('ufw-host');
  for (const s of before.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/24'], ipv6: [] } : { ipv4: [], ipv6: ['2001:db8:100::/48'] };
  const after = structuredClone(before);
  after.services.push({ ...after.services[0]!, port: 6379, process: { pid: 9, name: 'redis-server', cmdline: ['redis-server'], user: 'redis' } });
  for (const s of after.services) if (s.port === 22 && s.family === 'ipv4') s.sources = { ipv4: ['0.0.0.0/0'], ipv6: [] };
  return wideningEvents(audit(before), audit(after), { failOn: 'low' }).map((e) => ({ ...e, detectedAt: '2026-12-01T10:00:00.000Z', trigger: 'nft-monitor' as const, round: 3 }));
}

describe('watch event lines', () => {
  const validate = validator('watch');

  it('every kind of event is one JSON line the schema accepts', () => {
    const all = events();
    expect(new Set(all.map((e) => e.event))).toEqual(new Set(['new-listener', 'widened', 'new-finding']));
    for (const e of all) {
      const line = renderWatchEventJson(e);
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      const parsed = JSON.parse(line);
      expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('the schema refuses an event it does not describe', () => {
    const e = JSON.parse(renderWatchEventJson(events()[0]!));
    expect(validate({ ...e, event: 'narrowed' })).toBe(false);
    expect(validate({ ...e, exposure: 'local' })).toBe(false);
  });

  it('text: one line per event with host, port, exposure and trigger', () => {
    const lines = events().map(renderWatchEventText);
    expect(lines[0]).toBe('2026-12-01T10:00:00.000Z ufw-web-1 new listener tcp/6379 (redis) reachable allowlisted, from 198.51.100.0/24 [nft-monitor]\n');
    // The world minus the office's 198.51.100.0/24: the sources that are new.
    expect(lines.find((l) => l.includes(' widened '))).toMatch(/ widened tcp\/22 \(ssh\) allowlisted → world, now also from 24 prefixes \(0\.0\.0\.0\/1, 128\.0\.0\.0\/2, .*\) \[nft-monitor\]\n$/);
    expect(lines.find((l) => l.includes('new finding'))).toMatch(/new finding (critical|high|medium|low) \S+/);
    for (const l of lines) expect(l.split('\n')).toHaveLength(2);
  });

  const hostEvents: WatchEvent[] = [
    { event: 'host-down', host: 'web-2', phase: 'collect', reason: 'ssh: connect to host web-2 port 22: Connection refused', judgedBy: 'nothing-yet', detectedAt: '2026-12-01T10:00:00.000Z', trigger: 'baseline', round: 0 },
    { event: 'host-down', host: 'db-1', phase: 'analyze', reason: 'cannot analyse db-1', judgedBy: 'last-good-round', detectedAt: '2026-12-01T10:05:00.000Z', trigger: 'interval', round: 5 },
    { event: 'host-up', host: 'web-2', downSince: 0, detectedAt: '2026-12-01T10:01:00.000Z', trigger: 'interval', round: 1 },
  ];

  it('host-down and host-up are JSON lines the schema accepts, and text lines that say what stands in', () => {
    for (const e of hostEvents) {
      const parsed = JSON.parse(renderWatchEventJson(e));
      expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(hostEvents.map(renderWatchEventText)).toEqual([
      '2026-12-01T10:00:00.000Z web-2 down: could not be collected: ssh: connect to host web-2 port 22: Connection refused; no round of it yet: its baseline is taken when it answers [baseline]\n',
      '2026-12-01T10:05:00.000Z db-1 down: could not be analysed: cannot analyse db-1; judged by its last good round until it answers [interval]\n',
      '2026-12-01T10:01:00.000Z web-2 answering again (down since round 0) [interval]\n',
    ]);
  });

  it('the schema keeps widenings out of the baseline and host events to their own fields', () => {
    const widening = JSON.parse(renderWatchEventJson(events()[0]!));
    expect(validate({ ...widening, trigger: 'baseline', round: 0 })).toBe(false);
    const down = JSON.parse(renderWatchEventJson(hostEvents[0]!));
    expect(validate({ ...down, judgedBy: 'guess' })).toBe(false);
    expect(validate({ ...down, port: 22 })).toBe(false);
    const { reason: _reason, ...noReason } = down;
    expect(validate(noReason)).toBe(false);
  });
});
