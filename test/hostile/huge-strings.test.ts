/**
 * Issue 9, item 9: a 200 MB hostname or a 5 MB process name must neither crash nor stall a
 * report. Snapshot strings are cut at load to MAX_FIELD_LENGTH (JSON keeps that much), and
 * displays cut host strings to DISPLAY_LIMIT; layout is linear in the text's length.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FIELD_LENGTH } from '../../src/parse/long-strings.js';
import { DISPLAY_LIMIT, printable } from '../../src/render/common/printable.js';
import { wrap } from '../../src/render/terminal/layout.js';
import { iptablesDump, runCli, snapshotOf, snapshotWithRules, sock, tempDir, writeSnapshot } from './hostile-helpers.js';

const { dir, cleanup } = tempDir('huge');
afterAll(cleanup);

describe('huge strings', () => {
  it('wrap cuts a 2,000,000-character word into lines in linear time (it was quadratic)', () => {
    const lines = wrap('x'.repeat(2_000_000) + ' tail', 80);
    expect(lines).toHaveLength(25_001);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.at(-1)).toBe('tail');
  });

  it('printable cuts to the display limit and says how much more there was, without splitting a surrogate pair', () => {
    expect(printable('a'.repeat(DISPLAY_LIMIT))).toBe('a'.repeat(DISPLAY_LIMIT));
    const cut = printable('a'.repeat(DISPLAY_LIMIT + 5));
    expect(cut).toBe(`${'a'.repeat(DISPLAY_LIMIT - 32)}… (37 more characters)`);
    expect(cut.length).toBeLessThanOrEqual(DISPLAY_LIMIT);
    expect(printable(cut)).toBe(cut);
    const emoji = 'a'.repeat(DISPLAY_LIMIT - 33) + '😀' + 'b'.repeat(40);
    expect(printable(emoji)).toBe(`${'a'.repeat(DISPLAY_LIMIT - 33)}… (42 more characters)`);
  });

  it('a 20 MB hostname and 5 MB process names give bounded reports in every format', () => {
    const name = 'n'.repeat(5_000_000);
    const snap = snapshotOf([sock('tcp', '0.0.0.0', 6379, { process: { pid: 7, name, cmdline: [name, 'x'.repeat(3_000_000)], user: 'u'.repeat(1_000_000) } })], {
      host: { hostname: 'h'.repeat(20_000_000), kernel: null },
    });
    const file = writeSnapshot(dir, 'huge.json', snap);
    const json = runCli(['audit', '--snapshot', file, '--json', '--fail-on', 'none']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.hosts[0].name).toBe(`${'h'.repeat(MAX_FIELD_LENGTH)}…[cut: ${20_000_000 - MAX_FIELD_LENGTH} more characters]`);
    expect(report.hosts[0].services[0].process.name.length).toBeLessThan(MAX_FIELD_LENGTH + 100);
    expect(report.hosts[0].diagnostics.filter((d: { code: string }) => d.code === 'parse.snapshot.long-string').map((d: { location: { path: string } }) => d.location.path).sort()).toEqual([
      '$.host.hostname',
      '$.sockets[0].process.cmdline[0]',
      '$.sockets[0].process.cmdline[1]',
      '$.sockets[0].process.name',
      '$.sockets[0].process.user',
    ]);
    expect(json.stdout.length).toBeLessThan(5_000_000);
    for (const format of ['text', 'html', 'sarif']) {
      const r = runCli(['audit', '--snapshot', file, '--format', format, '--fail-on', 'none']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeLessThan(format === 'sarif' ? 5_000_000 : 500_000);
    }
    const text = runCli(['audit', '--snapshot', file, '--fail-on', 'none']).stdout;
    expect(text.replace(/\s+/g, ' ')).toContain('a string of 20000000 characters was cut to 65536');
    expect(text).toMatch(/━━ h{10,}…/);
    const answer = runCli(['explain', '--snapshot', file, '--from', '203.0.113.9', '--port', '6379/tcp']);
    expect(answer.code).toBe(0);
    expect(answer.stdout.length).toBeLessThan(20_000);
  }, 120_000);

  it('firewall dumps are not cut: the rule after 100 KB of rules still decides', () => {
    const filler = Array.from({ length: 3_000 }, (_, i) => `-A INPUT -s 198.18.${i >> 8}.${i & 255}/32 -p udp --dport 9 -j ACCEPT`);
    const dump = iptablesDump([...filler, '-A INPUT -p tcp --dport 22 -j DROP']);
    expect(dump.length).toBeGreaterThan(MAX_FIELD_LENGTH);
    const file = writeSnapshot(dir, 'long-dump.json', snapshotWithRules([sock('tcp', '0.0.0.0', 22)], dump));
    const r = runCli(['audit', '--snapshot', file, '--json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts[0].services[0].exposure).toBe('local');
  });
});
