import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogFold, type FoldOptions, type FoldResult, REORDER_HORIZON_MS } from './fold.js';
import { emptyFoldResult, mergeFoldResults } from './fold-result.js';
import { summarize } from './summarize.js';
import type { PacketEvent } from './types.js';

const SCAN: FoldOptions = { scan: { ports: 15, windowMs: 60_000 } };
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

/** As the parser gives them: dotted quads also as a number (the fold's fast key), other sources by text only. */
const SYN = 2;
const ACK = 16;
const RST = 4;
const ECE = 64;
const CWR = 128;

function ev(src: string, dpt: number, time: number, proto = 'tcp', inIface = 'eth0', tcpFlags = proto === 'tcp' ? SYN : 0): PacketEvent {
  const quad = /^\d+\.\d+\.\d+\.\d+$/.test(src) ? src.split('.').reduce((n, part) => n * 256 + Number(part), 0) : -1;
  return { time, prefix: '[UFW BLOCK]', drop: true, src, srcV4: quad, proto, dpt, icmpType: -1, inIface, tcpFlags };
}

function fold(events: PacketEvent[], options: FoldOptions = SCAN): FoldResult {
  const f = new LogFold(options);
  events.forEach((e, i) => f.record(e, i + 1));
  return f.finish();
}

function scanners(state: FoldResult, options: FoldOptions = SCAN): string[] {
  return summarize(state, { scan: options.scan, now: new Date(T0), toolVersion: 't', inputs: [] }).scanners.map((s) => `${s.address}@${s.detectedAt}`);
}

describe('scanner: at least N distinct ports within any W-second window (sliding)', () => {
  const spread = (src: string, ports: number, stepMs: number, start = T0) => Array.from({ length: ports }, (_, i) => ev(src, 1000 + i, start + i * stepMs));

  it('15 ports within 59.999 s is a scanner; 15 ports whose first and last are 60 s apart is not; 14 is not', () => {
    const inWindow = spread('203.0.113.1', 15, 59_999 / 14);
    const edge = spread('203.0.113.2', 15, 60_000 / 14);
    const fourteen = spread('203.0.113.3', 14, 1000);
    const all = [...inWindow, ...edge, ...fourteen].sort((a, b) => a.time - b.time);
    expect(scanners(fold(all))).toEqual([`203.0.113.1@${new Date(inWindow[14]!.time).toISOString()}`]);
  });

  it('slides: ports 5 s apart reach 15 in no window, but 15 inside any 60 s span do, across minute boundaries', () => {
    expect(scanners(fold(spread('203.0.113.4', 40, 5000)))).toEqual([]);
    // 15 ports from 12:00:50 to 12:01:20: no clock minute holds 15, one window does.
    const burst = spread('203.0.113.5', 15, 2000, T0 + 50_000);
    expect(scanners(fold(burst))).toHaveLength(1);
  });

  it('a source that tried many ports long ago (spans forgotten, ports still counted) is a scanner only when 15 fall in one window', () => {
    // 300 ports, one every 5 minutes (25 hours): most spans are pruned, the port Map keeps all 300.
    const slow = spread('203.0.113.10', 300, 300_000);
    const s = summarize(fold(slow), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    expect(s.sources[0]!.ports).toBe(300);
    expect(s.scanners).toEqual([]);
    // Then 15 ports within 14 s: the 15th in time order is the detection.
    const last = slow.at(-1)!.time;
    const burst = Array.from({ length: 15 }, (_, i) => ev('203.0.113.10', 5000 + i, last + 3_600_000 + i * 1000));
    expect(scanners(fold([...slow, ...burst]))).toEqual([`203.0.113.10@${new Date(burst[14]!.time).toISOString()}`]);
    // 14 new ports in the window and a port tried an hour earlier is still 14 in the window.
    const fourteen = [...slow, ev('203.0.113.10', 4000, last + 60_000), ...burst.slice(0, 14)];
    expect(scanners(fold(fourteen))).toEqual([]);
  });

  it('repeats of one port are one port; the threshold and window are configurable', () => {
    const same = Array.from({ length: 100 }, (_, i) => ev('203.0.113.6', 22, T0 + i * 100));
    expect(scanners(fold(same))).toEqual([]);
    const opts: FoldOptions = { scan: { ports: 3, windowMs: 10_000 } };
    expect(scanners(fold(spread('203.0.113.7', 3, 4000), opts), opts)).toHaveLength(1);
    expect(scanners(fold(spread('203.0.113.8', 3, 5000), opts), opts)).toEqual([]);
  });

  it('tcp/80 and udp/80 are two ports; ICMP has none', () => {
    const events = Array.from({ length: 8 }, (_, i) => [ev('203.0.113.9', 80 + i, T0 + i), ev('203.0.113.9', 80 + i, T0 + i, 'udp')]).flat();
    events.push(ev('203.0.113.9', -1, T0 + 10, 'icmp'));
    const s = summarize(fold(events), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    expect(s.scanners.map((x) => x.ports)).toEqual([16]);
    expect(s.protocols).toEqual([{ proto: 'icmp', attempts: 1, sources: 1 }]);
  });
});

/** Scanners by the definition itself, brute force: for each attempt, the distinct ports in (t − W, t]. */
function bruteScanners(events: PacketEvent[], options: FoldOptions): string[] {
  const bySource = new Map<string, PacketEvent[]>();
  for (const e of events) bySource.set(e.src, [...(bySource.get(e.src) ?? []), e]);
  const out: string[] = [];
  for (const [src, list] of bySource) {
    const sorted = [...list].sort((a, b) => a.time - b.time);
    const hit = sorted.find((e, i) => {
      const ports = new Set<string>();
      // Every attempt at the same time as e is in its window, and those before it up to W back.
      for (let j = i; j < sorted.length && sorted[j]!.time === e.time; j++) ports.add(`${sorted[j]!.proto}/${sorted[j]!.dpt}`);
      for (let j = i - 1; j >= 0 && e.time - sorted[j]!.time < options.scan.windowMs; j--) ports.add(`${sorted[j]!.proto}/${sorted[j]!.dpt}`);
      return ports.size >= options.scan.ports;
    });
    if (hit) out.push(`${src.includes(':') ? '2001:db8::1' : src}@${new Date(hit.time).toISOString()}`);
  }
  return out.sort();
}

describe('folds over parts of a log merge to the fold of the whole, in any time order', () => {
  const event = fc.record({
    src: fc.constantFrom('198.51.100.1', '198.51.100.2', '2001:0db8:0000:0000:0000:0000:0000:0001'),
    port: fc.integer({ min: 1, max: 12 }),
    gap: fc.integer({ min: 0, max: 800 }),
    udp: fc.boolean(),
  });
  // Lines that go back in time, within the reorder horizon: a clock step, the hour repeated
  // at the end of daylight saving time; or a log whose lines are shuffled.
  const step = fc.record({ at: fc.integer({ min: 0, max: 600 }), by: fc.oneof(fc.integer({ min: -40_000, max: 0 }), fc.integer({ min: -REORDER_HORIZON_MS / 2, max: 3_600_000 })) });
  const options: FoldOptions = { scan: { ports: 5, windowMs: 20_000 } };
  const summaryOf = (state: FoldResult) => summarize(state, { scan: options.scan, now: new Date(T0), toolVersion: 't', inputs: [] });

  function events(raw: { src: string; port: number; gap: number; udp: boolean }[], steps: { at: number; by: number }[], gapScale = 1): PacketEvent[] {
    let t = T0;
    return raw.map((r, i) => {
      t += r.gap * gapScale;
      for (const s of steps) if (s.at === i) t += s.by;
      return ev(r.src, r.port, t, r.udp ? 'udp' : 'tcp');
    });
  }

  function cutAndMerge(list: PacketEvent[], cutsRaw: number[]): FoldResult {
    const cuts = [...new Set(cutsRaw.map((c) => Math.min(c, list.length)))].sort((a, b) => a - b);
    const bounds = [0, ...cuts, list.length];
    let merged = emptyFoldResult();
    // The last merge keeps no spans, as the command's does (nothing merges after it).
    for (let i = 0; i + 1 < bounds.length; i++) merged = mergeFoldResults(merged, fold(list.slice(bounds[i], bounds[i + 1]), options), options.scan, 5, i + 2 === bounds.length);
    return merged;
  }

  it('for any events, any steps back in time and any cut points, the same summary; scanners as the definition says (property)', () => {
    let withScanners = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 20, maxLength: 300 }), fc.array(step, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }), (raw, steps, cuts) => {
        const list = events(raw, steps);
        const whole = summaryOf(fold(list, options));
        if (whole.scanners.length > 0) withScanners++;
        expect(summaryOf(cutAndMerge(list, cuts))).toEqual(whole);
        expect(whole.scanners.map((s) => `${s.address}@${s.detectedAt}`).sort()).toEqual(bruteScanners(list, options));
      }),
      { numRuns: 120 },
    );
    // The property is only worth something if scanners occur.
    expect(withScanners).toBeGreaterThan(30);
  }, 120_000);

  it('long, sparse logs (spans forgotten as the fold goes): still the same summary for any cut, and the definition\'s scanners (property)', () => {
    // Gaps up to 80 s against a 20 s window: most attempts open a span, so sources prune.
    fc.assert(
      fc.property(fc.array(event, { minLength: 200, maxLength: 600 }), fc.array(step, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 5 }), (raw, steps, cuts) => {
        const burst = raw.map((r, i) => ({ ...r, gap: i % 50 < 8 ? 0 : r.gap }));
        const list = events(burst, steps, 100);
        const whole = summaryOf(fold(list, options));
        expect(summaryOf(cutAndMerge(list, cuts))).toEqual(whole);
        expect(whole.scanners.map((s) => `${s.address}@${s.detectedAt}`).sort()).toEqual(bruteScanners(list, options));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a step back beyond the horizon never invents a scanner: each one found is a real window', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 200, maxLength: 500 }), fc.integer({ min: 10, max: 490 }), fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 4 }), (raw, at, cuts) => {
        const list = events(raw.map((r, i) => ({ ...r, gap: i % 40 < 10 ? 0 : r.gap })), [{ at, by: -3 * REORDER_HORIZON_MS }], 100);
        const real = new Set(bruteScanners(list, options).map((x) => x.split('@')[0]));
        for (const state of [fold(list, options), cutAndMerge(list, cuts)]) {
          for (const s of summaryOf(state).scanners) {
            expect(real.has(s.address)).toBe(true);
            const t = Date.parse(s.detectedAt);
            const ports = new Set(list.filter((e) => (e.src.includes(':') ? '2001:db8::1' : e.src) === s.address && e.time <= t && t - e.time < options.scan.windowMs).map((e) => `${e.proto}/${e.dpt}`));
            expect(ports.size).toBeGreaterThanOrEqual(options.scan.ports);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('the order of the lines does not matter: a shuffled log gives the same summary (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), fc.integer(), (raw, seed) => {
        const list = events(raw, []);
        const shuffled = [...list];
        let x = seed >>> 0 || 1;
        for (let i = shuffled.length - 1; i > 0; i--) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const j = x % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const { hours: _h, ...whole } = summaryOf(fold(list, options));
        const { hours: _s, ...other } = summaryOf(fold(shuffled, options));
        expect(other).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('lines that go back in time count at their stamps: one hour apart is no scan, 17 s apart is, in one part or two', () => {
    const src = '203.0.113.20';
    // 8 ports stamped an hour later, then (the clock stepped back) 7 ports: no 60 s window holds 15.
    const apart = [...Array.from({ length: 8 }, (_, i) => ev(src, 100 + i, T0 + 3_600_000 + i * 1000)), ...Array.from({ length: 7 }, (_, i) => ev(src, 200 + i, T0 + 8000 + i * 1000))];
    expect(scanners(fold(apart))).toEqual([]);
    // 8 ports at 10-17 s logged before 7 ports at 0-6 s: 15 ports within 17 s, the 15th (in time) at 17 s.
    const close = [...Array.from({ length: 8 }, (_, i) => ev(src, 100 + i, T0 + 10_000 + i * 1000)), ...Array.from({ length: 7 }, (_, i) => ev(src, 200 + i, T0 + i * 1000))];
    const want = [`${src}@${new Date(T0 + 17_000).toISOString()}`];
    expect(scanners(fold(close))).toEqual(want);
    for (let cut = 1; cut < close.length; cut++) {
      expect(scanners(mergeFoldResults(fold(close.slice(0, cut)), fold(close.slice(cut)), SCAN.scan))).toEqual(want);
      expect(scanners(mergeFoldResults(fold(close.slice(0, cut)), fold(close.slice(cut)), SCAN.scan, 5, true))).toEqual(want);
    }
  });
});

describe('counts', () => {
  it('days, hours, ports and sources, with distinct sources and RFC 5952 addresses', () => {
    const events = [
      ev('198.51.100.1', 22, T0),
      ev('198.51.100.1', 22, T0 + 1000),
      ev('198.51.100.2', 22, T0 + 3_600_000),
      ev('2001:0db8:0000:0000:0000:0000:0000:0001', 443, T0 + 86_400_000),
    ];
    const s = summarize(fold(events), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    expect(s.days).toEqual([
      { date: '2026-11-30', attempts: 3, sources: 2 },
      { date: '2026-12-01', attempts: 1, sources: 1 },
    ]);
    expect(s.hours?.map((h) => [h.hour, h.attempts])).toEqual([
      ['2026-11-30T12:00:00Z', 2],
      ['2026-11-30T13:00:00Z', 1],
      ['2026-12-01T12:00:00Z', 1],
    ]);
    expect(s.ports.map((p) => [p.proto, p.port, p.attempts, p.sources, p.service?.name])).toEqual([
      ['tcp', 22, 3, 2, 'ssh'],
      ['tcp', 443, 1, 1, 'https'],
    ]);
    expect(s.sources.map((x) => [x.address, x.attempts, x.ports])).toEqual([
      ['198.51.100.1', 2, 1],
      ['198.51.100.2', 1, 1],
      ['2001:db8::1', 1, 1],
    ]);
  });

  it('no hours for spans of two days or more; --since/--until leave attempts outside the range uncounted', () => {
    const options: FoldOptions = { ...SCAN, since: T0 + 1000, until: T0 + 3 * 86_400_000 };
    const events = [ev('198.51.100.1', 22, T0), ev('198.51.100.1', 22, T0 + 1000), ev('198.51.100.1', 22, T0 + 2 * 86_400_000 + 5000), ev('198.51.100.1', 22, T0 + 3 * 86_400_000)];
    const s = summarize(fold(events, options), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    expect(s.attempts).toBe(2);
    expect(s.lines.outsideRange).toBe(2);
    expect(s.hours).toBeNull();
  });
});

describe('interfaces and TCP flags', () => {
  it('per port and per scanner: which interface the attempts came in on, and how many were SYN-only', () => {
    const events = [
      ev('198.51.100.1', 22, T0, 'tcp', 'eth0'),
      ev('198.51.100.1', 22, T0 + 1, 'tcp', 'eth0', SYN | ECE | CWR), // an ECN-setup SYN still opens a connection
      ev('198.51.100.2', 22, T0 + 2, 'tcp', 'wg0'),
      ev('198.51.100.3', 22, T0 + 3, 'tcp', 'eth0', ACK | RST),
      ev('198.51.100.3', 53, T0 + 4, 'udp', 'eth1'),
      ev('198.51.100.3', -1, T0 + 5, 'icmp', 'eth1'),
      // Stray replies to ephemeral ports: many ports, no SYN.
      ...Array.from({ length: 15 }, (_, i) => ev('203.0.113.9', 40000 + i, T0 + 10 + i, 'tcp', 'eth0', ACK)),
    ];
    const s = summarize(fold(events), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    const p22 = s.ports.find((p) => p.port === 22)!;
    expect(p22.interfaces).toEqual([{ name: 'eth0', attempts: 3 }, { name: 'wg0', attempts: 1 }]);
    expect(p22.tcp).toEqual({ syn: 3, other: 1 });
    expect(s.ports.find((p) => p.port === 53)).toMatchObject({ interfaces: [{ name: 'eth1', attempts: 1 }], tcp: null });
    expect(s.interfaces).toEqual([
      { name: 'eth0', attempts: 18, sources: 3, ports: 16 },
      { name: 'eth1', attempts: 2, sources: 1, ports: 1 },
      { name: 'wg0', attempts: 1, sources: 1, ports: 1 },
    ]);
    expect(s.sources.find((x) => x.address === '198.51.100.3')!.interfaces).toEqual(['eth0', 'eth1']);
    expect(s.scanners.map((x) => [x.address, x.interfaces, x.tcp])).toEqual([['203.0.113.9', ['eth0'], { syn: 0, other: 15 }]]);
  });

  it('packets the host sent itself have an empty IN=, an interface like any other', () => {
    const s = summarize(fold([ev('198.51.100.7', 25, T0, 'tcp', ''), ev('198.51.100.7', 26, T0 + 1, 'tcp', 'eth0')]), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    expect(s.sources[0]!.interfaces).toEqual(['', 'eth0']);
    expect(s.interfaces.map((i) => i.name).sort()).toEqual(['', 'eth0']);
  });

  it('merging parts adds interface and flag counts', () => {
    const events = Array.from({ length: 40 }, (_, i) => ev(`198.51.100.${i % 3}`, 20 + (i % 5), T0 + i * 1000, 'tcp', i % 4 ? 'eth0' : 'eth1', i % 3 ? SYN : ACK));
    const whole = summarize(fold(events), { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] });
    const merged = mergeFoldResults(fold(events.slice(0, 17)), fold(events.slice(17)), SCAN.scan);
    expect(summarize(merged, { scan: SCAN.scan, now: new Date(T0), toolVersion: 't', inputs: [] })).toEqual(whole);
  });
});

describe('attempts held back and applied source by source (attempt-batch.ts)', () => {
  const attempt = fc.record({
    // 198.51.100.3 also comes as text only (srcV4 -1), as a parser that did not read it as a number would give it.
    src: fc.constantFrom('198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:0db8:0000:0000:0000:0000:0000:0001'),
    textOnly: fc.boolean(),
    proto: fc.constantFrom('tcp', 'tcp', 'udp', 'icmp', 'gre'),
    port: fc.integer({ min: 1, max: 20 }),
    gap: fc.integer({ min: -20_000, max: 30_000 }),
    iface: fc.constantFrom('eth0', 'eth0', 'wg0', ''),
    flags: fc.constantFrom(SYN, ACK, SYN | ECE),
    repeat: fc.constantFrom(0, 0, 0, 1, 4),
  });

  it('give the same result as each attempt applied at once, for any batch size (property)', () => {
    const options: FoldOptions = { scan: { ports: 4, windowMs: 20_000 } };
    fc.assert(
      fc.property(fc.array(attempt, { minLength: 1, maxLength: 300 }), (raw) => {
        let t = T0;
        const results = [1, 2, 7, 64, undefined].map((size) => {
          const f = new LogFold(options, size);
          t = T0;
          raw.forEach((r, i) => {
            t += r.gap;
            const e = ev(r.src, r.proto === 'tcp' || r.proto === 'udp' ? r.port : -1, t, r.proto, r.iface, r.proto === 'tcp' ? r.flags : 0);
            if (r.textOnly) e.srcV4 = -1;
            f.record(e, i + 1);
            if (r.repeat > 0) f.repeated(e, r.repeat, i + 1);
          });
          // The per-port arrays as their non-zero entries (comparing 327,680 numbers each run is slow).
          const { ports, tcpSyn, ...rest } = f.finish();
          const nonZero = (a: Float64Array) => {
            const out: number[] = [];
            for (let k = 0; k < a.length; k++) if (a[k] !== 0) out.push(k, a[k]!);
            return out;
          };
          return { ...rest, ports: nonZero(ports), tcpSyn: nonZero(tcpSyn) };
        });
        for (const r of results.slice(1)) expect(r).toEqual(results[0]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('the state read while folding has every attempt applied', () => {
    const f = new LogFold(SCAN, 1000);
    f.record(ev('198.51.100.1', 22, T0), 1);
    f.record(ev('198.51.100.1', 23, T0 + 1000), 2);
    expect(f.state.sources.get('198.51.100.1')).toMatchObject({ attempts: 2, last: T0 + 1000 });
    expect([...f.state.sources.get('198.51.100.1')!.ports.keys()]).toEqual([22, 23]);
  });
});
