/**
 * Issue 9, items 6-8: hostile input is an input error (exit 2, with the place), never a
 * crash; a crash has its own exit status (3), never 1, which a CI gate reads as "findings".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/errors.js';
import { excessiveNesting } from '../../src/parse/json-depth.js';
import { parsePolicy } from '../../src/parse/policy.js';
import { auditOf, explainOf, iptablesDump, runCli, snapshotOf, snapshotWithRules, sock, tempDir, writeSnapshot } from './hostile-helpers.js';

const { dir, cleanup } = tempDir('crash');
afterAll(cleanup);

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function expectInputError(r: ReturnType<typeof runCli>, ...fragments: string[]) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|RangeError|TypeError|\n\s+at /);
  for (const f of fragments) expect(r.stderr).toContain(f);
}

describe('deeply nested JSON', () => {
  it('finds the first place too deep, with its JSON path, past strings that hold brackets', () => {
    expect(excessiveNesting('{"a": "[[[[[[", "b": [1, {"c": [[[]]]}]}', 4)).toEqual({ path: '$.b[1].c[0]', line: 1 });
    expect(excessiveNesting('{"a": "[[[[[[", "b": [1, {"c": [[[]]]}]}', 6)).toBeNull();
    expect(excessiveNesting('{"we\\"ird key": [[\n[]]]}', 3)).toEqual({ path: '$["we\\"ird key"][0][0]', line: 2 });
  });

  it.each([1_000, 10_000, 200_000])('a snapshot nested %i deep is an input error with its path', (depth) => {
    const file = join(dir, `deep-${depth}.json`);
    writeFileSync(file, JSON.stringify(snapshotOf([sock('tcp', '0.0.0.0', 22)])).replace('"interfaces":', `"extra":${nested(depth)},"interfaces":`));
    for (const args of [['audit', '--snapshot', file, '--json'], ['explain', '--snapshot', file, '--from', '203.0.113.9', '--port', '22/tcp'], ['diff', file, file]]) {
      expectInputError(runCli(args), `${file} at $.extra[0][0]`, 'nested more than 256 levels deep');
    }
  });

  it('an nft dump nested 10,000 deep inside a snapshot is an input error, with the source named', () => {
    const file = writeSnapshot(dir, 'deep-nft.json', snapshotOf([sock('tcp', '0.0.0.0', 22)], {
      firewall: [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: `{"nftables": ${nested(10_000)}}` }],
    }));
    expectInputError(runCli(['audit', '--snapshot', file]), '#firewall[0] (nft -j list ruleset) at $.nftables[0]');
    const dump = join(dir, 'deep.nft.json');
    writeFileSync(dump, `{"nftables": [${nested(10_000)}]}`);
    expectInputError(runCli(['audit', '--snapshot', file, '--nft', dump]), `${dump} at $.nftables[0]`, 'nested too deeply to show');
  });

  it('a --flows line nested 10,000 deep is an input error with its line', () => {
    const file = writeSnapshot(dir, 'flat.json', snapshotOf([sock('tcp', '0.0.0.0', 22)]));
    const flows = join(dir, 'flows.jsonl');
    writeFileSync(flows, `{"from":"203.0.113.9","to":"192.0.2.1","port":22,"proto":"tcp"}\n{"from":${nested(10_000)}}\n`);
    expectInputError(runCli(['explain', '--snapshot', file, '--flows', flows]), `${flows}:2: JSON nested more than 256 levels deep at $.from[0]`);
  });
});

describe('damaged audit reports given to diff', () => {
  it('are input errors with the JSON path, never a crash', () => {
    const snap = writeSnapshot(dir, 'for-report.json', snapshotOf([sock('tcp', '0.0.0.0', 22)]));
    const good = JSON.parse(runCli(['audit', '--snapshot', snap, '--json', '--fail-on', 'none']).stdout);
    const broken = structuredClone(good);
    broken.hosts[0].services[0].sources = 'everyone';
    const cases: [unknown, string][] = [
      [{ format: 'portcullis-audit' }, 'at $:'],
      [broken, 'at $.hosts[0].services[0].sources:'],
    ];
    for (const [value, where] of cases) {
      const file = join(dir, 'bad-report.json');
      writeFileSync(file, JSON.stringify(value));
      expectInputError(runCli(['diff', file, file]), `${file} ${where} not a valid Portcullis audit report`);
    }
  });
});

describe('deep jump chains (the kernel loads 2,000 levels with iptables-legacy)', () => {
  const deepChain = (n: number, verdict: string) =>
    iptablesDump(['-A INPUT -j C0', ...Array.from({ length: n - 1 }, (_, i) => `-A C${i} -j C${i + 1}`), `-A C${n - 1} -p tcp --dport 22 ${verdict}`], {
      chains: Array.from({ length: n }, (_, i) => `C${i}`),
    });

  it.each([2_000, 10_000])('%i chains deep: walked without recursion, the verdict at the bottom counts', (n) => {
    const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 22), sock('tcp', '0.0.0.0', 80)], deepChain(n, '-j DROP'));
    const services = auditOf(snap).hosts[0]!.services;
    expect(services.find((s) => s.port === 22)!.exposure).toBe('local');
    expect(services.find((s) => s.port === 80)!.exposure).toBe('world');
    const a = explainOf(snap, { from: '203.0.113.9', to: '', port: 22, proto: 'tcp' });
    expect(a.state).toBe('filtered');
    expect(a.trace.filter((t) => t.verdict === 'jump')).toHaveLength(n);
  });

  it('the CLI answers a 2,000-deep chain with a normal exit status', () => {
    const file = writeSnapshot(dir, 'deep-chain.json', snapshotWithRules([sock('tcp', '0.0.0.0', 22)], deepChain(2_000, '-j ACCEPT')));
    const r = runCli(['audit', '--snapshot', file, '--json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts[0].services[0].exposure).toBe('world');
  });
});

describe('YAML self-references in a policy', () => {
  it.each([
    ['version: 1\ntrusted: &t {a: *t}\n', 2],
    ['version: 1\ntrusted:\n  office: [198.51.100.0/24]\n  loop: &l [office, *l]\n', 4],
    ['version: 1\npublic:\n  - &p\n    hosts: ["*"]\n    ports: *p\n', 5],
  ])('%j is an input error at line %i', (text, line) => {
    const parsed = parsePolicy(text, 'p.yaml');
    expect(parsed.value).toBeNull();
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', location: { file: 'p.yaml', line } });
    const file = join(dir, 'self.yaml');
    writeFileSync(file, text);
    const snap = writeSnapshot(dir, 'any.json', snapshotOf([sock('tcp', '0.0.0.0', 22)]));
    expectInputError(runCli(['audit', '--snapshot', snap, '--config', file]), `${file}:${line}: an alias refers to a node that contains it`);
  });

  it('an alias to an earlier, separate anchor still works', () => {
    const parsed = parsePolicy('version: 1\ntrusted:\n  office: &o [198.51.100.0/24]\n  copy: *o\n', 'p.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).not.toBeNull();
  });
});

describe('exit statuses', () => {
  it('are 0 ok, 1 findings, 2 input, 3 internal error, as the README says', () => {
    expect(ExitCode).toEqual({ ok: 0, findings: 1, input: 2, bug: 3 });
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit status'));
    for (const [code, words] of [[0, 'nothing'], [1, 'findings'], [2, 'input'], [3, 'internal error']] as const) expect(section).toMatch(new RegExp(`\\| \`${code}\` \\|[^\\n]*${words}`, 'i'));
  });
});
