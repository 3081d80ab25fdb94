import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_FIXTURES, FIXTURE_NOW, loadAnalysis, loadPolicy } from '../../../test/fixtures/analysis/load.js';
import { buildAuditReport } from '../audit/index.js';
import { SEVERITIES } from '../audit/types.js';
import { CHECKS, checkById, ruleDescriptor, sarifLevel } from './index.js';

const dir = new URL('./', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const NOT_CHECKS = new Set(['index.ts', 'types.ts', 'helpers.ts', 'exposure-risk.ts']);

describe('check catalog completeness', () => {
  it('ids are unique kebab-case, and every check file is listed in CHECKS', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_CHECKS.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...ids].sort());
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s: documented in code and in checks/README.md', (id, check) => {
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.description.length).toBeGreaterThan(60);
    expect(check.remediation.length).toBeGreaterThan(20);
    expect(SEVERITIES).toContain(check.severity);
    expect(read('README.md')).toContain(`### \`${id}\``);
    expect(checkById(id)).toBe(check);
  });

  it.each(CHECKS.map((c) => [c.id] as const))('%s: has a fixture-based test beside it', (id) => {
    expect(existsSync(new URL(`${id}.test.ts`, dir))).toBe(true);
    expect(read(`${id}.test.ts`)).toMatch(/runCheck\(check, '[a-z-]+'/);
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s: has a SARIF rule descriptor', (id, check) => {
    const rule = ruleDescriptor(check);
    expect(rule.id).toBe(id);
    expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(rule.shortDescription?.text).toBe(check.title);
    expect(rule.fullDescription?.text).toBe(check.description);
    expect(rule.help?.text).toBe(check.remediation);
    expect(rule.defaultConfiguration?.level).toBe(sarifLevel(check.severity));
    const sev = Number(rule.properties?.['security-severity']);
    expect(sev).toBeGreaterThanOrEqual(0);
    expect(sev).toBeLessThanOrEqual(10);
  });

  it('every check fires on at least one fixture (with the full policy, on the golden date)', () => {
    const report = buildAuditReport(ANALYSIS_FIXTURES.map(loadAnalysis), loadPolicy('full'), FIXTURE_NOW);
    const fired = new Set(report.findings.map((f) => f.rule));
    expect(CHECKS.map((c) => c.id).filter((id) => !fired.has(id))).toEqual([]);
  });
});
