import { describe, expect, it } from 'vitest';
import { realHostIO } from './real-host-io.js';

describe('realHostIO', () => {
  const io = realHostIO({ timeoutMs: 500 });
  it('runs argv without a shell', async () => {
    expect(await io.exec(['echo', 'a;b', '$HOME'])).toEqual({ ok: true, code: 0, stdout: 'a;b $HOME\n', stderr: '' });
  });
  it('a non-zero exit is a result, not an error', async () => {
    expect(await io.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ ok: true, code: 3, stdout: 'out\n', stderr: 'err\n' });
  });
  it('a missing tool is ENOENT', async () => {
    expect(await io.exec(['portcullis-no-such-tool'])).toMatchObject({ ok: false, error: 'ENOENT' });
  });
  it('a hung tool is stopped', async () => {
    expect(await io.exec(['sleep', '10'])).toMatchObject({ ok: false, error: 'ETIMEDOUT' });
  });
  it('commands run at once give what each gives alone', async () => {
    const patient = realHostIO({ timeoutMs: 30_000 });
    const commands = [['echo', 'a;b', '$HOME'], ['sh', '-c', 'printf out; echo err >&2; exit 3'], ['portcullis-no-such-tool']];
    const together = await Promise.all(commands.map((argv) => patient.exec(argv)));
    const alone = [];
    for (const argv of commands) alone.push(await patient.exec(argv));
    expect(together).toEqual(alone);
    expect(together[1]).toEqual({ ok: true, code: 3, stdout: 'out', stderr: 'err\n' });
  });
  it('fs errors carry their code', async () => {
    await expect(io.readFile('/nonexistent/x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await io.readlink('/proc/self/exe')).toMatch(/node/);
    expect(io.hostname()).not.toBe('');
  });
});
