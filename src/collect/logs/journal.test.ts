import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalArgs, readJournal } from './journal.js';
import { LogReadError } from './log-input.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for journalctl that prints its argv as a record, then a kernel record. */
function fake(name: string, exit = 0): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '{"ARGS":"%s"}\\n' "$*"\nprintf '{"__REALTIME_TIMESTAMP":"1796119209000000","_TRANSPORT":"kernel","MESSAGE":"x"}\\n'\necho oops >&2\nexit ${exit}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function collect(it: AsyncIterable<Buffer>): Promise<string> {
  let out = '';
  for await (const c of it) out += c.toString();
  return out;
}

describe('readJournal', () => {
  it('runs journalctl -k -o json with an argv (no shell) and streams its output', async () => {
    const out = await collect(readJournal({ command: fake('ok'), since: 1_796_119_200_500, until: 1_796_119_300_000 }));
    expect(out.split('\n')[0]).toBe('{"ARGS":"-k -o json --no-pager --since @1796119200 --until @1796119300"}');
    expect(out).toContain('"_TRANSPORT":"kernel"');
    expect(journalArgs({ follow: true })).toEqual(['-k', '-o', 'json', '--no-pager', '-f']);
  });

  it('says why when journalctl fails or is missing', async () => {
    await expect(collect(readJournal({ command: fake('fails', 1) }))).rejects.toThrow(/exit status 1: oops/);
    await expect(collect(readJournal({ command: join(dir, 'missing') }))).rejects.toBeInstanceOf(LogReadError);
  });
});
