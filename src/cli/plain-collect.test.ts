import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from './errors.js';

// The collect command itself is not run here: what it is given is the question.
const runCollect = vi.fn(async () => 0);
vi.mock('./commands/collect.js', () => ({ runCollect }));

const { plainCollectOptions, runPlainCollect } = await import('./plain-collect.js');
const { main } = await import('./main.js');

const argv = (...args: string[]) => ['node', 'portcullis', ...args];

/** Command lines the fast way takes, and command lines it leaves to the command table. */
const PLAIN = [[], ['--out', 'snap.json'], ['--tool-timeout', '300'], ['--tool-timeout', '300', '--out', 'x/snap.json'], ['--out', 'a b.json', '--tool-timeout', 'abc']];
const NOT_PLAIN = [
  ['--out=snap.json'],
  ['--out'],
  ['--out', '-'],
  ['--out', '--help'],
  ['--out', 'a', '--out', 'b'],
  ['--help'],
  ['--db', 'store'],
  ['--out', 'a', '--imds'],
  ['--ssh', 'web-1'],
  ['extra'],
  ['--out', 'a', 'extra'],
  ['--tool-timeout', '-5'],
];

describe('plainCollectOptions', () => {
  it('reads collect with --out and --tool-timeout, each once, as separate arguments', () => {
    expect(plainCollectOptions(argv('collect'))).toEqual({});
    expect(plainCollectOptions(argv('collect', '--tool-timeout', '300', '--out', 'snap.json'))).toEqual({ toolTimeout: '300', out: 'snap.json' });
  });

  it.each(NOT_PLAIN)('leaves collect %s to the command table', (...args) => {
    expect(plainCollectOptions(argv('collect', ...args))).toBeNull();
  });

  it('leaves every other command to the command table', () => {
    expect(plainCollectOptions(argv('audit', '--out', 'r.json'))).toBeNull();
    expect(plainCollectOptions(argv('--version'))).toBeNull();
    expect(plainCollectOptions(argv())).toBeNull();
  });
});

describe('the fast way and the command table agree', () => {
  let stderr: string[];
  beforeEach(() => {
    runCollect.mockClear();
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(PLAIN)('collect %s: the options commander gives the command', async (...args) => {
    const fast = plainCollectOptions(argv('collect', ...args));
    expect(fast).not.toBeNull();
    expect(await main(argv('collect', ...args))).toBe(0);
    expect(runCollect).toHaveBeenCalledTimes(1);
    expect(runCollect.mock.calls[0]).toEqual([fast]);
  });

  it.each([
    ['bad input', new InputError('--tool-timeout: expected a number of seconds, got "abc"'), 2],
    ['a bug', new TypeError('x is undefined'), 3],
  ])('a failure (%s): the same exit code and message', async (_, err, code) => {
    runCollect.mockRejectedValueOnce(err);
    expect(await runPlainCollect({ toolTimeout: 'abc' })).toBe(code);
    const fast = stderr.splice(0);
    runCollect.mockRejectedValueOnce(err);
    expect(await main(argv('collect', '--tool-timeout', 'abc'))).toBe(code);
    expect(stderr).toEqual(fast);
    expect(fast.join('')).toContain(err.message);
  });
});
