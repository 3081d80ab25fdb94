import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_FIXTURES, FIXTURE_NOW, loadAnalysis, loadPolicy } from '../../../test/fixtures/analysis/load.js';
import { buildAuditReport, diffReports } from './index.js';

const schemaUrl = (name: string) => new URL(`../../../schemas/${name}`, import.meta.url);
const present = existsSync(schemaUrl('audit.schema.json')) && existsSync(schemaUrl('diff.schema.json'));
if (!present) console.warn('schemas/audit.schema.json or diff.schema.json is missing: the report contract tests cannot run');

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const compile = (name: string) => addFormats(new Ajv({ allErrors: true, strict: false })).compile(JSON.parse(readFileSync(schemaUrl(name), 'utf8')) as object);
const asJson = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));

describe.skipIf(!present)('reports match their published JSON schemas', () => {
  const report = buildAuditReport(ANALYSIS_FIXTURES.map(loadAnalysis), loadPolicy('docker-office'), new Date('2026-11-22T00:00:00Z'));

  it('AuditReport ↔ schemas/audit.schema.json', () => {
    const validate = compile('audit.schema.json');
    expect(validate(asJson(report)), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  });

  it('ExposureDiff ↔ schemas/diff.schema.json', () => {
    const validate = compile('diff.schema.json');
    const diff = diffReports(buildAuditReport([loadAnalysis('ufw-host')], null, FIXTURE_NOW), report);
    expect(diff.worsened).toBe(true);
    expect(validate(asJson(diff)), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  });
});
