import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA } from './snapshot-schema.js';
import { snapshotValidator } from './snapshot.js';
import { SCHEMA_HASH, validate as precompiled } from './snapshot-validator.generated.js';
import { SNAPSHOT_FORMATS, SNAPSHOT_VALIDATOR_OPTIONS, schemaHash } from './snapshot-validator-options.js';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv') as typeof import('ajv');
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

/** The schema compiled now, as parseSnapshot would without the generated file. */
function compiledNow() {
  const ajv = new Ajv(SNAPSHOT_VALIDATOR_OPTIONS);
  addFormats(ajv, [...SNAPSHOT_FORMATS]);
  return ajv.compile(SNAPSHOT_SCHEMA);
}

const DIR = 'test/fixtures/snapshots';
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown>);

/** Damaged copies of a snapshot: each breaks one rule of the schema. */
function damaged(s: Record<string, unknown>): unknown[] {
  const sockets = s['sockets'] as Record<string, unknown>[];
  return [
    { ...s, version: 'one' },
    { ...s, extra: true },
    { ...s, collectedAt: 'yesterday' },
    { ...s, sockets: [{ ...sockets[0], port: 70000, address: '999.1.1.1' }, ...sockets.slice(1)] },
    { ...s, firewall: [{ kind: 'iptables-save' }] },
    (({ host, ...rest }) => rest)(s),
  ];
}

describe('the snapshot validator compiled ahead of time', () => {
  it('was generated from the current schema (else: npm run build && node scripts/build-snapshot-validator.mjs)', () => {
    expect(SCHEMA_HASH).toBe(schemaHash(SNAPSHOT_SCHEMA));
    expect(snapshotValidator().precompiled).toBe(true);
  });

  it('gives the verdict and the errors of the schema compiled at run time, on real and damaged snapshots', () => {
    const now = compiledNow();
    expect(fixtures.length).toBeGreaterThan(3);
    let invalid = 0;
    for (const s of fixtures) {
      for (const value of [s, ...damaged(s)]) {
        const a = precompiled(value);
        const b = now(value);
        expect(a).toBe(b);
        expect(JSON.parse(JSON.stringify(precompiled.errors ?? null))).toEqual(JSON.parse(JSON.stringify(now.errors ?? null)));
        if (!a) invalid++;
      }
      expect(precompiled(s)).toBe(true);
    }
    expect(invalid).toBe(fixtures.length * 6);
  });
});
