import { describe, expect, it } from 'vitest';
import { parseAddr } from '../../model/addr.js';
import { atom } from './values.js';

/** The dotted-quad reading atom had as a regex: the hand-written reader must agree on every text. */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
function byRegex(v: string): readonly [number, number] | null | 'other' {
  const q = DOTTED_QUAD.exec(v);
  if (!q) return 'other';
  const [a, b, c, d] = [Number(q[1]), Number(q[2]), Number(q[3]), Number(q[4])];
  if (a > 255 || b > 255 || c > 255 || d > 255) return null;
  const n = a * 16777216 + b * 65536 + c * 256 + d;
  return [n, n + 1];
}

describe('IPv4 address atoms', () => {
  it('read dotted quads exactly as the pattern did, and leave other spellings to the address parser', () => {
    const texts = ['10.244.0.32', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3.999', '1.2.3.1000', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.', '1.2.3.4.5', '.1.2.3', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4/24', '1.2.3.4-1.2.3.9', '', 'a.b.c.d', '1.2.3.4\n', '::1', '0.0.0.00'];
    // And random texts over the characters that matter.
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let k = 0; k < 3000; k++) texts.push(Array.from({ length: 1 + rand(16) }, () => '0123456789.'[rand(11)]).join(''));
    for (const v of texts) {
      const want = byRegex(v);
      const got = atom('addr', 'ipv4', v);
      if (want === 'other') {
        // Not a dotted quad: what the general address parsers make of it, as before.
        const a = v.includes('/') || v.includes('-') ? undefined : parseAddr(v);
        if (a !== undefined) expect(got, v).toEqual(a && a.family === 'ipv4' ? [a.value, (a.value as number) + 1] : null);
      } else expect(got, v).toEqual(want);
    }
    expect(atom('addr', 'ipv4', '10.244.0.32')).toEqual([183762976, 183762977]);
  });
});
