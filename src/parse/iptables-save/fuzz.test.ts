/**
 * No input may crash the parser or the lowering: random text, and valid dumps mutated by
 * deleting, duplicating, swapping or cutting lines and words.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import type { HostContext } from '../../model/host-context.js';
import { summarize } from '../../../test/fixtures/iptables-save/summarize.js';
import { lowerIptables, parseIptablesSave } from './index.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/iptables-save');
const VALID = readdirSync(DIR).filter((f) => f.endsWith('.rules') && !f.startsWith('error-')).map((f) => readFileSync(join(DIR, f), 'utf8'));
const CONTEXT: HostContext = {
  localAddrs: { ipv4: cidrsToSet(['192.0.2.1/32'], 'ipv4'), ipv6: null },
  broadcastAddrs: null,
  ipsets: new Map(),
};

/** Parse and lower; checks the invariants every result must keep. */
function check(text: string): void {
  const parsed = parseIptablesSave(text, 'fuzz');
  expect(parsed.value).toBeDefined();
  const lineCount = text.split('\n').length;
  for (const d of parsed.diagnostics) {
    expect(d.location?.file).toBe('fuzz');
    if (d.location?.line !== undefined) expect(d.location.line).toBeGreaterThanOrEqual(1);
    if (d.location?.line !== undefined) expect(d.location.line).toBeLessThanOrEqual(lineCount);
    if (d.severity === 'error') expect(typeof d.expected).toBe('string');
  }
  for (const family of ['ipv4', 'ipv6'] as const) {
    const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-legacy', context: CONTEXT, file: 'fuzz' });
    const astRules = parsed.value.tables.reduce((n, t) => n + [...t.chains.values()].reduce((m, c) => m + c.rules.length, 0), 0);
    const modelRules = [...lowered.value.chains.values()].reduce((n, c) => n + c.rules.length, 0);
    expect(modelRules).toBe(astRules); // lowering never drops a rule
  }
  // A dump without errors and with content has tables; an empty result must say why.
  if (parsed.value.tables.length === 0) expect(parsed.diagnostics.length).toBeGreaterThan(0);
  checkDeferred(text);
}

const errorsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.location?.line} ${d.code} ${d.message} | ${d.input}`).sort();

/** A deferred parse, once every chain is read, has the full parse's rules and errors. */
function checkDeferred(text: string): void {
  const opts = { family: 'ipv4', backend: 'iptables-legacy', context: CONTEXT, file: 'fuzz' } as const;
  const full = parseIptablesSave(text, 'fuzz');
  const fullModel = lowerIptables(full.value, opts);
  const late: Diagnostic[] = [];
  const deferred = parseIptablesSave(text, 'fuzz', { deferUserChains: true });
  const deferredModel = lowerIptables(deferred.value, { ...opts, onDeferred: (ds) => late.push(...ds) });
  for (const c of deferredModel.value.chains.values()) void c.rules;
  expect(errorsOf([...deferred.diagnostics, ...deferredModel.diagnostics, ...late])).toEqual(errorsOf([...full.diagnostics, ...fullModel.diagnostics]));
  expect(summarize(deferredModel.value, [])).toEqual(summarize(fullModel.value, []));
  // Read now (a full load): without errors, the very diagnostics and model of the full read.
  const fullDiagnostics = [...full.diagnostics, ...fullModel.diagnostics];
  if (fullDiagnostics.some((d) => d.severity === 'error')) return;
  const again = parseIptablesSave(text, 'fuzz', { deferUserChains: true });
  const now = lowerIptables(again.value, { ...opts, readNow: true });
  expect([...again.diagnostics, ...now.diagnostics]).toEqual(fullDiagnostics);
  expect(summarize(now.value, [])).toEqual(summarize(fullModel.value, []));
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), col: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom('!', '"', '-m', '-j', '--dport', 'COMMIT', '*nat', ':X - [0:0]', '-A INPUT', '[1:2]', '\\', '-p tcp', '-g', '--to-destination')) }),
  fc.record({ op: fc.constant('dropWord' as const), at: fc.nat(), word: fc.nat() }),
);

function mutate(text: string, muts: fc.Infer<typeof mutation>[]): string {
  const lines = text.split('\n');
  for (const m of muts) {
    if (lines.length === 0) break;
    const i = m.at % lines.length;
    switch (m.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, lines[i]!);
        break;
      case 'swap': {
        const j = m.to % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        break;
      }
      case 'cut':
        lines[i] = lines[i]!.slice(0, m.col % (lines[i]!.length + 1));
        break;
      case 'insert': {
        const words = lines[i]!.split(' ');
        words.splice(m.at % (words.length + 1), 0, m.text);
        lines[i] = words.join(' ');
        break;
      }
      case 'dropWord': {
        const words = lines[i]!.split(' ');
        words.splice(m.word % words.length, 1);
        lines[i] = words.join(' ');
        break;
      }
    }
  }
  return lines.join('\n');
}

describe('iptables-save fuzzing', () => {
  it('survives random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => check(s)), { numRuns: 500 });
  });

  it('survives random lines made of dump vocabulary', () => {
    const word = fc.constantFrom('*filter', '*nat', 'COMMIT', ':INPUT', 'ACCEPT', 'DROP', '-', '[0:0]', '-A', 'INPUT', '-p', 'tcp', 'icmp', '-m', 'tcp', 'multiport', '--dports', '22,80', '--dport', '!', '-s', '192.0.2.1', '2001:db8::1', '-j', '-g', 'REJECT', '--reject-with', 'tcp-reset', 'DNAT', '--to-destination', '[2001:db8::1]:80', '"a b"', '"', '-m', 'set', '--match-set', 'x', 'src,dst', '--tcp-flags', 'SYN', 'ALL', '--icmp-type', '3/4', '-f');
    const line = fc.array(word, { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (ls) => check(ls.join('\n'))), { numRuns: 500 });
  });

  it('survives mutations and truncations of valid dumps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.nat(), (text, muts, cut) => {
        const mutated = mutate(text, muts);
        check(mutated);
        check(mutated.slice(0, cut % (mutated.length + 1)));
      }),
      { numRuns: 400 },
    );
  });

  it('a valid dump cut anywhere inside a table is reported as truncated', () => {
    const text = VALID.find((t) => t.includes('*nat'))!;
    const commit = text.lastIndexOf('COMMIT');
    fc.assert(
      fc.property(fc.integer({ min: text.indexOf('*') + 1, max: commit - 1 }), (at) => {
        const cut = text.slice(0, at);
        // The cut keeps whole lines only, so that no half word turns into another error.
        const whole = cut.slice(0, cut.lastIndexOf('\n') + 1);
        const meaningful = whole.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
        if (meaningful.length === 0 || meaningful[meaningful.length - 1] === 'COMMIT') return;
        const codes = parseIptablesSave(whole, 'cut').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
        expect(codes).toContain('parse.truncated');
      }),
      { numRuns: 200 },
    );
  });
});
