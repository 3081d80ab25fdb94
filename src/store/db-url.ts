/**
 * The `--db` value: a folder path or `file:` URL is an embedded PGlite store in that folder;
 * `postgres://` or `postgresql://` is a PostgreSQL server. Passwords never reach a message.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors.js';

export type StoreLocation =
  | { kind: 'embedded'; folder: string; display: string }
  | { kind: 'server'; url: string; display: string };

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

export function parseStoreLocation(value: string): StoreLocation {
  const text = value.trim();
  if (text === '') throw new StoreError('bad-url', '--db "": expected a folder (./portcullis-db), file:./portcullis-db or postgres://user@host/database');
  if (/^postgres(ql)?:\/\//i.test(text)) {
    // node-postgres parses the rest (sockets: postgresql:///db?host=/run/postgresql, which WHATWG URL rejects).
    return { kind: 'server', url: text, display: redactUrl(text) };
  }
  if (/^file:/i.test(text)) {
    // file:relative/dir is relative to the working directory; file:///abs is absolute.
    const folder = text.startsWith('file://') ? fileURLToPath(text) : text.slice('file:'.length);
    if (folder === '') throw new StoreError('bad-url', `--db ${JSON.stringify(text)}: no folder after file:; expected file:./portcullis-db`);
    return { kind: 'embedded', folder, display: folder };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new StoreError('bad-url', `--db ${JSON.stringify(redactUrl(text))}: unsupported scheme; expected a folder (./portcullis-db), file:./portcullis-db or postgres://user@host/database`);
  }
  return { kind: 'embedded', folder: text, display: text };
}
