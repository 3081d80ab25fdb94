import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from './parse.js';
import { UnreadLines } from './unread-lines.js';

function linesOf(u: UnreadLines): [number, string][] {
  const out: [number, string][] = [];
  u.forEach((line, raw) => out.push([line, raw]));
  return out;
}

describe('UnreadLines', () => {
  it('gives back each line as written, with its number, across runs and gaps', () => {
    const text = 'a1\r\na2\n\nb\na3\na4';
    const u = new UnreadLines(text);
    u.add(0, 3, 1); // "a1\r"
    u.add(4, 6, 2); // "a2": same run
    u.add(10, 12, 5); // "a3": a new run after a gap
    u.add(13, 15, 6); // "a4": last line, no newline
    expect(u.length).toBe(4);
    expect(linesOf(u)).toEqual([
      [1, 'a1\r'],
      [2, 'a2'],
      [5, 'a3'],
      [6, 'a4'],
    ]);
  });

  it('holds what a deferred parse sets aside: interleaved chains, blank and indented lines, CRLF, no final newline', () => {
    const dump = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':a - [0:0]',
      ':b - [0:0]',
      '-A a -s 192.0.2.1/32 -j DROP',
      '-A a -s 192.0.2.2/32 -j DROP\r',
      '',
      '# between',
      '-A a -s 192.0.2.3/32 -j DROP',
      '-A b -j ACCEPT',
      '  -A a -s 192.0.2.4/32 -j DROP',
      '-A a -s 192.0.2.5/32 -j DROP',
      'COMMIT',
    ].join('\n');
    const chains = parseIptablesSave(dump, 'x', { deferUserChains: true }).value.tables[0]!.chains;
    expect(linesOf(chains.get('a')!.unread!)).toEqual([
      [5, '-A a -s 192.0.2.1/32 -j DROP'],
      [6, '-A a -s 192.0.2.2/32 -j DROP\r'],
      [9, '-A a -s 192.0.2.3/32 -j DROP'],
      [11, '  -A a -s 192.0.2.4/32 -j DROP'],
      [12, '-A a -s 192.0.2.5/32 -j DROP'],
    ]);
    expect(linesOf(chains.get('b')!.unread!)).toEqual([[10, '-A b -j ACCEPT']]);
  });

  it('names the last line of a dump cut short, with or without its newline', () => {
    for (const end of ['', '\n']) {
      const parsed = parseIptablesSave(`*filter\n:a - [0:0]\n-A a -j DROP${end}`, 'x', { deferUserChains: true });
      expect(parsed.diagnostics.map((d) => [d.code, d.location?.line, d.input])).toEqual([['parse.truncated', 3, '-A a -j DROP']]);
    }
  });
});
