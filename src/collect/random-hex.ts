/**
 * Random hex digits for a name others must not guess (a temporary file in a shared folder),
 * read from /dev/urandom. node:crypto gives the same bytes, but loading it (16 modules and
 * OpenSSL's setup) cost a collect ~12 ms of CPU for six bytes (issue 8); it still answers
 * where /dev/urandom cannot be read.
 *
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** `bytes` random bytes as 2×`bytes` hex digits; `source` is where they are read first (tests name another). */
export async function randomHex(bytes: number, source = '/dev/urandom'): Promise<string> {
  const buf = Buffer.alloc(bytes);
  try {
    const fd = openSync(source, 'r');
    try {
      if (readSync(fd, buf, 0, bytes, null) === bytes) return buf.toString('hex');
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not there or not readable (not Linux, a bare chroot): node:crypto below.
  }
  const { randomBytes } = await import('node:crypto');
  return randomBytes(bytes).toString('hex');
}
