/**
 * The fast reading of plain IPv6 text ("2001:db8::1", "2001:db8::/32") straight into a
 * half-open range of bigints, char code by char code: ipaddr.js checks and then parses each
 * address (~6 µs), which a big fail2ban set of IPv6 bans pays per entry.
 *
 * It only ever accepts what the general parser (model/addr.ts) accepts, and reads it the same
 * way; anything else (zone ids, embedded IPv4, leading zeros in the length, ranges, junk)
 * answers null and the caller takes the general parser, which decides validity and words
 * the diagnostic.
 *
 * @module
 */

const groups = new Uint16Array(8);

/** Value of a hex digit's char code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * `text` as [lo, hi), or null without meaning. `fixedLength` null: the text may carry "/len"
 * (default 128). A number: the text must be a bare address, read as that prefix (ipset's
 * `netmask`).
 */
export function readIpv6Prefix(text: string, fixedLength: number | null): [bigint, bigint] | null {
  const n = text.length;
  let i = 0;
  let count = 0;
  // Where "::" stands, as a count of the groups before it; -1 when absent.
  let gap = -1;
  if (n >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < n && text.charCodeAt(i) !== 47 /* / */) {
    if (count === 8) return null;
    let v = 0;
    const start = i;
    for (; i < n && i - start < 5; i++) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
    }
    if (i === start || i - start > 4) return null;
    groups[count++] = v;
    if (i === n || text.charCodeAt(i) === 47) break;
    if (text.charCodeAt(i) !== 58 /* : */) return null;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return null;
      gap = count;
      i++;
      if (i === n || text.charCodeAt(i) === 47) break;
    } else if (i === n || text.charCodeAt(i) === 47) return null; // a trailing single ":"
  }
  if (gap < 0 ? count !== 8 : count > 7) return null;
  let length = 128;
  if (fixedLength !== null) {
    if (i !== n || !Number.isInteger(fixedLength) || fixedLength < 0 || fixedLength > 128) return null;
    length = fixedLength;
  } else if (i < n) {
    i++; // the "/"
    const start = i;
    length = 0;
    for (; i < n && i - start < 4; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      length = length * 10 + (c - 48);
    }
    const digits = i - start;
    if (i !== n || digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48) || length > 128) return null;
  }
  // The groups in place: those after "::" move to the end, zeros between.
  const words = [0, 0, 0, 0];
  const tail = gap < 0 ? 0 : count - gap;
  for (let k = 0; k < count; k++) {
    const at = gap < 0 || k < gap ? k : 8 - tail + (k - gap);
    words[at >> 1]! += at & 1 ? groups[k]! : groups[k]! * 65536;
  }
  const value = (BigInt(words[0]!) << 96n) | (BigInt(words[1]!) << 64n) | (BigInt(words[2]!) << 32n) | BigInt(words[3]!);
  // Host bits cleared, as the kernel (and parseCidr) does.
  const size = 1n << BigInt(128 - length);
  const base = value & ~(size - 1n);
  return [base, base + size];
}
