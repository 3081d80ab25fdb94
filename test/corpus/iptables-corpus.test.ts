/**
 * Robustness corpus: every real iptables-save / ip6tables-save dump under
 * ../shared/fixtures/real-world (or $PORTCULLIS_CORPUS) must parse without errors and lower
 * without exceptions. Prints, per file, its rule count and its uncertain constructs by name.
 * The dumps are read in place, never copied into this repository (see SOURCES.md there).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/model/addr.js';
import { emptyHostContext } from '../../src/model/host-context.js';
import { lowerIptables, parseIptablesSave } from '../../src/parse/iptables-save/index.js';

const ROOT = process.env.PORTCULLIS_CORPUS ?? resolve(import.meta.dirname, '../../../shared/fixtures/real-world');
const DIRS: [string, Family][] = [
  ['iptables-save', 'ipv4'],
  ['ip6tables-save', 'ipv6'],
];
const present = DIRS.some(([d]) => existsSync(join(ROOT, d)));
if (!present) {
  console.warn(`\n!!! iptables corpus NOT FOUND at ${ROOT} (set PORTCULLIS_CORPUS): the real-world dump checks are SKIPPED !!!\n`);
}

describe.skipIf(!present)(`iptables corpus at ${ROOT}`, () => {
  for (const [dir, family] of DIRS) {
    const path = join(ROOT, dir);
    const files = existsSync(path) ? readdirSync(path).filter((f) => f.endsWith('.rules')).sort() : [];
    it(`${dir} has dumps`, () => expect(files.length).toBeGreaterThan(0));
    for (const file of files) {
      it(`${dir}/${file}`, () => {
        const text = readFileSync(join(path, file), 'utf8');
        const parsed = parseIptablesSave(text, file);
        expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const started = performance.now();
        const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-legacy', context: emptyHostContext(), file });
        const ms = performance.now() - started;
        expect(lowered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const rules = [...lowered.value.chains.values()].reduce((n, c) => n + c.rules.length, 0);
        const astRules = (text.match(/^(\[\d+:\d+\] )?-A /gm) ?? []).length;
        expect(rules).toBe(astRules);
        const constructs = lowered.diagnostics
          .filter((d) => d.code.startsWith('unsupported.'))
          .map((d) => `${d.input} ×${/\((\d+) rules?/.exec(d.message)?.[1] ?? '?'}`);
        console.log(`${dir}/${file}: ${rules} rules, lowered in ${ms.toFixed(1)} ms; uncertain: ${constructs.join(', ') || 'none'}`);
        if (rules > 5000) expect(ms).toBeLessThan(3000); // ~100 ms on an idle machine
      });
    }
  }
});
