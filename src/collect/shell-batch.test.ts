import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runShellBatch, shellBatchScript } from './shell-batch.js';

const OPTIONS = { timeoutMs: 5000, maxBuffer: 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } };

async function batch(commands: string[][], options = OPTIONS) {
  return Promise.all(await runShellBatch(commands, options));
}

/** The same command through execFile, as real-host-io runs a lone one. */
function alone(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(argv[0]!, argv.slice(1), { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr })),
  );
}

describe('runShellBatch', () => {
  it('gives each command its own stdout, stderr and exit code, as execFile does', async () => {
    const commands = [
      ['echo', 'a;b', '$HOME', "it's"],
      ['sh', '-c', 'printf "no newline"; printf "warn\\n" >&2; exit 3'],
      ['printf', '%s', 'é ü 日本'],
    ];
    const results = await batch(commands);
    expect(results).toEqual([
      { ok: true, code: 0, stdout: "a;b $HOME it's\n", stderr: '' },
      { ok: true, code: 3, stdout: 'no newline', stderr: 'warn\n' },
      { ok: true, code: 0, stdout: 'é ü 日本', stderr: '' },
    ]);
    for (const [i, argv] of commands.entries()) expect(results[i]).toEqual({ ok: true, ...(await alone(argv)) });
  });

  it('runs the commands at once: the first waits for a file only the second creates', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'pc-batch-')), 'flag');
    const [waiter, maker] = await batch([
      ['sh', '-c', `while [ ! -e '${flag}' ]; do sleep 0.05; done; echo seen`],
      ['touch', flag],
    ]);
    // One after another the first would never end and be stopped at the time limit.
    expect(waiter).toEqual({ ok: true, code: 0, stdout: 'seen\n', stderr: '' });
    expect(maker).toEqual({ ok: true, code: 0, stdout: '', stderr: '' });
    rmSync(dirname(flag), { recursive: true, force: true });
  });

  it('a missing tool is ENOENT, the others still run', async () => {
    expect(await batch([['portcullis-no-such-tool', '-x'], ['echo', 'ok']])).toEqual([
      { ok: false, error: 'ENOENT', message: 'spawn portcullis-no-such-tool ENOENT' },
      { ok: true, code: 0, stdout: 'ok\n', stderr: '' },
    ]);
  });

  it('stops a command past the time limit (ETIMEDOUT) without waiting for it', async () => {
    const [slow, quick] = await batch([['sleep', '30'], ['echo', 'quick']], { ...OPTIONS, timeoutMs: 3000 });
    expect(slow).toEqual({ ok: false, error: 'ETIMEDOUT', message: 'sleep did not finish within 3 s (signal SIGTERM)' });
    expect(quick).toEqual({ ok: true, code: 0, stdout: 'quick\n', stderr: '' });
  });

  it('reads output far larger than a pipe holds, byte for byte', async () => {
    const [big] = await batch([['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done']]);
    expect(big?.ok).toBe(true);
    const lines = (big as { stdout: string }).stdout.split('\n');
    expect(lines).toHaveLength(20001);
    expect(lines[19999]).toBe('line 19999');
  });

  it('output over maxBuffer is the error execFile gives', async () => {
    const [r] = await batch([['sh', '-c', 'head -c 5000 /dev/zero']], { ...OPTIONS, maxBuffer: 1000 });
    expect(r).toEqual({ ok: false, error: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', message: 'stdout maxBuffer length exceeded' });
  });

  it('leaves no temporary file behind', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('portcullis-exec-')).length;
    await batch([['echo', 'x'], ['echo', 'y']]);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('portcullis-exec-')).length).toBeLessThanOrEqual(before);
  });

  it('quotes every word: nothing in an argument reaches the shell', () => {
    const script = shellBatchScript([['echo', "'; touch /tmp/pwned; '", '$(id)', '`id`']]);
    expect(script).toContain(`'echo' ''\\''; touch /tmp/pwned; '\\''' '$(id)' '\`id\`'`);
  });
});
