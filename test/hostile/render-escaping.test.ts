/**
 * Issue 9, items 4-5: every string that came from the host (hostname, process name and
 * command line, user, chain and table names, rule comments, unknown constructs) reaches no
 * output raw. Property test: random hostile strings in every such field of a snapshot, the
 * whole pipeline, every renderer (text with and without colour, JSON, SARIF, HTML, diff,
 * explain); no control byte survives outside JSON string escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/analyze/audit/diff.js';
import { CHECKS } from '../../src/analyze/checks/index.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { renderAuditHtml, renderAuditJson, renderAuditSarif, renderAuditText, renderDiffJson, renderDiffText, renderExplainJson, renderExplainText } from '../../src/render/index.js';
import { auditOf, explainOf, iptablesDump, runCli, snapshotWithRules, sock, tempDir, writeSnapshot } from './hostile-helpers.js';

/** C0 (but \n), DEL, C1, bidi embeddings/overrides/isolates and marks, line/paragraph separators. */
const UNSAFE_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** JSON.stringify escapes C0 inside strings; the pretty-printer's own newlines are structure. */
const UNSAFE_JSON = UNSAFE_TEXT;
const HOSTILE = ['\u001b]52;c;cG93bmVk\u0007', '\u001b[2J', '\u009b31m', '\u202e', '\u2066', '\u2069', '\u200f', '\u0000', '\u0007', '\r', '\n', '\t', '\u007f', '\u0085', '\u2028', '\u001b[1;31m', '\u009d0;title\u009c'];

const hostile = (opts: { noSpace?: boolean; oneLine?: boolean } = {}) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''))
    .map((s) => (opts.noSpace ? s.replace(/[\s"'\\]/g, 'x') : opts.oneLine ? s.replace(/["\\\n\r]/g, 'x') : s.replace(/["\\]/g, 'x')))
    .filter((s) => s.trim().length > 0);

function hostileSnapshot(h: { host: string; proc: string; arg: string; user: string; chain: string; comment: string; module: string }): Snapshot {
  const chain = `C${h.chain}`.slice(0, 28);
  const rules = iptablesDump(
    [
      `-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "${h.comment}" -j ${chain}`,
      `-A ${chain} -m mark --mark 0x1 -j ACCEPT`,
      `-A ${chain} -p tcp -m tcp --dport 6379 -m m${h.module} -j ACCEPT`,
      `-A ${chain} -s 198.51.100.0/24 -j ACCEPT`,
      '-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT',
    ],
    { policy: 'DROP', chains: [chain] },
  );
  const process = { pid: 42, name: h.proc, cmdline: [h.proc, h.arg], user: h.user };
  const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22, { process }), sock('tcp', '::', 6379, { process }), sock('tcp', '0.0.0.0', 23, { process })], rules);
  snap.host.hostname = h.host;
  return snap;
}

function outputs(snap: Snapshot): { name: string; text: string; json: boolean }[] {
  const report = auditOf(snap);
  const narrower = auditOf({ ...snap, sockets: snap.sockets!.slice(0, 1) });
  const diff = diffReports(narrower, report);
  const answers = [22, 6379].map((port) => explainOf(snap, { from: '203.0.113.9', to: '', port, proto: 'tcp' }));
  return [
    { name: 'audit text', text: renderAuditText(report, { color: false, width: 100 }), json: false },
    { name: 'audit text (colour)', text: renderAuditText(report, { color: true, width: 100 }).replace(/\u001b\[[0-9;]*m/g, ''), json: false },
    { name: 'audit json', text: renderAuditJson(report), json: true },
    { name: 'audit sarif', text: renderAuditSarif(report, CHECKS), json: true },
    { name: 'audit html', text: renderAuditHtml(report), json: false },
    { name: 'diff text', text: renderDiffText(diff, { color: false, width: 100 }), json: false },
    { name: 'diff json', text: renderDiffJson(diff), json: true },
    ...answers.flatMap((a) => [
      { name: `explain ${a.port} text`, text: renderExplainText(a, { color: false }), json: false },
      { name: `explain ${a.port} json`, text: renderExplainJson(a), json: true },
      { name: `explain ${a.port} json line`, text: renderExplainJson(a, { line: true }), json: true },
    ]),
  ];
}

function unsafeAt(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  if (!m) return null;
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 20))}`;
}

describe('hostile strings through every renderer', () => {
  it('no control, C1 or bidi character survives raw; JSON keeps the exact values', () => {
    fc.assert(
      fc.property(
        fc.record({ host: hostile(), proc: hostile(), arg: hostile(), user: hostile(), chain: hostile({ noSpace: true }), comment: hostile({ oneLine: true }), module: hostile({ noSpace: true }) }),
        (h) => {
          const snap = hostileSnapshot(h);
          for (const o of outputs(snap)) {
            const bad = unsafeAt(o.text, o.json ? UNSAFE_JSON : UNSAFE_TEXT);
            expect(bad, `${o.name}: raw unsafe character near ${bad}`).toBeNull();
            if (o.json) JSON.parse(o.text);
          }
          // JSON escapes, it does not alter: the values read back are the host's.
          const report = JSON.parse(renderAuditJson(auditOf(snap)));
          expect(report.hosts[0].name).toBe(h.host);
          expect(report.hosts[0].services[0].process.cmdline).toEqual([h.proc, h.arg]);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('the issue reproductions: OSC 52 and ESC [2J in a chain name, U+202E and U+009B in JSON', () => {
    const snap = hostileSnapshot({ host: 'web\u202e1', proc: 'redis\u009b', arg: 'x', user: 'u', chain: '\u001b]52;c;cG93bmVk\u0007', comment: '\u001b[2J', module: 'mystery' });
    for (const o of outputs(snap)) expect(unsafeAt(o.text, UNSAFE_TEXT), o.name).toBeNull();
    const json = renderAuditJson(auditOf(snap));
    expect(json).toContain('web\\u202e1');
    expect(json).toContain('redis\\u009b');
    const text = renderAuditText(auditOf(snap), { color: false, width: 200 });
    expect(text).toContain('C\\x1b]52;c;cG93bmVk\\x07');
  });

  it('error messages on stderr are escaped too', () => {
    const { dir, cleanup } = tempDir('stderr');
    try {
      const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22)], iptablesDump(['-A INPUT -p tcp --dport 22 -j \u001b[2J\u202e']));
      snap.sockets![0]!.address = '\u001b]52;c;cG93bmVk\u0007';
      const r = runCli(['audit', '--snapshot', writeSnapshot(dir, 'bad.json', snap)]);
      expect(r.code).toBe(2);
      expect(unsafeAt(r.stderr, UNSAFE_TEXT)).toBeNull();
      expect(r.stderr).toMatch(/\\(x1b|u001b)/);
    } finally {
      cleanup();
    }
  });
});
