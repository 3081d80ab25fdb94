import { describe, expect, it } from 'vitest';
import { ModelBuilder, RETURN, type RuleSpec } from '../../test/helpers/model-builder.js';
import { ShadowBudget, findShadowedRules } from './shadow.js';

const REJECT = { type: 'reject', with: 'port-unreachable' } as const;

/** fail2ban's shape: one REJECT per banned address, then the rules under test. */
function bans(addresses: string[], after: RuleSpec[]) {
  const b = new ModelBuilder('ipv4');
  b.base('filter', 'INPUT', 'input', 0, 'accept', [...addresses.map((a) => ({ src: [`${a}/32`], action: REJECT })), ...after]);
  return b.model;
}

const hosts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}`);

describe('shadowed rules among many covers', () => {
  it('a /24 whose 256 addresses were each rejected before is shadowed; the catch-all after them is not', () => {
    const m = bans(hosts('192.0.2', 256), [{ src: ['192.0.2.0/24'], proto: 'tcp', dport: 22, action: REJECT }, { action: RETURN }]);
    const shadowed = findShadowedRules(m);
    expect(shadowed.map((s) => s.rule.position)).toEqual([257]);
  });

  it('one address missing from the covers leaves the /24 live', () => {
    const m = bans(hosts('192.0.2', 256).filter((a) => a !== '192.0.2.77'), [{ src: ['192.0.2.0/24'], action: REJECT }]);
    expect(findShadowedRules(m)).toEqual([]);
  });
});

describe('covers with big address sets (an ipset of many addresses in one rule)', () => {
  const DROP = { type: 'drop' } as const;
  const every = (parity: number) => hosts('192.0.2', 256).filter((_, i) => i % 2 === parity).map((a) => `${a}/32`);

  it('two sets that together hold a /24 shadow it; catch-alls after them, asked again, are not', () => {
    const b = new ModelBuilder('ipv4');
    b.base('filter', 'INPUT', 'input', 0, 'accept', [
      { src: every(0), action: REJECT },
      { src: every(1), action: DROP },
      { src: ['192.0.2.0/24'], proto: 'tcp', dport: 22, action: DROP },
      { src: ['192.0.2.0/23'], action: DROP },
      { proto: 'tcp', dport: 80, action: RETURN },
      { action: RETURN },
    ]);
    expect(findShadowedRules(b.model).map((s) => [s.rule.position, s.coveredBy.map((c) => c.position)])).toEqual([[3, [1, 2]]]);
  });

  it('one set missing an address leaves the /24 live', () => {
    const b = new ModelBuilder('ipv4');
    b.base('filter', 'INPUT', 'input', 0, 'accept', [
      { src: every(0), action: REJECT },
      { src: every(1).slice(1), action: DROP },
      { src: ['192.0.2.0/24'], action: DROP },
    ]);
    expect(findShadowedRules(b.model)).toEqual([]);
  });
});

describe('per-port rules against block-filed covers', () => {
  const DROP = { type: 'drop' } as const;

  it('finds covers filed before and after the first per-port rule, and only on that port', () => {
    const b = new ModelBuilder('ipv4');
    b.base('filter', 'INPUT', 'input', 0, 'accept', [
      { src: ['192.0.2.0/25'], proto: 'tcp', dport: 22, action: REJECT },
      { src: ['192.0.2.128/25'], action: REJECT },
      // The first per-port rule: covered by the two above together.
      { src: ['192.0.2.0/24'], proto: 'tcp', dport: 22, action: DROP },
      { src: ['198.51.100.0/24'], proto: 'tcp', dport: 80, action: DROP },
      { src: ['198.51.100.7/32'], proto: 'tcp', dport: 80, action: REJECT },
      { src: ['198.51.100.7/32'], proto: 'tcp', dport: 81, action: REJECT },
      { src: ['198.51.100.0/25'], proto: 'udp', dport: 80, action: REJECT },
    ]);
    const shadowed = findShadowedRules(b.model);
    expect(shadowed.map((s) => [s.rule.position, s.coveredBy.map((c) => c.position)])).toEqual([
      [3, [1, 2]],
      [5, [4]],
    ]);
  });

  it('files IPv6 covers by block too: a /64 inside an earlier /48 is shadowed, its neighbour /48 is not', () => {
    const b = new ModelBuilder('ipv6');
    b.base('filter', 'INPUT', 'input', 0, 'accept', [
      { src: ['2001:db8:1::/48'], action: DROP },
      { src: ['2001:db8:1:5::/64'], proto: 'tcp', dport: 443, action: REJECT },
      { src: ['2001:db8:1:6::/64'], action: REJECT },
      { src: ['2001:db8:2:5::/64'], action: REJECT },
    ]);
    expect(findShadowedRules(b.model).map((s) => s.rule.position)).toEqual([2, 3]);
  });
});

describe('any-source rules against destination-filed covers', () => {
  const GOTO = (chain: string) => ({ type: 'goto', chain }) as const;
  /** kube-proxy's nft services chain: one any-source rule per service address, all on port 80. */
  function services(n: number, after: RuleSpec[]) {
    const b = new ModelBuilder('ipv4');
    const rules = Array.from({ length: n }, (_, i) => ({ dst: [`10.96.${i >> 8}.${i & 255}/32`], proto: 'tcp', dport: 80, action: GOTO(`svc-${i}`) }) satisfies RuleSpec);
    b.base('filter', 'services', 'prerouting', 0, 'accept', [...rules, ...after]);
    return b.model;
  }

  it('finds the earlier rule on the same service address, and only there', () => {
    const m = services(300, [
      { dst: ['10.96.0.77/32'], proto: 'tcp', dport: 80, action: GOTO('again') },
      { dst: ['10.96.0.77/32'], proto: 'tcp', dport: 81, action: GOTO('other-port') },
      { dst: ['10.96.0.0/24'], proto: 'tcp', dport: 80, action: GOTO('whole-block') },
      { dst: ['10.96.1.0/27'], proto: 'tcp', dport: 80, action: GOTO('first-32') },
      // Services 256..299 hold 44 of these 64 addresses.
      { dst: ['10.96.1.0/26'], proto: 'tcp', dport: 80, action: GOTO('first-64') },
    ]);
    const shadowed = findShadowedRules(m);
    expect(shadowed.map((s) => [s.rule.position, s.coveredBy.map((c) => c.position)])).toEqual([
      [301, [78]],
      [303, [1, 2, 3]],
      [304, [257, 258, 259]],
    ]);
  });

  it('compares each rule with the covers on its own address, not every cover on its port', () => {
    // 300 rules on one port met each other pairwise: 45,000 comparisons, over this budget.
    const budget = new ShadowBudget(1_000);
    expect(findShadowedRules(services(300, []), budget)).toEqual([]);
    expect(budget.exhausted()).toBe(false);
    expect(budget.skipped).toEqual([]);
  });
});

describe('the work budget', () => {
  it('stops with the chain and the rules it did not analyse, and claims nothing about them', () => {
    const m = bans(hosts('198.51.100', 256), [{ src: ['198.51.100.0/24'], action: REJECT }]);
    expect(findShadowedRules(m, new ShadowBudget())).toHaveLength(1);
    const tight = new ShadowBudget(100);
    expect(findShadowedRules(m, tight)).toEqual([]);
    expect(tight.exhausted()).toBe(true);
    expect(tight.skipped).toEqual([{ chain: m.baseChains[0]!.chain, from: 100, rules: 157 }]);
  });
});
