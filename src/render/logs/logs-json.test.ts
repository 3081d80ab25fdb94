import { describe, expect, it } from 'vitest';
import { LogFold, summarize, type LogSummary, type PacketEvent } from '../../analyze/log-summary/index.js';
import { stableStringify } from '../json/stable-json.js';
import { renderLogsJson, renderLogsJsonPieces } from './logs-json.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

function ev(src: string, dpt: number, time: number, inIface: string, proto = 'tcp'): PacketEvent {
  const quad = /^\d+\.\d+\.\d+\.\d+$/.test(src) ? src.split('.').reduce((n, part) => n * 256 + Number(part), 0) : -1;
  return { time, prefix: '[FW\u202e DROP]', drop: true, src, srcV4: quad, proto, dpt, icmpType: -1, inIface, tcpFlags: proto === 'tcp' ? 2 : 0 };
}

describe('renderLogsJson', () => {
  it('writes the bytes stableStringify writes for a real summary (scanners, interfaces, exposure, unsafe characters)', () => {
    const fold = new LogFold({ scan: { ports: 3, windowMs: 60_000 } });
    const events: PacketEvent[] = [];
    for (let i = 0; i < 40; i++) events.push(ev(`198.51.100.${i % 7}`, 20 + (i % 5), T0 + i * 1000, i % 3 ? 'eth0' : 'wg0', i % 4 ? 'tcp' : 'udp'));
    events.push(ev('2001:0db8:0000:0000:0000:0000:0000:0001', 22, T0 + 99_000, 'eth1'), ev('203.0.113.9', -1, T0 + 5000, 'eth0', 'gre'));
    events.forEach((e, i) => fold.record(e, i + 1));
    fold.malformed('no-src', 50, 'Dec  1 x kernel: IN=eth0 OUT= \u0085');
    const summary = summarize(fold.finish(), {
      scan: { ports: 3, windowMs: 60_000 },
      now: new Date(T0),
      toolVersion: 't',
      inputs: ['kern.log'],
      exposure: { host: 'h', ports: [{ proto: 'tcp', port: 22, exposure: 'world', service: null }, { proto: 'udp', port: 21, exposure: 'wide', service: { name: 'x', label: 'X', risk: null } }] },
    });
    expect(summary.scanners.length).toBeGreaterThan(0);
    expect(renderLogsJson(summary)).toBe(stableStringify(summary) + '\n');
    // The command writes the pieces one after the other: the report, then its newline alone.
    const [json, end] = renderLogsJsonPieces(summary);
    expect(json).toBe(stableStringify(summary));
    expect(end).toBe('\n');
  });

  it('sorts keys like stableStringify wherever an object is not sorted already, and keeps what JSON drops or converts', () => {
    const odd = {
      zeta: [{ b: 1, a: [{ d: 1, c: 2 }] }, { a: 1, b: { y: 1, x: 2 } }, 3, null, 'text'],
      alpha: { '10': 'ten', '9': 'nine', b: undefined, a: new Map([[1, 2]]) },
      sorted: { a: 1, b: { c: [1, 2], d: { e: 1 } } },
      when: new Date(T0),
      nested: [[{ q: 1, p: 2 }]],
    } as unknown as LogSummary;
    expect(renderLogsJson(odd)).toBe(stableStringify(odd) + '\n');
  });
});
