import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interfaceSysctlName, parseSysctlInt, parseSysctlPortRanges, parseSysctlValue, sysctlPath } from './sysctl.js';

describe('sysctl names', () => {
  it('maps dotted names to /proc/sys paths, "/" standing for a dot inside a component', () => {
    expect(sysctlPath('net.ipv4.tcp_syncookies')).toBe('/proc/sys/net/ipv4/tcp_syncookies');
    expect(sysctlPath('net.ipv4.conf.eth0/100.rp_filter')).toBe('/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
    expect(sysctlPath('net.bridge.bridge-nf-call-iptables')).toBe('/proc/sys/net/bridge/bridge-nf-call-iptables');
  });
  it('builds per-interface names', () => {
    expect(interfaceSysctlName('ipv4', 'eth0', 'rp_filter')).toBe('net.ipv4.conf.eth0.rp_filter');
    expect(interfaceSysctlName('ipv4', 'eth0.100', 'route_localnet')).toBe('net.ipv4.conf.eth0/100.route_localnet');
    expect(sysctlPath(interfaceSysctlName('ipv4', 'br.x', 'rp_filter'))).toBe('/proc/sys/net/ipv4/conf/br.x/rp_filter');
  });
});

describe('sysctl values', () => {
  it('keeps the kernel text without the newline', () => {
    expect(parseSysctlValue('32768\t60999\n')).toBe('32768\t60999');
    expect(parseSysctlValue('\n')).toBe('');
  });
  it('reads integers', () => {
    expect(parseSysctlInt('1', 'n', 'f').value).toBe(1);
    expect(parseSysctlInt(' 2 ', 'n', 'f').value).toBe(2);
    const bad = parseSysctlInt('yes', 'net.ipv4.ip_forward', 's.json');
    expect(bad.value).toBeNull();
    expect(bad.diagnostics[0]).toMatchObject({ code: 'parse.sysctl.int', location: { file: 's.json', path: '$.sysctls["net.ipv4.ip_forward"]' }, input: 'yes' });
  });
  it('reads port ranges and lists', () => {
    expect(parseSysctlPortRanges('32768\t60999', 'n', 'f').value).toEqual([[32768, 60999]]);
    expect(parseSysctlPortRanges('8080,9000-9010', 'n', 'f').value).toEqual([
      [8080, 8080],
      [9000, 9010],
    ]);
    expect(parseSysctlPortRanges('', 'n', 'f').value).toEqual([]);
    expect(parseSysctlPortRanges('9010-9000', 'n', 'f').value).toBeNull();
    expect(parseSysctlPortRanges('70000', 'n', 'f').diagnostics[0]?.code).toBe('parse.sysctl.ports');
  });
  it('never throws (fuzz)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseSysctlValue(s);
        const i = parseSysctlInt(s, 'n', 'f');
        expect(i.value === null).toBe(i.diagnostics.length === 1);
        const p = parseSysctlPortRanges(s, 'n', 'f');
        for (const [lo, hi] of p.value ?? []) expect(lo <= hi && hi <= 65535).toBe(true);
      }),
    );
  });
});
