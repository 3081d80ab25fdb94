/**
 * The state dir's files and their shapes (schemas/apply-state.schema.json): the backup with
 * its manifest, guard.json (the armed guard, and the lock that refuses a second apply),
 * outcome.json (how the last one ended), and the request files confirm/rollback leave for
 * the guard. Every JSON is validated when read: a damaged state dir is an `input` error
 * naming the file and the JSON path, never a guess.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../collect/atomic-write.js';
import { VERSION } from '../version.js';
import { ApplyError } from './errors.js';
import { restoreByHandScript } from './by-hand-script.js';
import { schemaProblem } from './schema-check.js';
import { DUMP_IDS, DUMP_TOOLS, type DumpId, type RulesetDumps } from './ruleset-dumps.js';

export interface BackupManifest {
  kind: 'portcullis-apply-backup';
  version: 1;
  savedAt: string;
  tool: { name: 'portcullis'; version: string };
  netns: string;
  dumps: { dump: DumpId; command: string; file: string | null; sha256: string | null; bytes: number | null }[];
}

export type GuardPhase = 'arming' | 'armed' | 'restoring';

export interface GuardLock {
  kind: 'portcullis-apply-guard';
  version: 1;
  phase: GuardPhase;
  pid: number;
  startTime: string;
  netns: string;
  createdAt: string;
  deadline: string | null;
  confirmWithinSeconds?: number;
  applied: { path: string; files: string[] };
}

export type OutcomeReason = 'confirmed' | 'timeout' | 'rollback-requested' | 'load-failed' | 'signal';

export interface ApplyOutcome {
  kind: 'portcullis-apply-outcome';
  version: 1;
  at: string;
  result: 'kept' | 'rolled-back' | 'restore-failed';
  reason: OutcomeReason;
  touched: string[];
  failures: string[];
  differences: DumpId[];
  inexact: string[];
  /** Rolled back: when the restore's last step finished, before the check of the result. */
  rulesBackAt?: string;
}

/** Where everything lives inside the state dir. */
export function statePaths(dir: string) {
  return {
    dir,
    backupDir: join(dir, 'backup'),
    manifest: join(dir, 'backup', 'manifest.json'),
    guard: join(dir, 'guard.json'),
    outcome: join(dir, 'outcome.json'),
    confirmRequest: join(dir, 'confirm.request'),
    rollbackRequest: join(dir, 'rollback.request'),
    log: join(dir, 'guard.log'),
  };
}
export type StatePaths = ReturnType<typeof statePaths>;

/** Creates the state dir (0700: it holds the host's rules) or says why it cannot be used. */
export async function prepareStateDir(given: string): Promise<StatePaths> {
  // Absolute: the guard and the messages must not depend on the working directory.
  const dir = resolve(given);
  const paths = statePaths(dir);
  try {
    await mkdir(paths.backupDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ApplyError('input', `state dir ${dir}: cannot create it (${(err as Error).message}); expected a writable directory (--state-dir DIR or PORTCULLIS_STATE_DIR)`);
  }
  const s = await stat(dir);
  if (!s.isDirectory()) throw new ApplyError('input', `state dir ${dir}: not a directory`);
  return paths;
}

/** Parses and validates a state file; null when it does not exist. */
async function readStateJson<T extends { kind: string }>(file: string, kind: T['kind']): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ApplyError('input', `${file}: cannot read it (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ApplyError('input', `${file}: damaged state file, not JSON (${(err as Error).message}); expected ${kind} as portcullis apply writes it`);
  }
  const problem = schemaProblem('apply-state.schema.json', data);
  const wrongKind = (data as { kind?: unknown } | null)?.kind !== kind;
  if (problem || wrongKind) {
    const where = wrongKind ? '$.kind' : problem!.path;
    const why = wrongKind ? `"kind" is not "${kind}"` : problem!.message;
    throw new ApplyError('input', `${file} at ${where}: damaged state file (${why}); expected ${kind} as described by schemas/apply-state.schema.json`);
  }
  return data as T;
}

export const readGuardLock = (p: StatePaths) => readStateJson<GuardLock>(p.guard, 'portcullis-apply-guard');
export const readOutcome = (p: StatePaths) => readStateJson<ApplyOutcome>(p.outcome, 'portcullis-apply-outcome');
export const readManifest = (p: StatePaths) => readStateJson<BackupManifest>(p.manifest, 'portcullis-apply-backup');

/** Takes the lock: creates guard.json only if it does not exist (O_EXCL), so two applies cannot both win. */
export async function createGuardLock(p: StatePaths, lock: GuardLock): Promise<boolean> {
  try {
    const handle = await open(p.guard, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(lock, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export const writeGuardLock = (p: StatePaths, lock: GuardLock) => writeFileAtomic(p.guard, JSON.stringify(lock, null, 2) + '\n');
export const writeOutcome = (p: StatePaths, outcome: ApplyOutcome) => writeFileAtomic(p.outcome, JSON.stringify(outcome, null, 2) + '\n');
export const removeGuardLock = (p: StatePaths) => rm(p.guard, { force: true });

/** Saves every dump (fsync'd, atomic) and then the manifest that names them: a manifest never points at half a backup. */
export async function writeBackup(p: StatePaths, dumps: RulesetDumps, netns: string, now: Date): Promise<BackupManifest> {
  const entries: BackupManifest['dumps'] = [];
  for (const id of DUMP_IDS) {
    const text = dumps[id];
    const command = DUMP_TOOLS[id].save.join(' ');
    if (text === null) {
      entries.push({ dump: id, command, file: null, sha256: null, bytes: null });
      continue;
    }
    const file = `${id}.txt`;
    await writeFileAtomic(join(p.backupDir, file), text);
    entries.push({ dump: id, command, file, sha256: sha256(text), bytes: Buffer.byteLength(text) });
  }
  const manifest: BackupManifest = { kind: 'portcullis-apply-backup', version: 1, savedAt: now.toISOString(), tool: { name: 'portcullis', version: VERSION }, netns, dumps: entries };
  await writeFileAtomic(join(p.backupDir, 'restore-by-hand.sh'), restoreByHandScript(dumps, manifest.savedAt));
  await writeFileAtomic(p.manifest, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The saved dumps, each checked against the manifest's checksum. */
export async function readBackup(p: StatePaths): Promise<{ manifest: BackupManifest; dumps: RulesetDumps }> {
  const manifest = await readManifest(p);
  if (!manifest) throw new ApplyError('input', `${p.manifest}: no backup manifest; nothing to restore from`);
  const dumps = Object.fromEntries(DUMP_IDS.map((id) => [id, null])) as RulesetDumps;
  for (const [i, entry] of manifest.dumps.entries()) {
    if (entry.file === null) continue;
    const file = join(p.backupDir, entry.file);
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new ApplyError('input', `${p.manifest} at $.dumps[${i}]: ${file} cannot be read (${err.message})`);
    });
    if (sha256(text) !== entry.sha256) throw new ApplyError('input', `${file}: damaged backup (its sha256 is not the one ${p.manifest} recorded at $.dumps[${i}].sha256)`);
    dumps[entry.dump] = text;
  }
  return { manifest, dumps };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
