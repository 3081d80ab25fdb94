import { describe, expect, it } from 'vitest';
import * as I from '../model/interval-set.js';
import { CoverAxes } from './shadow-cover-axes.js';

type Axes = { protos: I.IntervalSet<number>; ports: I.IntervalSet<number> };

const TCP = I.range(6, 7);
const UDP = I.range(17, 18);
const ALL_PROTOS = I.range(0, 256);
const ALL_PORTS = I.range(0, 65536);
const ports = (...p: number[]) => I.fromPoints(p);

/** Shapes covers and rules take: single ports, multiport lists, ranges, every port, no port. */
const SHAPES: Axes[] = [
  { protos: TCP, ports: ports(22) },
  { protos: TCP, ports: ports(80, 443, 8080) },
  { protos: UDP, ports: ports(53) },
  { protos: I.union(TCP, UDP), ports: I.range(1000, 2000) },
  { protos: TCP, ports: I.union(I.range(20420, 20436), ports(22, 35139)) },
  { protos: ALL_PROTOS, ports: ALL_PORTS },
  { protos: TCP, ports: ALL_PORTS },
  { protos: ALL_PROTOS, ports: ports(443) },
  { protos: TCP, ports: I.range(0, 23) },
  { protos: UDP, ports: I.range(1999, 2001) },
  { protos: TCP, ports: [] },
];

describe('CoverAxes', () => {
  it('says a cover meets a rule exactly when their protocols and their ports both intersect', () => {
    const axes = new CoverAxes(SHAPES.length + 2);
    // Filed at positions with gaps, as covers among rules that cover nothing are.
    SHAPES.forEach((s, k) => axes.add(k + 1, s.protos, s.ports));
    for (const [k, cover] of SHAPES.entries()) {
      for (const rule of SHAPES) {
        const expected = I.intersects(cover.protos, rule.protos) && I.intersects(cover.ports, rule.ports);
        expect(axes.meets(k + 1, rule.protos, rule.ports), `${JSON.stringify(cover)} vs ${JSON.stringify(rule)}`).toBe(expected);
      }
    }
  });

  it('keeps covers of many ports whole as its storage grows', () => {
    const axes = new CoverAxes(3);
    const many = I.fromPoints(Array.from({ length: 500 }, (_, k) => 2 * k));
    axes.add(0, TCP, many);
    axes.add(2, UDP, ports(999));
    expect(axes.meets(0, TCP, ports(998))).toBe(true);
    expect(axes.meets(0, TCP, ports(997))).toBe(false);
    expect(axes.meets(0, UDP, ports(998))).toBe(false);
    expect(axes.meets(2, UDP, ports(999))).toBe(true);
  });
});
