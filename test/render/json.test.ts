import { describe, expect, it } from 'vitest';
import { renderAuditJson, renderDiffJson, renderExplainJson, stableStringify } from '../../src/render/index.js';
import { answer, diff, EXPLAIN_FIXTURES, report, validator } from './load.js';

/** The same data with every object's keys in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  return v;
}

describe('renderAuditJson', () => {
  const validate = validator('audit');

  it('renders the fixture as JSON the audit schema accepts', () => {
    const out = renderAuditJson(report());
    const ok = validate(JSON.parse(out));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is stable: 2-space, sorted keys, same bytes whatever the key order in memory', () => {
    const r = report();
    const out = renderAuditJson(r);
    expect(out).toBe(renderAuditJson(reverseKeys(r) as typeof r));
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toBe('  "findings": [');
    expect(JSON.parse(out)).toEqual(r);
  });

  it('the schema rejects unknown keys, missing keys and bad enums', () => {
    const r = JSON.parse(renderAuditJson(report()));
    r.hosts[0].services[0].surprise = 1;
    expect(validate(r)).toBe(false);
    const r2 = JSON.parse(renderAuditJson(report()));
    delete r2.findings[0].remediation;
    expect(validate(r2)).toBe(false);
    const r3 = JSON.parse(renderAuditJson(report()));
    r3.hosts[0].services[0].exposure = 'public';
    expect(validate(r3)).toBe(false);
    const r4 = JSON.parse(renderAuditJson(report()));
    r4.hosts[0].services[0].path = { kind: 'forward', hostPorts: '80' };
    expect(validate(r4)).toBe(false);
  });
});

describe('renderExplainJson', () => {
  const validate = validator('explain');

  it.each(EXPLAIN_FIXTURES)('%s validates against the explain schema, pretty and as a JSON line', (name) => {
    const a = answer(name);
    for (const out of [renderExplainJson(a), renderExplainJson(a, { line: true })]) {
      expect(validate(JSON.parse(out)), JSON.stringify(validate.errors)).toBe(true);
      expect(JSON.parse(out)).toEqual(a);
    }
    const line = renderExplainJson(a, { line: true });
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('rejects an answer with an unknown trace verdict', () => {
    const a = JSON.parse(renderExplainJson(answer('explain-ssh-office')));
    a.trace[0].verdict = 'maybe';
    expect(validate(a)).toBe(false);
  });
});

describe('renderDiffJson', () => {
  it('validates against the diff schema', () => {
    const validate = validator('diff');
    const out = JSON.parse(renderDiffJson(diff()));
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('stableStringify', () => {
  it('sorts nested keys, keeps array order, drops undefined', () => {
    expect(stableStringify({ b: 1, a: { d: [3, 1], c: undefined } }, 0)).toBe('{"a":{"d":[3,1]},"b":1}');
  });
});
