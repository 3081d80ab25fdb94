import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, loadAnalysis } from '../../../test/fixtures/analysis/load.js';
import { buildAuditReport, buildHistory } from './index.js';
import type { HostAnalysis } from '../types.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const schema = (name: string): object => JSON.parse(readFileSync(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as object;

/** The same host at a time: `analysis` renamed to web-1 and stamped `at`. */
function point(id: number, analysis: HostAnalysis, at: string) {
  const report = buildAuditReport([{ ...analysis, name: 'web-1', collectedAt: at }], null, new Date(at));
  return { id, collectedAt: at, storedAt: at, report };
}

describe('buildHistory', () => {
  const quiet = loadAnalysis('ufw-host');
  const loud = loadAnalysis('redis-world');
  const points = [point(1, quiet, '2026-11-01T00:00:00.000Z'), point(2, quiet, '2026-11-02T00:00:00.000Z'), point(3, loud, '2026-11-03T00:00:00.000Z'), point(4, quiet, '2026-11-04T00:00:00.000Z')];
  const history = buildHistory('web-1', null, points);

  it('lists each snapshot with its listening and reachable ports and findings', () => {
    expect(history.snapshots.map((s) => [s.id, s.listeners])).toEqual([
      [1, 6],
      [2, 6],
      [3, 7],
      [4, 6],
    ]);
    expect(history.snapshots[2]!.reachable).toBeGreaterThan(history.snapshots[0]!.reachable);
    expect(history.snapshots[2]!.findings).toEqual(points[2]!.report.summary);
  });

  it('compares each snapshot with the one before: unchanged, then changed and worse both ways (each side has listeners the other lacks)', () => {
    expect(history.changes.map((c) => [c.from, c.to, c.changed, c.worsened])).toEqual([
      [1, 2, false, false],
      [2, 3, true, true],
      [3, 4, true, true],
    ]);
    expect(history.changes[1]!.diff.newListeners.map((s) => `${s.proto}/${s.port}`)).toContain('tcp/6379');
    expect(history.changes[2]!.diff.goneListeners.map((s) => `${s.proto}/${s.port}`)).toContain('tcp/6379');
  });

  it('matches schemas/history.schema.json', () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
    ajv.addSchema(schema('diff'));
    const validate = ajv.compile(schema('history'));
    const json = JSON.parse(JSON.stringify(buildHistory('web-1', FIXTURE_NOW, points)));
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(json.since).toBe(FIXTURE_NOW.toISOString());
  });
});
