import { describe, expect, it } from 'vitest';
import { renderAuditText, renderAuditTextEach, renderExplainText, shouldColor } from '../../src/render/index.js';
import { answer, EXPLAIN_FIXTURES, manyServices, report, watchFirstRead } from './load.js';

const ESC = '\u001b';
const lines = (s: string): string[] => s.trimEnd().split('\n');

describe('shouldColor', () => {
  it('needs a TTY and no NO_COLOR', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // no-color.org: present at all, even empty, disables colour.
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '' })).toBe(false);
  });
});

describe('renderAuditText', () => {
  const r = report();

  it('has no escape codes without colour, and has them with colour', () => {
    expect(renderAuditText(r, { color: false })).not.toContain(ESC);
    expect(renderAuditText(r, { color: true })).toContain(`${ESC}[`);
  });

  it('never prints control or bidi characters from rule texts, even in colour', () => {
    for (const color of [false, true]) {
      // Strip our own SGR sequences; nothing else may remain.
      const text = renderAuditText(r, { color }).replace(/\u001b\[[0-9;]*m/g, '');
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    const text = renderAuditText(r, { color: false, width: 200 });
    expect(text).toContain('\\x1b[2J\\x1b[31mpwned <script>alert(1)</script>');
  });

  it.each([40, 60, 80, 100, 160])('keeps every line within %i columns (commands excepted)', (width) => {
    for (const line of lines(renderAuditText(r, { color: false, width }))) {
      if (line.trimStart().startsWith('$ ')) continue; // commands stay whole, to paste
      expect([...line].length, line).toBeLessThanOrEqual(width);
    }
  });

  it('lists services worst first: exposure, then finding severity', () => {
    const text = renderAuditText(r, { color: false, width: 100 });
    const web = text.slice(text.indexOf('━━ web-1'), text.indexOf('━━ db-2'));
    const rows = lines(web).filter((l) => /^  (world|wide|allowlisted|internal|local|closed) /.test(l));
    expect(rows.map((l) => l.split(/\s+/)[2])).toEqual(['tcp/6379', 'tcp/8080', 'tcp/9100', 'udp/161', 'tcp/80', 'tcp/443', 'tcp/22', 'tcp/3000', 'tcp/5432', 'udp/53', 'tcp/25']);
  });

  it('summarises sources the way a sysadmin reads them', () => {
    const text = renderAuditText(r, { color: false, width: 120 });
    expect(text).toMatch(/tcp\/6379 .* 0\.0\.0\.0\/0$/m);
    expect(text).toMatch(/tcp\/22 .* 4 prefixes \(192\.0\.2\.10\/32, (198\.51\.100\.0\/24, )?…\)$/m);
    expect(text).toMatch(/tcp\/5432 .* local only$/m);
    expect(text).toMatch(/tcp\/25 .* nobody$/m);
    // Families exposed differently are shown apart.
    expect(text).toMatch(/tcp\/9100 .* v4 10\.0\.0\.0\/8 · v6 ::\/0$/m);
    expect(text).toContain('↳ forwarded to 172.17.0.2:80');
  });

  it('prints findings worst first with evidence and pasteable commands', () => {
    const text = renderAuditText(r, { color: false });
    const sev = [...text.matchAll(/^  (CRITICAL|HIGH|MEDIUM|LOW|INFO) /gm)].map((m) => m[1]);
    expect(sev.slice(0, 11)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'INFO', 'INFO']);
    expect(text).toContain('allowed by filter ufw-user-input #7: -A ufw-user-input -p tcp');
    expect(text).toContain("  $ sed -i 's/^bind .*/bind 127.0.0.1 -::1/' /etc/redis/redis.conf && systemctl restart redis-server");
    expect(text).toMatch(/suppressed \(high\): SSH on tcp\/22/);
    expect(text).toContain('Findings: 2 critical, 2 high, 4 medium, 3 low, 2 info (1 suppressed)');
  });

  it('says what could not be read and what was read conservatively', () => {
    const text = renderAuditText(r, { color: false, width: 200 });
    expect(text).toContain('✗ iptables-save (legacy): could not be read');
    expect(text).toContain('? filter ufw-before-input #14 may match: -m mark --mark 0x1/0x1 (unmodelled)');
    expect(text).toContain('filter ufw-user-input #8 is shadowed, covered by filter ufw-user-input #7');
    expect(text).toContain('(expected *filter, *nat, *mangle, *raw or *security) [parse.table-header]');
  });

  it('stacks services on narrow terminals instead of cutting every column', () => {
    const text = renderAuditText(r, { color: false, width: 50 });
    expect(text).toContain('  world       tcp/6379  redis-server\n    0.0.0.0 ← 0.0.0.0/0\n');
    expect(text).not.toContain('EXPOSURE');
  });

  it('handles an empty report', () => {
    const empty = { ...r, hosts: [], findings: [], summary: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
    expect(renderAuditText(empty, { color: false })).toBe('Portcullis audit · 0 hosts · 2026-11-21 07:40 UTC\nFindings: none\nPolicy: portcullis.yaml\n');
  });
});

describe('renderExplainText', () => {
  it('shows state, verdict, listener and the trace in order', () => {
    const text = renderExplainText(answer('explain-ssh-office'), { color: false });
    expect(lines(text).slice(0, 3)).toEqual([
      'tcp/22 from 198.51.100.20 to 192.0.2.80  OPEN',
      '  firewall  accept',
      '  listener  sshd (pid 812, root) on [::]:22',
    ]);
    const steps = [...text.matchAll(/^ +(\d+)  (\S+) +(.+?) {2,}([A-Z-]+)/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
    expect(steps).toEqual([
      '1 prerouting nat PREROUTING #1 JUMP',
      '2 prerouting nat DOCKER #1 CONTINUE',
      '3 prerouting nat PREROUTING policy POLICY-ACCEPT',
      '4 input filter INPUT #1 JUMP',
      '5 input filter INPUT #2 JUMP',
      '6 input filter ufw-before-input #9 JUMP',
      '7 input filter ufw-user-input #1 ACCEPT',
    ]);
  });

  it('marks uncertain and partial steps, the reject type, and escapes odd rule text', () => {
    const text = renderExplainText(answer('explain-mark-uncertain'), { color: false, width: 200 });
    expect(text).toContain('FILTERED');
    expect(text).toContain('firewall  reject (tcp-reset)');
    expect(text).toMatch(/ACCEPT \(may match\)/);
    expect(text).toMatch(/REJECT \(partial\)/);
    expect(text).toContain('\\x1b[2J\\x1b[31mpwned\\u202e <script>');
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('Read conservatively');
  });

  it('says when nothing listens', () => {
    expect(renderExplainText(answer('explain-v6-filtered'), { color: false })).toContain('listener  nothing listens');
  });

  it.each(EXPLAIN_FIXTURES)('fits %s in 60 columns, without colour codes when off', (name) => {
    const text = renderExplainText(answer(name), { color: false, width: 60 });
    expect(text).not.toContain(ESC);
    for (const line of lines(text)) expect([...line].length, line).toBeLessThanOrEqual(80); // header may name long addresses
    for (const line of lines(text).slice(1)) expect([...line].length, line).toBeLessThanOrEqual(60);
    expect(renderExplainText(answer(name), { color: true })).toContain(`${ESC}[`);
  });
});

describe('renderAuditTextEach', () => {
  it('hands the text over in chunks of about 64 K characters while it is still being made', () => {
    const many = manyServices(report(), 200);
    const emitted: string[] = [];
    // The first host's diagnostics are read for its caveats, after its services and findings.
    let emittedBeforeCaveats = -1;
    const watched = { ...many, hosts: many.hosts.map((x, i) => (i === 0 ? watchFirstRead(x, 'diagnostics', () => (emittedBeforeCaveats = emitted.length)) : x)) };
    renderAuditTextEach(watched, { color: false }, (chunk) => emitted.push(chunk));
    const text = emitted.join('');
    expect(text).toBe(renderAuditText(many, { color: false }));
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
    expect(emittedBeforeCaveats).toBeGreaterThan(0);
    expect(Math.max(...emitted.map((c) => c.length))).toBeLessThan(80_000);
  });
});
