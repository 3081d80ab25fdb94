import { describe, expect, it } from 'vitest';
import { LogFold, type FoldOptions } from './fold.js';
import { NO_INTERFACE, NO_PORT, createSourceState, liveSpans, mergeSource, pruneSpans } from './source-state.js';
import { sourceStateOf } from './source-table.js';
import type { PacketEvent } from './types.js';

const OPTIONS: FoldOptions = { scan: { ports: 3, windowMs: 10_000 } };
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

function ev(src: string, dpt: number, time: number, inIface = 'eth0'): PacketEvent {
  return { time, prefix: '[UFW BLOCK]', drop: true, src, srcV4: -1, proto: 'tcp', dpt, icmpType: -1, inIface, tcpFlags: 2 };
}

function fold(events: PacketEvent[]): LogFold {
  const f = new LogFold(OPTIONS);
  events.forEach((e, i) => f.record(e, i + 1));
  return f;
}

describe('source state', () => {
  it('is born with every field of its final type: NaN for no detection, a string for no interface yet', () => {
    const s = createSourceState(T0, T0);
    expect(s.detectedAt).toBeNaN();
    expect(s.lastDay).toBeNaN();
    expect(s.lastIface).toBe(NO_INTERFACE);
    expect([s.spans, s.days, s.protocols, s.interfaces]).toEqual([[], [], [], []]);
  });

  it('a live source, one rebuilt from columns and a new one have the same fields in the same order (one hidden class)', () => {
    const f = fold([ev('198.51.100.1', 22, T0), ev('198.51.100.1', 23, T0 + 1000)]);
    const live = f.state.sources.get('198.51.100.1')!;
    const rebuilt = sourceStateOf(f.finish().sources, 0);
    const keys = Object.keys(createSourceState(0, 0));
    expect(Object.keys(live)).toEqual(keys);
    expect(Object.keys(rebuilt)).toEqual(keys);
  });

  it('an empty IN= (a locally sent packet) is still listed: the no-interface mark is not an interface name', () => {
    const f = fold([ev('198.51.100.2', 22, T0, ''), ev('198.51.100.2', 23, T0 + 1000, 'eth0'), ev('198.51.100.2', 24, T0 + 2000, '')]);
    expect(f.state.sources.get('198.51.100.2')!.interfaces).toEqual(['', 'eth0']);
  });

  it('keeps NaN while not a scanner and a time once it is one', () => {
    const f = fold([ev('203.0.113.1', 1, T0), ev('203.0.113.1', 2, T0 + 1000), ev('203.0.113.2', 1, T0), ev('203.0.113.1', 3, T0 + 2000)]);
    expect(f.state.sources.get('203.0.113.1')!.detectedAt).toBe(T0 + 2000);
    expect(f.state.sources.get('203.0.113.2')!.detectedAt).toBeNaN();
  });

  it('merging: the earlier detection stands and a part without one (NaN) never replaces it', () => {
    const scanner = fold([ev('203.0.113.3', 1, T0 + 50_000), ev('203.0.113.3', 2, T0 + 51_000), ev('203.0.113.3', 3, T0 + 52_000)]);
    const quiet = fold([ev('203.0.113.3', 9, T0)]).finish().sources;
    const a = sourceStateOf(scanner.finish().sources, 0);
    // b comes before a in time (out of order): the merge sweeps, and a's detection must survive it.
    mergeSource(a, sourceStateOf(quiet, 0), OPTIONS.scan);
    expect(a.detectedAt).toBe(T0 + 52_000);
    const b = sourceStateOf(quiet, 0);
    const none = fold([ev('203.0.113.3', 8, T0 + 90_000)]);
    mergeSource(b, sourceStateOf(none.finish().sources, 0), OPTIONS.scan);
    expect(b.detectedAt).toBeNaN();
  });

  it('remembers the span of its last port, the one the port Map names, and forgets it when spans move', () => {
    // 22, 23, then 22 again within the window (the Map's span grows), then 22 after a gap (a new span).
    const f = fold([ev('198.51.100.3', 22, T0), ev('198.51.100.3', 23, T0 + 1000), ev('198.51.100.3', 22, T0 + 5000), ev('198.51.100.3', 22, T0 + 8000), ev('198.51.100.3', 22, T0 + 60_000)]);
    const s = f.state.sources.get('198.51.100.3')!;
    expect(s.lastKey).toBe(22);
    expect(s.lastAt).toBe(s.ports.get(22));
    expect(s.spans).toEqual([T0, T0 + 8000, 22, T0 + 1000, T0 + 1000, 23, T0 + 60_000, T0 + 60_000, 22]);
    pruneSpans(s, OPTIONS.scan);
    expect(s.lastKey).toBe(NO_PORT);
    const a = createSourceState(T0, T0);
    a.lastKey = 22;
    mergeSource(a, createSourceState(T0 + 1, T0 + 1), OPTIONS.scan);
    expect(a.lastKey).toBe(NO_PORT);
  });

  it('a prune that settles the source (new port Map) still records the span it adds there, live', () => {
    // Ports 1-7 a gap apart, then port 8 earlier (out of order, not a scanner): 8 spans, the prune threshold.
    const events = [1, 2, 3, 4, 5, 6, 7].map((p) => ev('198.51.100.4', p, T0 + p * 20_000));
    events.push(ev('198.51.100.4', 8, T0));
    // Port 9 prunes first, which settles the source; its repeat must then join the span port 9 just opened.
    events.push(ev('198.51.100.4', 9, T0 + 200_000), ev('198.51.100.4', 9, T0 + 201_000));
    const s = fold(events).state.sources.get('198.51.100.4')!;
    expect(s.spans.length).toBe(27);
    expect(s.spans.slice(24)).toEqual([T0 + 200_000, T0 + 201_000, 9]);
    expect(s.ports.get(9)).toBe(24);
    expect([s.lastKey, s.lastAt]).toEqual([9, 24]);
  });

  it('a prune keeps the array\'s room and the next span is written into it; liveSpans gives only the spans in use', () => {
    const HOUR = 3_600_000;
    // Port 100 at the start, ports 1-7 three hours later (20 s apart: no scan), port 9 three hours after them: a
    // prune then forgets ports 1-7 (past the horizon at both ends) and keeps port 100's span (the head) and port 9's.
    const events = [ev('198.51.100.5', 100, T0), ...[1, 2, 3, 4, 5, 6, 7].map((p) => ev('198.51.100.5', p, T0 + 3 * HOUR + p * 20_000))];
    const f = fold([...events, ev('198.51.100.5', 9, T0 + 6 * HOUR)]);
    const s = f.state.sources.get('198.51.100.5')!;
    const before = s.spans;
    expect([before.length, s.spanEnd]).toEqual([27, 27]);
    pruneSpans(s, OPTIONS.scan);
    expect([s.spans.length, s.spanEnd]).toEqual([27, 6]);
    f.record(ev('198.51.100.5', 10, T0 + 6 * HOUR + 1000), 10);
    // Reading the state applies the attempts the fold held back (attempt-batch.ts).
    expect(f.state.sources.get('198.51.100.5')).toBe(s);
    expect(s.spans).toBe(before);
    expect([s.spans.length, s.spanEnd]).toEqual([27, 9]);
    expect([s.ports.get(100), s.ports.get(1), s.ports.get(7), s.ports.get(9), s.ports.get(10)]).toEqual([0, -1, -1, 3, 6]);
    expect(liveSpans(s)).toEqual([T0, T0, 100, T0 + 6 * HOUR, T0 + 6 * HOUR, 9, T0 + 6 * HOUR + 1000, T0 + 6 * HOUR + 1000, 10]);
    expect(s.spans.length).toBe(9);
  });
});
