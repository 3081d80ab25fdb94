/**
 * Schema-vs-type drift. Three links make the schemas and the TypeScript types say the same:
 * 1. `tsc` compiles drift/full.ts: its objects have every key of the types and no other.
 * 2. The schemas (additionalProperties: false everywhere) accept those objects.
 * 3. Every property the schemas declare occurs in those objects.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fullAnswer, fullDiff, fullReport } from './drift/full.js';
import { readJson, root, validator } from './load.js';

type Schema = { properties?: Record<string, Schema>; definitions?: Record<string, Schema>; [k: string]: unknown };

/** Every property name a schema declares, anywhere in it. */
function schemaKeys(s: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(s)) s.forEach((x) => schemaKeys(x, out));
  else if (s !== null && typeof s === 'object') {
    const o = s as Schema;
    if (o.properties) for (const k of Object.keys(o.properties)) out.add(k);
    for (const v of Object.values(o)) schemaKeys(v, out);
  }
  return out;
}

/** Every key of a value, anywhere in it (record keys of sysctls included, harmlessly). */
function valueKeys(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => valueKeys(x, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.add(k), valueKeys(x, out));
  return out;
}

/** Every object in a schema forbids keys it does not declare. */
function openObjects(s: unknown, path = '#', out: string[] = []): string[] {
  if (Array.isArray(s)) s.forEach((x, i) => openObjects(x, `${path}/${i}`, out));
  else if (s !== null && typeof s === 'object') {
    const o = s as Schema;
    if (o['type'] === 'object' && o.properties && o['additionalProperties'] !== false) out.push(path);
    for (const [k, v] of Object.entries(o)) openObjects(v, `${path}/${k}`, out);
  }
  return out;
}

describe('schema vs type drift', () => {
  it('drift/full.ts type-checks against the current types (every key present, none extra)', () => {
    let output = '';
    try {
      execFileSync(`${root}node_modules/.bin/tsc`, ['-p', 'test/render/drift/tsconfig.json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output, 'a result type changed: update drift/full.ts, the schema in schemas/, and the fixtures').toBe('');
  }, 60_000);

  const cases = [
    ['audit', fullReport],
    ['explain', fullAnswer],
    ['diff', fullDiff],
  ] as const;

  it.each(cases)('%s schema accepts the full object', (name, value) => {
    const validate = validator(name);
    expect(validate(JSON.parse(JSON.stringify(value))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(cases)('%s schema declares no key the type lacks', (name, value) => {
    const declared = schemaKeys(readJson(`schemas/${name}.schema.json`));
    const present = valueKeys(value);
    expect([...declared].filter((k) => !present.has(k))).toEqual([]);
  });

  it.each(cases)('%s schema closes every object (additionalProperties: false)', (name) => {
    expect(openObjects(readJson(`schemas/${name}.schema.json`))).toEqual([]);
  });

  it('the schemas share one definition of the shared shapes', () => {
    const defs = (n: string): Record<string, unknown> => readJson<Schema>(`schemas/${n}.schema.json`).definitions!;
    for (const other of ['explain', 'diff']) {
      const shared = Object.keys(defs(other)).filter((k) => k in defs('audit'));
      expect(shared.length).toBeGreaterThan(1);
      for (const key of shared) expect(defs(other)[key], `${other}#/definitions/${key}`).toEqual(defs('audit')[key]);
    }
    expect(defs('diff')['finding']).toEqual(defs('audit')['finding']);
  });
});
