/**
 * `portcullis probe` as a user runs it, for what needs no root: usage errors exit 2 with
 * what was expected, a non-local target is refused naming --allow-remote (the live suite
 * counts the packets), and an nmap report feeds the same findings and exit codes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/analyze/probe/types.js';
import { portcullis, REPO } from '../audit-e2e/cli.js';

const NMAP = join(REPO, 'test/fixtures/nmap-xml/service-scan.xml');

describe('portcullis probe (CLI)', () => {
  it('refuses a target that is not this host without --allow-remote', () => {
    const r = portcullis(['probe', '198.51.100.7', '--ports', '22']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to probe 198\.51\.100\.7: not an address of this host.*--allow-remote/s);
    expect(r.stdout).toBe('');
  });

  it('usage errors exit 2 and say what is expected', () => {
    expect(portcullis(['probe', '127.0.0.1', '--ports', '22-1']).stderr).toContain('expected ports 1-65535');
    expect(portcullis(['probe', '127.0.0.1', '--timeout', 'soon']).code).toBe(2);
    expect(portcullis(['probe']).stderr).toContain('at least one TARGET');
    const cidr = portcullis(['probe', '198.18.0.0/15']);
    expect(cidr.code).toBe(2);
    expect(cidr.stderr).toContain('--max-targets');
    expect(portcullis(['probe', '127.0.0.1', '--nmap', NMAP]).stderr).toContain('give no TARGET');
  });

  it('--nmap: the same findings and exit codes as a scan', () => {
    const r = portcullis(['probe', '--nmap', NMAP, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ProbeReport;
    expect(report.origin).toMatchObject({ kind: 'nmap-xml', file: NMAP });
    expect(report.findings.map((f) => `${f.rule} ${f.service?.port}`)).toEqual(expect.arrayContaining(['probe-unauthenticated-datastore 6379', 'probe-ssh-password 2222', 'probe-cleartext-login 21', 'probe-legacy-tls 8443']));
    expect(portcullis(['probe', '--nmap', NMAP, '--fail-on', 'none']).code).toBe(0);
  });

  it('--nmap with a damaged report: exit 2, file and line, nothing written to --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-probe-cli-'));
    try {
      const bad = join(dir, 'bad.xml');
      writeFileSync(bad, readFileSync(NMAP, 'utf8').replace('portid="6379"', 'portid="-1"'));
      const out = join(dir, 'out.json');
      writeFileSync(out, 'previous');
      const r = portcullis(['probe', '--nmap', bad, '--json', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bad\.xml:\d+: <port> with a bad portid; expected portid between 1 and 65535; got "-1"/);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(readFileSync(out, 'utf8')).toBe('previous');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
