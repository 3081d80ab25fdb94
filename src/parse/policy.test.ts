import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_SCHEMA, parsePolicy } from './policy.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/policy/${name}.yaml`, import.meta.url), 'utf8');
const parse = (name: string) => parsePolicy(fixture(name), `${name}.yaml`);
const brief = (name: string) =>
  parse(name).diagnostics.map((d) => ({ line: d.location?.line, message: d.message, expected: d.expected, input: d.input }));

describe('parsePolicy: valid files', () => {
  it('reads every section of a full policy, resolving list references', () => {
    const { value, diagnostics } = parse('full');
    expect(diagnostics).toEqual([]);
    expect(value).not.toBeNull();
    const admins = value!.trusted.find((t) => t.name === 'admins')!;
    expect(admins.ipv4).toEqual(['198.51.100.0/24', '203.0.113.0/28']);
    expect(admins.ipv6).toEqual(['2001:db8:100::/48']);
    expect(admins.location).toEqual({ file: 'full.yaml', line: 6 });
    expect(value!.publicPorts[0]!.ports).toContainEqual({ proto: 'udp', from: 443, to: 443 });
    expect(value!.publicPorts[1]!.hosts).toEqual(['mail?']);
    expect(value!.severity).toEqual({ 'kernel-hardening': 'low', 'drops-not-logged': 'info' });
    expect(value!.severityLocations!['drops-not-logged']).toEqual({ file: 'full.yaml', line: 14 });
    expect(value!.restrictedPorts).toContainEqual({ proto: 'tcp', from: 5432, to: 5432 });
    expect(value!.exceptions).toHaveLength(2);
    expect(value!.exceptions[0]).toMatchObject({ host: 'docker-1', check: 'exposed-datastore', service: { proto: 'tcp', from: 6379, to: 6379 }, expires: '2027-03-31', location: { line: 17 } });
    expect(value!.exceptions[1]!.service).toBeNull();
  });

  it('takes an empty file as "defaults everywhere"', () => {
    const { value, diagnostics } = parse('empty');
    expect(diagnostics).toEqual([]);
    expect(value).toMatchObject({ trusted: [], publicPorts: [], severity: {}, restrictedPorts: null, exceptions: [] });
  });

  it('keeps YAML dates as the text written (core schema, no timestamp conversion)', () => {
    const { value } = parsePolicy('exceptions:\n  - check: shadowed-rule\n    reason: noisy for now\n    expires: 2026-12-31\n', 'p.yaml');
    expect(value!.exceptions[0]!.expires).toBe('2026-12-31');
  });

  it('reads port ranges', () => {
    const { value } = parsePolicy('public:\n  - hosts: ["*"]\n    ports: [60000-61000/udp]\n', 'p.yaml');
    expect(value!.publicPorts[0]!.ports).toEqual([{ proto: 'udp', from: 60000, to: 61000 }]);
  });
});

describe('parsePolicy: errors name the key, the line and what was expected', () => {
  it('an exception without a reason', () => {
    expect(brief('missing-reason')).toEqual([{ line: 2, message: 'exceptions[0]: missing key "reason"', expected: 'reason: why the exception exists (who, what ticket)', input: undefined }]);
  });

  it('dates that are not calendar dates', () => {
    const out = brief('bad-date');
    expect(out).toContainEqual(expect.objectContaining({ line: 4, message: 'exceptions[0].expires: invalid value', input: '2026-02-30' }));
    expect(out).toContainEqual(expect.objectContaining({ line: 7, message: 'exceptions[1].expires: invalid value', expected: 'the last day the exception applies, YYYY-MM-DD', input: 'next week' }));
  });

  it('unknown keys, on the line of the key, with the allowed ones', () => {
    expect(brief('unknown-key')).toEqual([{ line: 6, message: 'public[0].from: unknown key', expected: 'one of hosts, ports', input: 'from' }]);
  });

  it('a port without protocol', () => {
    expect(brief('bad-port')).toContainEqual({ line: 3, message: 'public[0].ports[0]: not a string', expected: 'a port and protocol, e.g. 22/tcp or 60000-61000/udp', input: '22' });
  });

  it('ports out of range once the shape is right', () => {
    const out = parsePolicy('public:\n  - hosts: ["*"]\n    ports: [70000/tcp]\nrestricted-ports: [3389-20/tcp]\n', 'p.yaml').diagnostics;
    expect(out.map((d) => [d.location?.line, d.message])).toEqual([
      [3, 'public[0].ports[0]: port out of range'],
      [4, 'restricted-ports[0]: port out of range'],
    ]);
  });

  it('bad CIDRs, unknown list names and reference cycles', () => {
    const out = brief('bad-trusted');
    expect(out).toContainEqual(expect.objectContaining({ line: 2, message: 'trusted.office[0]: not a valid CIDR', input: '198.51.100.0/33' }));
    expect(out).toContainEqual(expect.objectContaining({ line: 2, message: 'trusted.office[1]: unknown trusted list', input: 'vpm' }));
    expect(out).toContainEqual(expect.objectContaining({ line: 3, message: 'trusted.a: trusted lists refer to each other in a cycle', input: 'a → b → a' }));
  });

  it('an exception that matches everything, and an unknown severity', () => {
    const out = brief('no-match');
    expect(out).toContainEqual({ line: 2, message: 'exceptions[0]: an exception must say what it matches', expected: 'at least one of host, check, service', input: undefined });
    expect(out).toContainEqual({ line: 5, message: 'severity.kernel-hardening: not one of the allowed values', expected: 'one of critical, high, medium, low, info', input: 'severe' });
  });

  it('broken YAML, with a line', () => {
    const out = parse('bad-yaml');
    expect(out.value).toBeNull();
    expect(out.diagnostics[0]).toMatchObject({ code: 'policy.yaml', severity: 'error', location: { file: 'bad-yaml.yaml', line: 3 } });
  });

  it('duplicate keys', () => {
    const out = parsePolicy('severity:\n  shadowed-rule: low\n  shadowed-rule: info\n', 'dup.yaml');
    expect(out.value).toBeNull();
    expect(out.diagnostics[0]).toMatchObject({ code: 'policy.yaml', location: { line: 3 } });
  });

  it('a top level that is not a mapping', () => {
    const out = parsePolicy('- 1\n- 2\n', 'list.yaml');
    expect(out.value).toBeNull();
    expect(out.diagnostics[0]).toMatchObject({ message: '(top level): not an object', location: { line: 1 } });
  });

  it('every error is an error diagnostic with a file and a line', () => {
    for (const name of ['missing-reason', 'bad-date', 'unknown-key', 'bad-port', 'bad-trusted', 'bad-yaml', 'no-match']) {
      const { value, diagnostics } = parse(name);
      expect(value, name).toBeNull();
      expect(diagnostics.length, name).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(d.severity).toBe('error');
        expect(d.location?.file).toBe(`${name}.yaml`);
        expect(d.location?.line, `${name}: ${d.message}`).toBeGreaterThan(0);
        expect(d.expected).toBeTruthy();
      }
    }
  });
});

describe('parsePolicy: robustness', () => {
  it('never throws, and never returns null without an error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.array(fc.constantFrom('trusted:', 'public:', '  - hosts: [a]', '    ports: [22/tcp]', 'exceptions:', '  - reason: xyz', '    expires: 2026-01-01', '  office: [office]', ': :', '\t', '{')).map((l) => l.join('\n'))), (text) => {
        const out = parsePolicy(text, 'fuzz.yaml');
        if (out.value === null) expect(out.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('schemas/policy.schema.json', () => {
  it('is exactly the embedded schema', () => {
    const file = JSON.parse(readFileSync(new URL('../../schemas/policy.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(POLICY_SCHEMA)));
  });
});
