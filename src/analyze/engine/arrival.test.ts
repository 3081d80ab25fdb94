import { describe, expect, it } from 'vitest';
import { TEST_INTERFACES } from '../../../test/helpers/model-builder.js';
import { addressFacts } from '../../model/host-facts.js';
import * as I from '../../model/interval-set.js';
import type { DimSet } from '../../model/packet-set.js';
import { TCP, UDP, arrivalByPorts, arrivalSet } from './arrival.js';
import type { ArrivalCube } from './arrival-routes.js';

const facts = addressFacts(TEST_INTERFACES);
const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
const routes: ArrivalCube[] = [
  { dst: I.range(v4(192, 0, 2, 1), v4(192, 0, 2, 2)) as DimSet, src: I.range(v4(192, 0, 2, 0), v4(192, 0, 2, 255)) as DimSet, onLink: [], iface: 'eth0' },
  { dst: I.range(v4(192, 0, 2, 1), v4(192, 0, 2, 2)) as DimSet, src: I.range(0, v4(192, 0, 2, 0)) as DimSet, onLink: [], iface: '*' },
  { dst: I.range(v4(172, 17, 0, 1), v4(172, 17, 0, 2)) as DimSet, src: I.range(v4(172, 17, 0, 0), v4(172, 18, 0, 0)) as DimSet, onLink: [], iface: 'docker0' },
];

describe('arrival packets for many port sets', () => {
  it('are the cubes arrivalSet builds for each port set', () => {
    for (const proto of [TCP, UDP]) {
      for (const r of [routes, null, []]) {
        const byPorts = arrivalByPorts({ family: 'ipv4', proto, facts, routes: r });
        for (const ports of [I.range(22, 23), I.range(30000, 32768), I.fromRanges([[80, 81], [443, 444]])] as DimSet[]) {
          expect(byPorts(ports).cubes).toEqual(arrivalSet({ family: 'ipv4', proto, ports, facts, routes: r }).cubes);
        }
      }
    }
  });
});
