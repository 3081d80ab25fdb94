import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import { classifySources, exposureRank, isRemote, publicSpace, serviceExposure, worstExposure } from './exposure.js';
import { addrCount } from '../../model/addr.js';
import type { Exposure } from './types.js';

const v4 = (...c: string[]) => classifySources(cidrsToSet(c, 'ipv4'), 'ipv4', true);
const v6 = (...c: string[]) => classifySources(cidrsToSet(c, 'ipv6'), 'ipv6', true);

describe('public space', () => {
  it('IPv4: all minus private, CGNAT, loopback, link-local, multicast, 0/8 and 240/4', () => {
    const excluded = 2 ** 24 * 3 + 2 ** 20 + 2 ** 16 + 2 ** 22 + 2 ** 16 + 2 ** 28 * 2; // 0/8 10/8 127/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, 224/4 240/4
    expect(addrCount(publicSpace('ipv4'))).toBe(BigInt(2 ** 32 - excluded));
  });
  it('IPv6: global unicast 2000::/3', () => {
    expect(addrCount(publicSpace('ipv6'))).toBe(1n << 125n);
  });
});

describe('classifySources, IPv4', () => {
  it('0.0.0.0/0 is world', () => expect(v4('0.0.0.0/0')).toBe('world'));
  it('half of the public space is world: 0/1 holds more than half once the private blocks are out', () => {
    expect(v4('0.0.0.0/1')).toBe('world');
  });
  it('128.0.0.0/1 holds less than half (224/4 and 240/4 are not public) but well beyond 65,536: wide', () => {
    expect(v4('128.0.0.0/1')).toBe('wide');
  });
  it('exactly 65,536 public addresses is allowlisted; one more is wide', () => {
    expect(v4('198.18.0.0/16')).toBe('allowlisted');
    expect(v4('198.18.0.0/16', '203.0.113.7/32')).toBe('wide');
  });
  it('a /24 is allowlisted', () => expect(v4('203.0.113.0/24')).toBe('allowlisted'));
  it('private, CGNAT and link-local only: internal', () => {
    expect(v4('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16')).toBe('internal');
    expect(v4('100.64.0.0/10')).toBe('internal');
    expect(v4('169.254.0.0/16')).toBe('internal');
  });
  it('one public address among private ranges makes it allowlisted', () => {
    expect(v4('10.0.0.0/8', '192.0.2.1/32')).toBe('allowlisted');
  });
  it('no remote source: local when the host reaches the socket, closed when not', () => {
    expect(v4()).toBe('local');
    expect(classifySources([], 'ipv4', false)).toBe('closed');
  });
  it('all but the private ranges is still world', () => {
    expect(v4('0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1')).toBe('world');
  });
});

describe('classifySources, IPv6', () => {
  it('::/0 and 2000::/3 are world', () => {
    expect(v6('::/0')).toBe('world');
    expect(v6('2000::/3')).toBe('world');
  });
  it('2000::/4 is exactly half of the public space: world', () => expect(v6('2000::/4')).toBe('world'));
  it('2000::/5 is a quarter: wide', () => expect(v6('2000::/5')).toBe('wide'));
  it('a /40 is allowlisted, a /39 wide (256 sites of a /48, as a /16 is 256 /24s)', () => {
    expect(v6('2001:db8::/40')).toBe('allowlisted');
    expect(v6('2001:db8::/39')).toBe('wide');
  });
  it('ULA and link-local only: internal', () => expect(v6('fc00::/7', 'fe80::/10')).toBe('internal'));
});

describe('serviceExposure', () => {
  it('IPv4 socket: IPv6 is closed, overall is the IPv4 class', () => {
    const out = serviceExposure({ family: 'ipv4', dualStack: false, sources: { ipv4: ['0.0.0.0/0'], ipv6: [] } });
    expect(out).toEqual({ exposure: 'world', byFamily: { ipv4: 'world', ipv6: 'closed' } });
  });
  it('dual-stack socket: the worst of the two families', () => {
    const out = serviceExposure({ family: 'ipv6', dualStack: true, sources: { ipv4: ['198.51.100.0/24'], ipv6: ['::/0'] } });
    expect(out).toEqual({ exposure: 'world', byFamily: { ipv4: 'allowlisted', ipv6: 'world' } });
  });
  it('dual-stack socket with no remote source: local in both families', () => {
    const out = serviceExposure({ family: 'ipv6', dualStack: true, sources: { ipv4: [], ipv6: [] } });
    expect(out.byFamily).toEqual({ ipv4: 'local', ipv6: 'local' });
  });
  it('a malformed CIDR from the engine is read as "anyone", never as closed', () => {
    const out = serviceExposure({ family: 'ipv4', dualStack: false, sources: { ipv4: ['not-a-cidr'], ipv6: [] } });
    expect(out.exposure).toBe('world');
  });
});

describe('ordering', () => {
  it('worstExposure and ranks', () => {
    expect(worstExposure('internal', 'wide', 'local')).toBe('wide');
    expect(worstExposure()).toBe('closed');
    const order: Exposure[] = ['world', 'wide', 'allowlisted', 'internal', 'local', 'closed'];
    expect(order.map(exposureRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order.filter(isRemote)).toEqual(['world', 'wide', 'allowlisted', 'internal']);
  });
});
