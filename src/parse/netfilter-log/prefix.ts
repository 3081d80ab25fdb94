/**
 * The log prefix decides drop or not: a line is a drop unless its prefix says ALLOW, ACCEPT
 * or AUDIT (ufw writes `[UFW AUDIT INVALID]` right before the `[UFW BLOCK]` of the same
 * packet, so counting both would count it twice). Words match case-insensitively and whole
 * (letters on neither side), so `DISALLOWED` stays a drop.
 *
 * @module
 */

const WORDS = ['ALLOW', 'ACCEPT', 'AUDIT'].map((w) => Array.from(w, (c) => c.charCodeAt(0)));

function isLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 65 && b <= 90) || (b >= 97 && b <= 122));
}

/** True when bytes [start, end) name no ALLOW/ACCEPT/AUDIT word. */
export function prefixIsDrop(buf: Uint8Array, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const b = buf[p]! & 0xdf; // upper-case ASCII letters
    if (b !== 65) continue; // every word starts with A
    if (p > start && isLetter(buf[p - 1])) continue;
    for (const word of WORDS) {
      const stop = p + word.length;
      if (stop > end) continue;
      let k = 1;
      while (k < word.length && (buf[p + k]! & 0xdf) === word[k]) k++;
      if (k === word.length && !(stop < end && isLetter(buf[stop]))) return false;
    }
  }
  return true;
}
