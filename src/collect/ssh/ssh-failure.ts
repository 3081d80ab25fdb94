/**
 * Why a host could not be collected, from what ssh (or sudo) printed: a kind a program can
 * branch on, and a reason a person can act on, with ssh's own words.
 *
 * @module
 */

export type SshFailureKind = 'unreachable' | 'host-key' | 'auth' | 'sudo-password' | 'sudo' | 'timeout' | 'ssh-missing' | 'collector' | 'ssh';

export interface SshFailure {
  kind: SshFailureKind;
  message: string;
}

const RULES: readonly { kind: SshFailureKind; test: RegExp; advice: string }[] = [
  { kind: 'host-key', test: /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No (?:ED25519|RSA|ECDSA)? ?host key is known/i, advice: 'host key unknown or changed: check its fingerprint and add it to known_hosts (host key checking is never turned off)' },
  { kind: 'auth', test: /Permission denied \(|Too many authentication failures|no mutual signature/i, advice: 'key refused: the agent or ~/.ssh/config offers no key this host accepts (BatchMode: no password prompt)' },
  { kind: 'sudo-password', test: /sudo: (?:a password is required|a terminal is required)|sudo: .*no tty present/i, advice: 'sudo needs a password here (sudo -n); allow this user NOPASSWD for sh, or collect without --sudo' },
  { kind: 'sudo', test: /\bsudo: (?:command )?not found/i, advice: 'sudo is not installed on the target: collect without --sudo (as root, or as a user who can read less)' },
  { kind: 'sudo', test: /sudo: (?:.*not found|.* is not in the sudoers file|.*not allowed to execute)|sudoers|sorry, you must have a tty/i, advice: 'sudo refused' },
  { kind: 'unreachable', test: /Connection refused|No route to host|Network is unreachable|Could not resolve hostname|Connection timed out|Name or service not known|Connection closed by|Connection reset/i, advice: 'unreachable' },
];

/** The last lines ssh or the target printed, as one line. */
function said(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Warning: Permanently added/.test(l));
  const t = lines.slice(-3).join(' / ');
  return t.length > 300 ? t.slice(0, 299) + '…' : t;
}

/** Classify a failed run; `timeoutS` and whether anything arrived explain a timeout. */
export function describeSshFailure(run: { code: number | null; stderr: string; timedOut: boolean; spawnError: string | null; gotOutput: boolean }, timeoutS: number): SshFailure {
  if (run.spawnError === 'ENOENT') return { kind: 'ssh-missing', message: 'the OpenSSH client (ssh) is not installed here' };
  if (run.spawnError) return { kind: 'ssh', message: `could not start ssh: ${run.spawnError}` };
  const text = said(run.stderr);
  if (run.timedOut) {
    const phase = run.gotOutput ? 'the collector did not finish' : 'no answer';
    return { kind: 'timeout', message: `${phase} within ${timeoutS} s (ssh killed)${text ? `: ${text}` : ''}` };
  }
  for (const r of RULES) if (r.test.test(run.stderr)) return { kind: r.kind, message: `${r.advice}${text ? ` (${text})` : ''}` };
  if (run.code === 255) return { kind: 'ssh', message: `ssh failed${text ? `: ${text}` : ' (exit 255)'}` };
  return { kind: 'collector', message: `the collector failed on the target (exit ${run.code ?? 'killed'})${text ? `: ${text}` : ''}` };
}
