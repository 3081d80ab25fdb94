import { describe, expect, it } from 'vitest';
import { describeExecFailure } from './exec-failure.js';

describe('describeExecFailure', () => {
  it('a missing tool is "not installed"', () => {
    expect(describeExecFailure({ ok: false, error: 'ENOENT', message: 'spawn nft ENOENT' }, true)).toEqual({ status: 'unavailable', reason: 'not installed', needsRoot: false });
  });
  it('a refusal for a normal user says run as root', () => {
    const res = { ok: true as const, code: 1, stdout: '', stderr: 'Operation not permitted (you must be root)\n' };
    expect(describeExecFailure(res, false)).toEqual({ status: 'unavailable', reason: 'permission denied: run as root', needsRoot: true });
    // As root the same words are an error worth reporting verbatim.
    expect(describeExecFailure(res, true)).toMatchObject({ status: 'error', reason: 'exit code 1: Operation not permitted (you must be root)' });
  });
  it('other failures keep the exit code and the message', () => {
    expect(describeExecFailure({ ok: true, code: 2, stdout: '', stderr: 'x'.repeat(500) }, true).reason.length).toBeLessThan(220);
    expect(describeExecFailure({ ok: false, error: 'ETIMEDOUT', message: 'nft did not finish' }, true)).toEqual({ status: 'error', reason: 'ETIMEDOUT: nft did not finish', needsRoot: false });
  });
});
