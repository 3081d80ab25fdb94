/**
 * nmap -oX reports recorded from nmap 7.93 against the live suite's daemons
 * (test/fixtures/nmap-xml/), and damaged ones: every problem located by line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNmapXml } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/nmap-xml/${name}`, import.meta.url), 'utf8');

describe('parseNmapXml', () => {
  it('reads a connect scan: targets, listed ports and states, the command line', () => {
    const r = parseNmapXml(fixture('connect-scan.xml'), 'connect-scan.xml');
    expect(r.diagnostics).toEqual([]);
    const obs = r.value!;
    expect(obs.origin).toMatchObject({ kind: 'nmap-xml', file: 'connect-scan.xml', args: expect.stringContaining('nmap -n -Pn -sT') });
    expect(obs.targets.map((t) => t.address)).toEqual(['192.0.2.1']);
    const listed = obs.targets[0]!.ports.map((p) => `${p.port}/${p.proto} ${p.state}`);
    // The 1,025 closed ports are nmap's <extraports>, not listed.
    expect(listed).toEqual(['21/tcp open', '80/tcp open', '2222/tcp open', '6379/tcp open', '7000/tcp filtered', '8443/tcp open', '11211/tcp open']);
    expect(obs.targets[0]!.ports.filter((p) => p.state === 'open').map((p) => p.port)).toEqual([21, 80, 2222, 6379, 8443, 11211]);
    expect(obs.vantage).toEqual({ '192.0.2.1': null });
  });

  it('reads -sV services and the NSE results the findings use', () => {
    const obs = parseNmapXml(fixture('service-scan.xml'), 'service-scan.xml').value!;
    const port = (n: number) => obs.targets[0]!.ports.find((p) => p.port === n)!;
    expect(port(21)).toMatchObject({ service: 'ftp', product: 'vsftpd 3.0.3', auth: 'none' });
    expect(port(2222)).toMatchObject({ service: 'ssh', authMethods: ['publickey', 'password'], auth: 'required' });
    expect(port(6379)).toMatchObject({ service: 'redis', auth: 'none' });
    expect(port(8443).service).toBe('https');
    expect(port(8443).tls!.versions).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    expect(port(8443).tls!.certificate).toMatchObject({ subjectCN: 'nginx-tls-8443.example', notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(port(7000).state).toBe('filtered');
  });

  it('locates damage: malformed XML, a bad port, a wrong document', () => {
    const broken = fixture('connect-scan.xml').replace('</ports>', '</port>');
    const a = parseNmapXml(broken, 'broken.xml');
    expect(a.value).toBeNull();
    expect(a.diagnostics[0]).toMatchObject({ code: 'parse.nmap-xml', severity: 'error', location: { file: 'broken.xml', line: expect.any(Number) } });
    expect(a.diagnostics[0]!.location!.line).toBeGreaterThan(5);

    const badPort = fixture('connect-scan.xml').replace('portid="21"', 'portid="70000"');
    const b = parseNmapXml(badPort, 'bad.xml');
    const line = badPort.split('\n').findIndex((l) => l.includes('portid="70000"')) + 1;
    expect(b.diagnostics).toEqual([expect.objectContaining({ message: '<port> with a bad portid', input: '70000', location: { file: 'bad.xml', line } })]);

    const c = parseNmapXml('<?xml version="1.0"?>\n<audit/>\n', 'other.xml');
    expect(c.diagnostics[0]).toMatchObject({ message: expect.stringContaining('no <nmaprun>') });
  });
});
