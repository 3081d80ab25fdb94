/**
 * Why a command gave no usable output, in the words `unreadable` and FirewallSource use:
 * a missing tool is "not installed", a refusal for a normal user is
 * "permission denied: run as root".
 *
 * @module
 */
import type { ExecResult } from './host-io.js';

/** A failed command, classified. */
export interface ExecFailure {
  status: 'unavailable' | 'error';
  reason: string;
  /** True when running as root would help. */
  needsRoot: boolean;
}

const PERMISSION = /permission denied|operation not permitted|you must be root|must be run as root/i;

/** Describe a command that did not start or exited non-zero. */
export function describeExecFailure(res: ExecResult, root: boolean): ExecFailure {
  if (!res.ok) {
    if (res.error === 'ENOENT') return { status: 'unavailable', reason: 'not installed', needsRoot: false };
    if (res.error === 'EACCES') return { status: 'unavailable', reason: 'permission denied: cannot execute', needsRoot: !root };
    return { status: 'error', reason: `${res.error}: ${oneLine(res.message)}`, needsRoot: false };
  }
  const said = oneLine(res.stderr || res.stdout);
  if (!root && PERMISSION.test(res.stderr)) return { status: 'unavailable', reason: 'permission denied: run as root', needsRoot: true };
  return { status: 'error', reason: `exit code ${res.code}${said ? `: ${said}` : ''}`, needsRoot: false };
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? t.slice(0, 199) + '…' : t;
}
