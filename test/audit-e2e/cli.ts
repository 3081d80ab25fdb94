/**
 * Running the built CLI (dist/cli/bin.js) the way a user does, for the audit end-to-end
 * tests: argv in, exit code and output back, JSON reports parsed.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditReport, Finding } from '../../src/analyze/audit/types.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'dist/cli/bin.js');
export const SNAPSHOTS = join(REPO, 'test/fixtures/snapshots');
export const POLICIES = join(REPO, 'test/audit-e2e/policies');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node dist/cli/bin.js …args`, run from the repo root; never throws. */
export function portcullis(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The recorded snapshot of a scenario. */
export function snapshotPath(scenario: string): string {
  return join(SNAPSHOTS, `${scenario}.json`);
}

/** Why the CLI tests cannot run (no build), or null; loud when not null. */
export function cliSkipReason(): string | null {
  if (existsSync(BIN)) return null;
  const reason = `${BIN} not built (run: npx tsc -p tsconfig.json)`;
  console.warn(`\n!!! AUDIT E2E TESTS SKIPPED: ${reason}\n`);
  return reason;
}

/** `audit --format json` of files; throws (with stderr) on anything but exit 0 or 1. */
export function auditJson(snapshots: string[], extra: string[] = []): { code: number; report: AuditReport } {
  const r = portcullis(['audit', '--snapshot', ...snapshots, '--format', 'json', ...extra]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`audit exited ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as AuditReport };
}

/** Everything a finding says as evidence, as one searchable string. */
export function evidenceText(f: Finding): string {
  return [...f.evidence.facts, ...(f.evidence.decisions ?? []).map((d) => `${d.rule.backend} ${d.rule.chain}: ${d.rule.text}`)].join('\n');
}
