import { describe, expect, it } from 'vitest';
import type { Policy, PolicyException } from '../../model/policy.js';
import { PolicyView, exceptionMatches, globMatches, isExpired } from './policy-view.js';

const policy = (p: Partial<Policy>): Policy => ({ file: 'p.yaml', trusted: [], publicPorts: [], severity: {}, restrictedPorts: null, exceptions: [], ...p });
const exception = (e: Partial<PolicyException>): PolicyException => ({ host: null, check: null, service: null, reason: 'why', expires: '2026-11-21', ...e });

describe('globMatches', () => {
  it('* and ? and nothing else', () => {
    expect(globMatches('web-*', 'web-01')).toBe(true);
    expect(globMatches('web-*', 'db-01')).toBe(false);
    expect(globMatches('mail?', 'mail2')).toBe(true);
    expect(globMatches('mail?', 'mail22')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('WEB-1', 'web-1')).toBe(true);
    expect(globMatches('*', 'anything')).toBe(true);
  });
});

describe('isExpired', () => {
  const e = exception({ expires: '2026-11-21' });
  it('applies through the whole expiry day, UTC', () => {
    expect(isExpired(e, new Date('2026-11-21T23:59:59Z'))).toBe(false);
    expect(isExpired(e, new Date('2026-11-22T00:00:00Z'))).toBe(true);
  });
  it('an unparseable date counts as expired (never suppresses)', () => {
    expect(isExpired(exception({ expires: 'soon' }), new Date('2020-01-01'))).toBe(true);
  });
});

describe('PolicyView', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('default public ports are 80/tcp and 443/tcp', () => {
    const v = new PolicyView(null, now);
    expect(v.isPublic('h', 'tcp', 80)).toBe(true);
    expect(v.isPublic('h', 'tcp', 443)).toBe(true);
    expect(v.isPublic('h', 'udp', 443)).toBe(false);
    expect(v.isPublic('h', 'tcp', 22)).toBe(false);
  });
  it('matching entries are joined and replace the defaults', () => {
    const v = new PolicyView(policy({ publicPorts: [
      { hosts: ['mail*'], ports: [{ proto: 'tcp', from: 25, to: 25 }] },
      { hosts: ['*'], ports: [{ proto: 'tcp', from: 443, to: 443 }] },
    ] }), now);
    expect(v.isPublic('mail1', 'tcp', 25)).toBe(true);
    expect(v.isPublic('mail1', 'tcp', 443)).toBe(true);
    expect(v.isPublic('mail1', 'tcp', 80)).toBe(false);
    expect(v.isPublic('web1', 'tcp', 25)).toBe(false);
  });
  it('restricted ports default to AWS restricted-common-ports', () => {
    expect(new PolicyView(null, now).restrictedPorts().map((r) => r.from)).toEqual([20, 21, 3389, 3306, 4333]);
    expect(new PolicyView(policy({ restrictedPorts: [{ proto: 'tcp', from: 23, to: 23 }] }), now).restrictedPorts()).toEqual([{ proto: 'tcp', from: 23, to: 23 }]);
  });
  it('trustedBy: every source inside the lists, naming the lists that contribute', () => {
    const v = new PolicyView(policy({ trusted: [
      { name: 'office', ipv4: ['198.51.100.0/24'], ipv6: ['2001:db8:1::/48'] },
      { name: 'vpn', ipv4: ['203.0.113.0/28'], ipv6: [] },
      { name: 'unused', ipv4: ['192.0.2.0/24'], ipv6: [] },
    ] }), now);
    expect(v.trustedBy({ ipv4: ['198.51.100.0/25', '203.0.113.0/29'], ipv6: ['2001:db8:1:2::/64'] })).toEqual(['office', 'vpn']);
    expect(v.trustedBy({ ipv4: ['198.51.100.0/23'], ipv6: [] })).toBeNull();
    expect(v.trustedBy({ ipv4: [], ipv6: ['2001:db8:2::/48'] })).toBeNull();
    expect(v.trustedBy({ ipv4: [], ipv6: [] })).toBeNull();
    expect(new PolicyView(null, now).trustedBy({ ipv4: ['198.51.100.0/24'], ipv6: [] })).toBeNull();
  });
  it('exceptions match by host glob, check and service range', () => {
    const f = { rule: 'exposed-datastore', host: 'db-1', service: { proto: 'tcp' as const, port: 6379 } };
    expect(exceptionMatches(exception({ host: 'db-*' }), f)).toBe(true);
    expect(exceptionMatches(exception({ host: 'web-*' }), f)).toBe(false);
    expect(exceptionMatches(exception({ check: 'exposed-datastore' }), f)).toBe(true);
    expect(exceptionMatches(exception({ check: 'cleartext-protocol' }), f)).toBe(false);
    expect(exceptionMatches(exception({ service: { proto: 'tcp', from: 6000, to: 7000 } }), f)).toBe(true);
    expect(exceptionMatches(exception({ service: { proto: 'udp', from: 6379, to: 6379 } }), f)).toBe(false);
    expect(exceptionMatches(exception({ service: { proto: 'tcp', from: 6379, to: 6379 } }), { ...f, service: null })).toBe(false);
  });
  it('severityFor and expiredExceptions', () => {
    const v = new PolicyView(policy({ severity: { 'shadowed-rule': 'info' }, exceptions: [exception({ host: 'db-*', expires: '2026-11-20' }), exception({ host: 'db-*', expires: '2026-11-21' })] }), now);
    expect(v.severityFor('shadowed-rule', 'low')).toBe('info');
    expect(v.severityFor('other', 'low')).toBe('low');
    expect(v.expiredExceptions('db-1').map((e) => e.expires)).toEqual(['2026-11-20']);
    expect(v.expiredExceptions('web-1')).toEqual([]);
  });
});
