import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { dualStackMismatch as check } from './dual-stack-mismatch.js';

describe('dual-stack-mismatch', () => {
  it('SSH allowlisted on IPv4, open to the world on IPv6 through a dual-stack socket (docker-host)', () => {
    const out = runCheck(check, 'docker-host');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['dual-stack-mismatch:docker-1:tcp/22', 'high']]);
    expect(out[0]!.title).toBe('SSH on 22/tcp is restricted on IPv4 (allowlisted) but open on IPv6 (world)');
    expect(out[0]!.remediation.commands.every((c) => !c.startsWith('iptables '))).toBe(true);
  });
  it('two sockets, same port: IPv4 filtered, IPv6 open', () => {
    const a = loadAnalysis('ufw-host');
    a.services.find((s) => s.port === 22 && s.family === 'ipv4')!.sources = { ipv4: ['198.51.100.0/24'], ipv6: [] };
    const out = runCheck(check, a);
    expect(ids(out)).toEqual(['dual-stack-mismatch:ufw-web-1:tcp/22']);
    // The host has IPv6 rules, so ufw's IPV6 switch is on: the fix is the rule itself.
    expect(out[0]!.remediation.commands[0]).toBe('ufw delete allow 22/tcp');
  });
  it('with no IPv6 rules at all on a ufw host, the fix starts with IPV6=yes', () => {
    const a = loadAnalysis('ufw-host');
    a.services.find((s) => s.port === 22 && s.family === 'ipv4')!.sources = { ipv4: ['198.51.100.0/24'], ipv6: [] };
    a.backends.ipv6 = [];
    expect(runCheck(check, a)[0]!.remediation.commands[0]).toBe('# /etc/default/ufw: IPV6=yes');
  });
  it('a public port restricted on one family is a low availability note', () => {
    const a = loadAnalysis('ufw-host');
    a.services.find((s) => s.port === 443 && s.family === 'ipv6')!.sources = { ipv4: [], ipv6: [] };
    const out = runCheck(check, a);
    expect(out.map((f) => [f.id, f.severity])).toEqual([['dual-stack-mismatch:ufw-web-1:tcp/443', 'low']]);
  });
  it('same exposure in both families, or a socket in one family only: nothing', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'redis-world')).toEqual([]);
  });
});
