/**
 * The engine over every real-world dump in ../shared/fixtures/real-world: each ruleset,
 * loaded as the firewall of a host with common listeners, must analyse without an
 * exception, and every listener must get an answer. Prints the time per file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOf, sock } from '../helpers/model-builder.js';
import { analyzeHost, explainFlow, loadHost } from '../../src/pipeline.js';

const CORPUS = process.env.PORTCULLIS_CORPUS ?? resolve(process.cwd(), '../shared/fixtures/real-world');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n*** SKIPPED: real-world corpus not found at ${CORPUS} (set PORTCULLIS_CORPUS) ***\n`);

const LISTENERS = [22, 25, 53, 80, 443, 3306, 5432, 6379, 8080].flatMap((p) => [sock('tcp', '0.0.0.0', p), sock('tcp', '::', p, { v6only: true })]).concat([sock('udp', '0.0.0.0', 53), sock('udp', '0.0.0.0', 123)]);

function files(sub: string): string[] {
  const d = join(CORPUS, sub);
  return existsSync(d) ? readdirSync(d).filter((f) => !f.startsWith('.')).sort() : [];
}

describe.skipIf(!present)('engine over the real-world corpus', () => {
  const cases = [
    ...files('iptables-save').map((f) => ({ file: join('iptables-save', f), kind: 'iptables' as const })),
    ...files('ip6tables-save').map((f) => ({ file: join('ip6tables-save', f), kind: 'ip6tables' as const })),
    ...files('nft-json').map((f) => ({ file: join('nft-json', f), kind: 'nft' as const })),
  ];
  it.each(cases)('$file', ({ file, kind }) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const started = performance.now();
    const loaded = loadHost(snapshotOf(LISTENERS), 'corpus', { [kind]: { text, file } });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([]);
    const analysis = analyzeHost(loaded);
    const elapsed = performance.now() - started;
    expect(analysis.services.filter((s) => s.path.kind === 'local')).toHaveLength(LISTENERS.length);
    const family = kind === 'ip6tables' ? '2001:db8::99' : '203.0.113.9';
    const answer = explainFlow(loaded, { from: family, to: '', port: 22, proto: 'tcp' });
    expect(['open', 'closed', 'filtered']).toContain(answer.state);
    const uncertain = new Set(analysis.services.flatMap((s) => s.uncertain.map((u) => u.construct.split(' ').slice(0, 2).join(' '))));
    console.log(`${file}: ${elapsed.toFixed(0)} ms, ${analysis.shadowedRules.length} dead rules, uncertain: ${[...uncertain].slice(0, 6).join('; ') || 'none'}`);
  });
});
