import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpRouteJson, parseIpRuleJson } from './ip-route-json.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/routing/${name}`, import.meta.url), 'utf8');

describe('parseIpRouteJson', () => {
  it('reads a real multi-homed table set (ECMP, unreachable, table 100, the local table)', () => {
    const r = parseIpRouteJson(fixture('multihomed.ip4-route.json'), 'routes', 'ipv4');
    expect(r.diagnostics).toEqual([]);
    const routes = r.value!;
    expect(routes).toContainEqual({ table: 'main', type: 'unicast', dst: '0.0.0.0/0', nexthops: [{ dev: 'eth0', gateway: '192.0.2.254' }], metric: null });
    expect(routes).toContainEqual({
      table: 'main',
      type: 'unicast',
      dst: '10.30.0.0/16',
      nexthops: [
        { dev: 'eth1', gateway: '10.20.0.253' },
        { dev: 'mgmt0', gateway: '10.99.0.253' },
      ],
      metric: null,
    });
    expect(routes).toContainEqual({ table: 'main', type: 'unreachable', dst: '10.66.0.0/16', nexthops: [], metric: null });
    expect(routes).toContainEqual({ table: '100', type: 'unicast', dst: '0.0.0.0/0', nexthops: [{ dev: 'mgmt0', gateway: '10.99.0.254' }], metric: null });
    // Host routes print a bare address.
    expect(routes).toContainEqual({ table: 'local', type: 'local', dst: '192.0.2.1/32', nexthops: [{ dev: 'eth0', gateway: null }], metric: null });
  });

  it('reads IPv6 (metrics, blackhole, fe80::/64 on every link)', () => {
    const r = parseIpRouteJson(fixture('multihomed.ip6-route.json'), 'routes', 'ipv6');
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.filter((x) => x.dst === 'fe80::/64').map((x) => x.nexthops[0]!.dev).sort()).toEqual(['eth0', 'eth1', 'mgmt0', 'p0', 'p1', 'p2']);
    expect(r.value).toContainEqual({ table: 'main', type: 'blackhole', dst: '2001:db8:dead::/48', nexthops: [{ dev: 'lo', gateway: null }], metric: 1024 });
  });

  it('a route of the wrong family is located', () => {
    const r = parseIpRouteJson('[{"dst":"default","dev":"eth0"},{"dst":"2001:db8::/32","dev":"eth0"}]', 'f', 'ipv4');
    expect(r.value).toHaveLength(1);
    expect(r.diagnostics).toMatchObject([{ code: 'parse.ip-route.route', severity: 'error', location: { file: 'f', path: '$[1].dst' } }]);
  });

  it('not JSON, not a list → null and an error', () => {
    expect(parseIpRouteJson('{', 'f', 'ipv4')).toMatchObject({ value: null, diagnostics: [{ code: 'parse.ip-route.json', location: { file: 'f' } }] });
    expect(parseIpRouteJson('{}', 'f', 'ipv4')).toMatchObject({ value: null, diagnostics: [{ code: 'parse.ip-route.shape', location: { path: '$' } }] });
  });
});

describe('parseIpRuleJson', () => {
  it('reads real rules: from, to + prohibit, fwmark (undecided), priority order', () => {
    const r = parseIpRuleJson(fixture('multihomed.ip4-rule.json'), 'rules', 'ipv4');
    expect(r.diagnostics).toEqual([]);
    const [local, from, prohibit, mark] = r.value!;
    expect(local).toMatchObject({ priority: 0, action: 'table', table: 'local', from: null, to: null, undecided: [] });
    expect(from).toMatchObject({ priority: 1000, from: '10.99.0.1/32', table: '100' });
    expect(prohibit).toMatchObject({ priority: 1100, to: '10.77.0.0/16', action: 'prohibit', table: null });
    expect(mark).toMatchObject({ priority: 1200, undecided: ['fwmark 0x1'], table: '100' });
  });

  it('suppress_prefixlength, not, goto', () => {
    const r = parseIpRuleJson('[{"priority":5,"not":null,"src":"all","iif":"lo","goto":100},{"priority":1,"src":"all","table":"main","suppress_prefixlen":0}]', 'f', 'ipv6');
    expect(r.value).toEqual([
      { priority: 1, not: false, from: null, to: null, iif: null, oif: null, undecided: [], action: 'table', table: 'main', goto: null, suppressPrefixLength: 0 },
      { priority: 5, not: true, from: null, to: null, iif: 'lo', oif: null, undecided: [], action: 'goto', table: null, goto: 100, suppressPrefixLength: null },
    ]);
  });

  it('a bad rule is located and skipped', () => {
    const r = parseIpRuleJson('[{"priority":"x"},{"priority":1,"src":"all","action":"frobnicate"}]', 'f', 'ipv4');
    expect(r.value).toEqual([]);
    expect(r.diagnostics.map((d) => d.location?.path)).toEqual(['$[0].priority', '$[1].action']);
  });
});

describe('routing parsers (fuzz)', () => {
  it('never throw; null value iff an error at "$" or no JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), fc.constantFrom('ipv4' as const, 'ipv6' as const), (text, family) => {
        for (const parse of [parseIpRouteJson, parseIpRuleJson]) {
          const r = parse(text, 'f', family);
          if (r.value === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of r.diagnostics) expect(d.location?.file).toBe('f');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every entry is kept or located', () => {
    const entry = fc.record({ dst: fc.oneof(fc.constant('default'), fc.ipV4(), fc.ipV6(), fc.string()), dev: fc.string(), priority: fc.integer(), src: fc.oneof(fc.constant('all'), fc.ipV4()), table: fc.string() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(entry), (list) => {
        const text = JSON.stringify(list);
        const routes = parseIpRouteJson(text, 'f', 'ipv4');
        expect(routes.value!.length + routes.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThanOrEqual(list.length);
        const rules = parseIpRuleJson(text, 'f', 'ipv4');
        expect(rules.value!.length + rules.diagnostics.length).toBe(list.length);
      }),
      { numRuns: 300 },
    );
  });
});
