/**
 * Everything the collector asks of the host, as function types, so tests pass fakes and
 * {@link realHostIO} is the one place that touches processes and files (hono's conninfo style).
 *
 * @module
 */

/** A command that ran (any exit code) or one that could not start. */
export type ExecResult =
  | { ok: true; code: number; stdout: string; stderr: string }
  /** Spawn failed or timed out: `error` is the errno code ("ENOENT", "EACCES", "ETIMEDOUT"). */
  | { ok: false; error: string; message: string };

/** The host as the collector sees it. */
export interface HostIO {
  /** Run argv directly (never through a shell), with `input` on its standard input when given. */
  exec(argv: readonly string[], input?: string): Promise<ExecResult>;
  /** Reject with an error carrying `code` ("ENOENT", "EACCES", …) as node:fs does. */
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  getuid(): number;
  geteuid(): number;
  hostname(): string;
  /** `uname -r`; null when unknown. */
  kernelRelease(): string | null;
  /** The time written as collectedAt. */
  now(): Date;
}

/** The errno code of a rejected fs call, or "EUNKNOWN". */
export function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** A short reason for an fs failure, as it goes into `unreadable`. */
export function fsReason(err: unknown): string {
  const code = errnoOf(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not present';
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : code;
}

/** EACCES or EPERM: a normal user was refused. */
export function isPermissionError(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'EACCES' || code === 'EPERM';
}
