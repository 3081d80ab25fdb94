import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

const values = (line: string) => {
  const r = tokenize(line);
  if (!r.ok) throw new Error(`unbalanced at ${r.column}`);
  return r.tokens.map((t) => t.value);
};

describe('tokenize', () => {
  it('splits on blanks and tabs, ignoring runs and a trailing CR', () => {
    expect(values('-A  INPUT\t-j ACCEPT \r')).toEqual(['-A', 'INPUT', '-j', 'ACCEPT']);
  });
  it('groups a quoted comment into one word and marks it quoted', () => {
    const r = tokenize('--comment "allow web traffic" -j ACCEPT');
    expect(r.ok && r.tokens.map((t) => [t.value, t.quoted])).toEqual([
      ['--comment', false],
      ['allow web traffic', true],
      ['-j', false],
      ['ACCEPT', false],
    ]);
  });
  it('unescapes \\" and \\\\ as iptables-save writes them', () => {
    expect(values(String.raw`--comment "say \"hi\" \\ bye"`)).toEqual(['--comment', 'say "hi" \\ bye']);
    expect(values(String.raw`--comment "\'dapp_OpenSSH\'"`)).toEqual(['--comment', "'dapp_OpenSSH'"]);
  });
  it('keeps an empty quoted word and joins adjacent quoted parts', () => {
    expect(values('--log-prefix "" -j LOG')).toEqual(['--log-prefix', '', '-j', 'LOG']);
    expect(values('a"b c"d')).toEqual(['ab cd']);
  });
  it('gives source offsets including the quotes', () => {
    const line = '-m comment --comment "a b"';
    const r = tokenize(line);
    expect(r.ok && line.slice(r.tokens[3]!.start, r.tokens[3]!.end)).toBe('"a b"');
  });
  it('reports the column of an unterminated quote', () => {
    expect(tokenize('--comment "oops -j ACCEPT')).toEqual({ ok: false, column: 11 });
  });
});
