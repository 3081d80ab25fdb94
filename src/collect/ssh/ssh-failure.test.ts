import { describe, expect, it } from 'vitest';
import { describeSshFailure } from './ssh-failure.js';

const failed = (stderr: string, code: number | null = 255) => describeSshFailure({ code, stderr, timedOut: false, spawnError: null, gotOutput: false }, 120);

describe('describeSshFailure: what OpenSSH 9 and sudo print, classified', () => {
  it('names the kind and keeps ssh\'s own words', () => {
    expect(failed('root@198.18.0.10: Permission denied (publickey).\n')).toMatchObject({ kind: 'auth', message: expect.stringContaining('Permission denied (publickey)') });
    expect(failed('No ED25519 host key is known for 198.18.0.10 and you have requested strict checking.\nHost key verification failed.\n')).toMatchObject({ kind: 'host-key' });
    expect(failed('@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n')).toMatchObject({ kind: 'host-key' });
    expect(failed('ssh: connect to host 198.18.0.11 port 2222: Connection refused\n')).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('port 2222: Connection refused') });
    expect(failed('ssh: Could not resolve hostname web-9: Name or service not known\n')).toMatchObject({ kind: 'unreachable' });
    expect(failed('sudo: a password is required\n', 1)).toMatchObject({ kind: 'sudo-password', message: expect.stringContaining('sudo -n') });
    expect(failed('fleet is not in the sudoers file.  This incident will be reported.\nsudo: fleet is not in the sudoers file\n', 1)).toMatchObject({ kind: 'sudo' });
    expect(failed('sh: 1: sudo: not found\n', 127)).toMatchObject({ kind: 'sudo', message: expect.stringMatching(/^sudo is not installed on the target/) });
    expect(failed('Warning: Permanently added \'x\' (ED25519) to the list of known hosts.\nportcullis: cannot create the temporary directory /tmp/x\n', 70)).toEqual({ kind: 'collector', message: 'the collector failed on the target (exit 70): portcullis: cannot create the temporary directory /tmp/x' });
    expect(failed('kex_exchange_identification: read: Connection reset by peer\n')).toMatchObject({ kind: 'unreachable' });
    expect(failed('', 255)).toEqual({ kind: 'ssh', message: 'ssh failed (exit 255)' });
  });
  it('timeouts say whether the host answered at all; a missing ssh is named', () => {
    expect(describeSshFailure({ code: null, stderr: '', timedOut: true, spawnError: null, gotOutput: false }, 5)).toEqual({ kind: 'timeout', message: 'no answer within 5 s (ssh killed)' });
    expect(describeSshFailure({ code: null, stderr: '', timedOut: true, spawnError: null, gotOutput: true }, 5).message).toMatch(/^the collector did not finish within 5 s/);
    expect(describeSshFailure({ code: null, stderr: '', timedOut: false, spawnError: 'ENOENT', gotOutput: false }, 5)).toMatchObject({ kind: 'ssh-missing' });
  });
});
