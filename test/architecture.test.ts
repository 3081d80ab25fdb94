/**
 * The pipeline's import directions (.dependency-cruiser.cjs), checked on the compiled dist/
 * (TypeScript 7 has no JS compiler API for dependency-cruiser to read .ts with).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface CruiseSummary {
  summary: { totalCruised: number; violations: { rule: { name: string }; from: string; to: string }[] };
}

function cruise(cwd: string, target: string): CruiseSummary {
  const out = execFileSync(join(process.cwd(), 'node_modules/.bin/depcruise'), [target, '--config', join(process.cwd(), '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as CruiseSummary;
}

describe('architecture', () => {
  it('imports point down the pipeline (collect → parse → model → analyze → render; cli on top)', () => {
    const result = cruise(process.cwd(), 'dist');
    expect(result.summary.totalCruised).toBeGreaterThan(50);
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('the check catches a wrong-way import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-arch-'));
    try {
      mkdirSync(join(dir, 'dist/model'), { recursive: true });
      mkdirSync(join(dir, 'dist/analyze'), { recursive: true });
      writeFileSync(join(dir, 'dist/analyze/engine.js'), 'export const x = 1;\n');
      writeFileSync(join(dir, 'dist/model/bad.js'), "import { x } from '../analyze/engine.js';\nexport const y = x;\n");
      const result = cruise(dir, 'dist');
      expect(result.summary.violations.map((v) => v.rule.name)).toContain('model-is-the-bottom');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
