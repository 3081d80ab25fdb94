/**
 * The fast reading of canonical IPv4 text ("a.b.c.d", "a.b.c.d/len") straight into a
 * half-open range of numbers, char code by char code: no regular expression, no object per
 * address. Big sets (a million fail2ban bans, 200,000 country prefixes) are almost all this.
 *
 * It only ever accepts what the general parser (model/addr.ts) accepts, and reads it the same
 * way; anything else (leading zeros, dotted masks, ranges, IPv6, junk) answers false and the
 * caller takes the general parser, which decides validity and words the diagnostic.
 *
 * @module
 */

/**
 * Reads `text` into `out` as [lo, hi) and returns true, or returns false without meaning.
 * `fixedLength` null: the text may carry "/len" (default 32). A number: the text must be a
 * bare address, read as that prefix (ipset's `netmask`, nft's `{"prefix": …}` length).
 * `from`/`to` read a part of `text` without slicing it out.
 */
export function readIpv4Prefix(text: string, fixedLength: number | null, out: Float64Array, from = 0, to = text.length): boolean {
  const n = to;
  let i = from;
  let value = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= n || text.charCodeAt(i) !== 46 /* . */) return false;
      i++;
    }
    const start = i;
    let v = 0;
    while (i < n && i - start < 4) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    // Leading zeros are octal to some readers: the general parser decides those.
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48) || v > 255) return false;
    value = value * 256 + v;
  }
  let length = 32;
  if (fixedLength !== null) {
    if (i !== n || !Number.isInteger(fixedLength) || fixedLength < 0 || fixedLength > 32) return false;
    length = fixedLength;
  } else if (i < n) {
    if (text.charCodeAt(i) !== 47 /* / */) return false;
    i++;
    const start = i;
    length = 0;
    while (i < n && i - start < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      length = length * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (i !== n || digits === 0 || digits > 2 || (digits > 1 && text.charCodeAt(start) === 48) || length > 32) return false;
  }
  // Host bits cleared, as the kernel (and parseCidr) does for 192.0.2.7/24.
  const size = 2 ** (32 - length);
  const base = value - (value % size);
  out[0] = base;
  out[1] = base + size;
  return true;
}
