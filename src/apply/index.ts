/**
 * Applying rules with an automatic way back: backup of every backend, atomic load, and a
 * detached guard that restores the backup unless confirmed in time (impure; apart from the
 * pure layers; returns what it touched).
 *
 * @module
 */
export { resolveApplyInput, type ApplyInput, type RulesFile } from './apply-input.js';
export { applyRuleset, type ApplyDeps, type ApplyReport } from './apply-ruleset.js';
export { confirmApply, rollbackApply } from './confirm-rollback.js';
export { ApplyError, type ApplyErrorKind } from './errors.js';
export type { PreviewRuleset, ProofVerdict, ProveRuleset } from './proof-step.js';
export { takeDumps, DUMP_IDS, type DumpId, type RulesetDumps } from './ruleset-dumps.js';
export { restoreDumps, differingDumps, normalisedDump, type RestoreResult } from './restore.js';
export { planRestore, type RestorePlan, type RestoreStep } from './restore-plan.js';
export { realRunCommand, type RunCommand } from './run-command.js';
export { spawnDetachedGuard, type SpawnGuard } from './spawn-guard.js';
export { statePaths, readGuardLock, readOutcome, readManifest, type ApplyOutcome, type BackupManifest, type GuardLock } from './state-files.js';
export { schemaProblem } from './schema-check.js';
