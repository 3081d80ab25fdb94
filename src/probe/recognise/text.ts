/** Small byte-to-text helpers the recognisers share. */

/** Bytes as Latin-1 text: every byte maps to one character, nothing is lost or rejected. */
export function latin1(b: Buffer): string {
  return b.toString('latin1');
}

/** The first line of a reply, without its line end, cut at 200 characters; null when empty. */
export function firstLine(b: Buffer): string | null {
  const text = latin1(b);
  const end = text.search(/\r?\n/);
  const line = (end < 0 ? text : text.slice(0, end)).slice(0, 200);
  return line.length > 0 ? line : null;
}

/** True when the text ends with a line end (a line-based reply is complete). */
export function endsLine(b: Buffer): boolean {
  return b.length > 0 && b[b.length - 1] === 0x0a;
}

/** Last complete line of a reply (for multi-line replies like FTP's "220-…" then "220 …"). */
export function lastLine(b: Buffer): string {
  const lines = latin1(b).split(/\r?\n/).filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? '';
}

/**
 * A "code SP text" reply is complete (FTP, SMTP: RFC 959 §4.2, RFC 5321 §4.2.1): the last
 * line starts with three digits and a space.
 */
export function codeReplyComplete(b: Buffer): boolean {
  return endsLine(b) && /^\d{3}( |$)/.test(lastLine(b));
}

export function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A recognition with the fields that default. */
export function recognition(service: string, fields: Partial<import('../../model/probe.js').Recognition> = {}): import('../../model/probe.js').Recognition {
  return { service, product: null, auth: null, banner: null, facts: [], ...fields };
}
