import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogFold, type FoldOptions } from './fold.js';
import { mergeSource } from './source-state.js';
import { type SourceTable, SourceTableWriter, emptySourceTable, mergeSourceTables, sourceStateOf, sourceTableBuffers, tableOfSources } from './source-table.js';
import type { PacketEvent } from './types.js';

const OPTIONS: FoldOptions = { scan: { ports: 4, windowMs: 10_000 } };
const T0 = Date.UTC(2026, 10, 30, 23, 59, 0);

function ev(src: string, dpt: number, time: number, proto = 'tcp', inIface = 'eth0'): PacketEvent {
  const quad = /^\d+\.\d+\.\d+\.\d+$/.test(src) ? src.split('.').reduce((n, part) => n * 256 + Number(part), 0) : -1;
  return { time, prefix: '[UFW BLOCK]', drop: true, src, srcV4: quad, proto, dpt, icmpType: -1, inIface, tcpFlags: proto === 'tcp' ? 2 : 0 };
}

function foldTable(events: PacketEvent[]): SourceTable {
  const f = new LogFold(OPTIONS);
  events.forEach((e, i) => f.record(e, i + 1));
  return f.finish().sources;
}

/** What the report reads of each source, by address, in a form that does not depend on list order. */
function facts(t: SourceTable) {
  const out = new Map<string, unknown>();
  t.addresses.forEach((address, i) => {
    const s = sourceStateOf(t, i);
    out.set(address, {
      attempts: s.attempts,
      first: s.first,
      last: s.last,
      tcp: [s.tcpSyn, s.tcpOther],
      detectedAt: s.detectedAt,
      days: s.days,
      interfaces: [...s.interfaces].sort(),
      protocols: [...s.protocols].sort(),
      ports: [...s.ports.keys()].sort((a, b) => a - b),
    });
  });
  return out;
}

/** The merge by objects alone (the fold's rule), to hold the column merge against. */
function mergeByObjects(a: SourceTable, b: SourceTable): SourceTable {
  const states = new Map(a.addresses.map((address, i) => [address, sourceStateOf(a, i)]));
  b.addresses.forEach((address, j) => {
    const later = sourceStateOf(b, j);
    const into = states.get(address);
    if (into) mergeSource(into, later, OPTIONS.scan);
    else states.set(address, later);
  });
  return tableOfSources(states);
}

describe('source table', () => {
  it('holds what the live sources held: counts, lists, spans and where each port\'s latest span is', () => {
    const events = [ev('198.51.100.1', 22, T0), ev('198.51.100.1', 23, T0 + 1000, 'udp', 'wg0'), ev('198.51.100.1', -1, T0 + 2000, 'icmp'), ev('198.51.100.1', 22, T0 + 90_000), ev('2001:0db8:0000:0000:0000:0000:0000:0001', 443, T0 + 5000)];
    const f = new LogFold(OPTIONS);
    events.forEach((e, i) => f.record(e, i + 1));
    const live = f.state.sources;
    const t = f.finish().sources;
    expect(t.addresses).toEqual([...live.keys()]);
    t.addresses.forEach((address, i) => {
      const { lastDay: _d, lastIface: _i, lastKey: _k, lastAt: _a, pruneAt: _p, ...back } = sourceStateOf(t, i);
      const { lastDay: _d2, lastIface: _i2, lastKey: _k2, lastAt: _a2, pruneAt: _p2, ...orig } = live.get(address)!;
      expect(back).toEqual(orig);
    });
    const one = sourceStateOf(t, 0);
    // The days cross midnight UTC; port 22's latest span is its second (90 s after the first).
    expect(one.days).toEqual([Math.floor(T0 / 86_400_000), Math.floor(T0 / 86_400_000) + 1]);
    expect(one.spans[one.ports.get(22)!]).toBe(T0 + 90_000);
    expect(one.interfaces).toEqual(['eth0', 'wg0']);
    expect(one.protocols).toEqual(['icmp']);
  });

  it('merges a later part on the columns: a port\'s span continues across the cut, and a scan that crosses it is found', () => {
    const src = '203.0.113.7';
    const a = foldTable([ev(src, 1, T0), ev(src, 2, T0 + 1000), ev('198.51.100.9', 80, T0 + 1500, 'tcp', 'eth1')]);
    const b = foldTable([ev(src, 2, T0 + 3000), ev(src, 3, T0 + 4000, 'udp', 'wg0'), ev(src, 4, T0 + 5000)]);
    const m = mergeSourceTables(a, b, OPTIONS.scan, () => {
      throw new Error('an in-order source went through objects');
    });
    const i = m.addresses.indexOf(src);
    const s = sourceStateOf(m, i);
    // Port 2's span of a (1000) and of b (3000) are one: the gap is under the window.
    expect(s.spans).toEqual([T0, T0, 1, T0 + 1000, T0 + 3000, 2, T0 + 4000, T0 + 4000, 65536 + 3, T0 + 5000, T0 + 5000, 4]);
    expect(s.detectedAt).toBe(T0 + 5000);
    expect(s.attempts).toBe(5);
    expect(s.interfaces).toEqual(['eth0', 'wg0']);
    expect(m.addresses).toEqual([src, '198.51.100.9']);
    expect(sourceStateOf(m, 1).interfaces).toEqual(['eth1']);
  });

  it('a later part that starts before the earlier one ends goes through the object merge', () => {
    const src = '203.0.113.8';
    const a = foldTable([ev(src, 1, T0 + 10_000)]);
    const b = foldTable([ev(src, 2, T0)]);
    let byObjects = 0;
    const m = mergeSourceTables(a, b, OPTIONS.scan, (x, y) => {
      byObjects++;
      mergeSource(x, y, OPTIONS.scan);
    });
    expect(byObjects).toBe(1);
    expect(facts(m)).toEqual(facts(mergeByObjects(a, b)));
  });

  it('merging with an empty table gives the other; every column crosses threads by transfer', () => {
    const a = foldTable([ev('198.51.100.1', 22, T0)]);
    expect(mergeSourceTables(emptySourceTable(), a, OPTIONS.scan, mergeSource as never)).toBe(a);
    expect(mergeSourceTables(a, emptySourceTable(), OPTIONS.scan, mergeSource as never)).toBe(a);
    const buffers = sourceTableBuffers(a);
    expect(new Set(buffers).size).toBe(buffers.length);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(a, buffers);
    port1.close();
    port2.close();
    expect(a.attempts.length).toBe(0);
  });

  it('the column merge says what the object merge says, for any two parts (property)', () => {
    const event = fc.record({ src: fc.constantFrom('198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:0db8:0000:0000:0000:0000:0000:0001'), port: fc.integer({ min: 1, max: 8 }), gap: fc.integer({ min: 0, max: 4000 }), udp: fc.boolean(), wg: fc.boolean(), back: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), fc.array(event, { maxLength: 80 }), fc.integer({ min: 0, max: 200_000 }), (ra, rb, offset) => {
        let t = T0;
        // An occasional step back in time inside a part; b starts `offset` after a ends, minus a little (overlapping parts).
        const make = (raw: typeof ra) => raw.map((r) => ev(r.src, r.port, (t += r.gap - (r.back === 0 ? 15_000 : 0)), r.udp ? 'udp' : 'tcp', r.wg ? 'wg0' : 'eth0'));
        const partA = make(ra);
        t += offset - 100_000;
        const partB = make(rb);
        const a = foldTable(partA);
        const b = foldTable(partB);
        const want = facts(mergeByObjects(a, b));
        expect(facts(mergeSourceTables(a, b, OPTIONS.scan, (x, y) => mergeSource(x, y, OPTIONS.scan)))).toEqual(want);
        // A last merge (nothing merged after it) gives the same facts and keeps no spans.
        const last = mergeSourceTables(a, b, OPTIONS.scan, (x, y) => mergeSource(x, y, OPTIONS.scan), true);
        expect(facts(last)).toEqual(want);
        if (a.addresses.length > 0 && b.addresses.length > 0) expect([last.spansKept, last.spans.values.length, last.latest.length]).toEqual([false, 0, 0]);
        // And both are the fold of the whole.
        expect(facts(foldTable([...partA, ...partB]))).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('a last merge still finds a window that crosses the cut (parts in time order), and keeps an earlier one', () => {
    const src = '198.51.100.1';
    const a = () => foldTable([ev(src, 1, T0), ev(src, 2, T0 + 1000)]);
    const b = () => foldTable([ev(src, 3, T0 + 2000), ev(src, 4, T0 + 3000), ev(src, 5, T0 + 4000)]);
    for (const last of [false, true]) {
      const m = mergeSourceTables(a(), b(), OPTIONS.scan, mergeSource as never, last);
      expect([m.detectedAt[0], m.ports.start[1]]).toEqual([T0 + 3000, 5]);
    }
    // a found a window of its own: it stands, whatever b adds.
    const early = () => foldTable([1, 2, 3, 4].map((p) => ev(src, p, T0 + p)));
    for (const last of [false, true]) expect(mergeSourceTables(early(), b(), OPTIONS.scan, mergeSource as never, last).detectedAt[0]).toBe(T0 + 4);
  });

  it('a last merge\'s table, which keeps no spans, refuses to be merged again (the scanners would be wrong)', () => {
    const a = foldTable([ev('198.51.100.1', 22, T0)]);
    const b = foldTable([ev('198.51.100.1', 23, T0 + 1000)]);
    const last = mergeSourceTables(a, b, OPTIONS.scan, mergeSource as never, true);
    expect(last.spansKept).toBe(false);
    expect(() => mergeSourceTables(last, foldTable([ev('198.51.100.1', 24, T0 + 2000)]), OPTIONS.scan, mergeSource as never)).toThrow(/cannot be merged again/);
    expect(() => mergeSourceTables(foldTable([ev('198.51.100.1', 21, T0 - 1000)]), last, OPTIONS.scan, mergeSource as never)).toThrow(/cannot be merged again/);
  });

  it('a writer renames another table\'s interfaces to its own numbers', () => {
    const a = foldTable([ev('198.51.100.1', 22, T0, 'tcp', 'eth1')]);
    const w = new SourceTableWriter({ sources: 1, days: 1, interfaces: 1, protocols: 0, ports: 1, spans: 3 }, ['eth0', 'wg0']);
    w.copy(a, 0, w.renamesOf(a));
    const t = w.finish();
    expect(t.interfaceNames).toEqual(['eth0', 'wg0', 'eth1']);
    expect(Array.from(t.interfaces.values)).toEqual([2]);
  });
});
