import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { cleartextProtocol as check } from './cleartext-protocol.js';

describe('cleartext-protocol', () => {
  it('FTP from the world is high and names the secure alternative; telnet from private networks is low', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([
      ['cleartext-protocol:old-box:tcp/21', 'high'],
      ['cleartext-protocol:old-box:tcp/23', 'low'],
    ]);
    expect(out[0]!.remediation.summary).toMatch(/SFTP/);
    expect(out[1]!.remediation.summary).toMatch(/Use SSH instead/);
    expect(out[0]!.remediation.commands).toContain('listen_address=127.0.0.1  # in vsftpd.conf');
  });
  it('plain HTTP on a public port 80 is low and fixed by a redirect, not by closing the port', () => {
    const [f] = runCheck(check, 'ufw-host');
    expect(f).toMatchObject({ id: 'cleartext-protocol:ufw-web-1:tcp/80', severity: 'low' });
    expect(f!.remediation.commands).toHaveLength(1);
  });
  it('a loopback-only cleartext service is fine', () => {
    const a = loadAnalysis('legacy-and-nft');
    for (const s of a.services) s.sources = { ipv4: [], ipv6: [] };
    expect(runCheck(check, a)).toEqual([]);
  });
  it('SMTP on 25 is info: STARTTLS cannot be seen from here', () => {
    const a = loadAnalysis('ufw-host');
    a.services.push({ ...a.services[0]!, port: 25, process: { pid: 3, name: 'master', cmdline: ['/usr/lib/postfix/sbin/master', '-w'], user: 'root' } });
    const f = runCheck(check, a).find((x) => x.service?.port === 25)!;
    expect(f.severity).toBe('info');
    expect(f.evidence.facts.join(' ')).toMatch(/cannot be known/);
  });
});
