import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { ephemeralPortListener as check, parsePortRange, parseReservedPorts } from './ephemeral-port-listener.js';

describe('ephemeral-port-listener', () => {
  it('an app on 45000 inside 32768-60999 (redis-world)', () => {
    const out = runCheck(check, 'redis-world');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['ephemeral-port-listener:cache-7:tcp/45000', 'low']]);
    expect(out[0]!.remediation.commands[0]).toBe('sysctl -w net.ipv4.ip_local_reserved_ports=45000');
  });
  it('a reserved port is fine; the fix appends to the existing list', () => {
    const a = loadAnalysis('redis-world');
    a.sysctls!['net.ipv4.ip_local_reserved_ports'] = '44000-46000';
    expect(runCheck(check, a)).toEqual([]);
    a.sysctls!['net.ipv4.ip_local_reserved_ports'] = '8080';
    expect(runCheck(check, a)[0]!.remediation.commands[0]).toBe('sysctl -w net.ipv4.ip_local_reserved_ports=8080,45000');
  });
  it('a narrower range leaves it out; no sysctls, no finding', () => {
    const a = loadAnalysis('redis-world');
    a.sysctls!['net.ipv4.ip_local_port_range'] = '50000\t60999';
    expect(runCheck(check, a)).toEqual([]);
    delete a.sysctls;
    expect(runCheck(check, a)).toEqual([]);
  });
  it('parses the sysctl formats', () => {
    expect(parsePortRange('32768\t60999')).toEqual([32768, 60999]);
    expect(parsePortRange('garbage')).toBeNull();
    expect(parseReservedPorts('')).toEqual([]);
    expect(parseReservedPorts('8080,9000-9100')).toEqual([[8080, 8080], [9000, 9100]]);
    expect(parseReservedPorts('x')).toBeNull();
  });
});
