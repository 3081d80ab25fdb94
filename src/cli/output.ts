/**
 * Where reports go: standard output, or `--out FILE`. A regular file (or a missing path) is
 * written atomically (a crash leaves the old file or the new one, never half of one); a
 * symbolic link is followed and its target replaced; a character device or FIFO is written
 * through, never replaced (so are sockets); anything else, and any path that is one of the inputs, is
 * refused (README, "--out and special files").
 *
 * @module
 */
import { type FileHandle, open, realpath, stat, lstat } from 'node:fs/promises';
import { type Stats, writeSync } from 'node:fs';
import { writeFileAtomic } from '../collect/index.js';
import { isHighSurrogate } from '../model/utf16.js';
import { InputError } from './errors.js';

type Target = { kind: 'replace'; path: string } | { kind: 'write-through'; path: string };

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/** Decide how to write `out`, or refuse (InputError) before anything is touched. */
export async function outputTarget(out: string, inputs: readonly string[] = []): Promise<Target> {
  const link = await statOrNull(out, false);
  if (!link) return { kind: 'replace', path: out };
  const st = await statOrNull(out, true);
  if (!st) throw new InputError(`refusing to write ${out}: it is a symbolic link that points nowhere`);
  for (const input of inputs) {
    const other = await stat(input).catch(() => null);
    if (other && other.dev === st.dev && other.ino === st.ino) {
      throw new InputError(`refusing to write ${out}: it is also an input (${input}); the report would destroy it`);
    }
  }
  // A link to a regular file: replace the file it points to, keep the link.
  if (st.isFile()) return { kind: 'replace', path: link.isSymbolicLink() ? await realpath(out) : out };
  // /dev/stdout links to a pipe or socket with no path: write through the link itself (a
  // listening socket's file cannot be opened: that is a write error, and it stays).
  if (st.isCharacterDevice() || st.isFIFO() || st.isSocket()) return { kind: 'write-through', path: out };
  const what = st.isDirectory() ? 'a directory' : st.isBlockDevice() ? 'a block device' : 'not a regular file';
  throw new InputError(`refusing to write ${out}: it is ${what}; expected a regular file, a missing path, a character device, a FIFO or a socket`);
}

/** The descriptor a path names (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/3`), or null. */
function descriptorOf(path: string): number | null {
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : null;
}

/**
 * A report is one string, or pieces to write one after another: a large report in pieces is
 * never one string, nor one UTF-8 copy of it (issue 8). A piece never splits a character.
 */
export type ReportText = string | readonly string[] | PieceSource;

/**
 * Pieces made on demand: `each` hands every piece to `emit` as it is made. A file takes each
 * as it comes, so neither the report nor its pieces are ever held whole (issue 8).
 */
export interface PieceSource {
  each(emit: (piece: string) => void): void;
}

/** The report as one string (its pieces joined): for callers that hold it, not write it. */
export function reportTextString(text: ReportText): string {
  return typeof text === 'string' ? text : piecesOf(text).join('');
}

function piecesOf(text: ReportText): readonly string[] {
  if (typeof text === 'string') return [text];
  if (!('each' in text)) return text;
  const pieces: string[] = [];
  text.each((piece) => pieces.push(piece));
  return pieces;
}

/** Bytes gathered before each write to a file: a few large writes, not one per 64 KB piece. */
const FILE_WRITE_BYTES = 1 << 20;

/**
 * Write the pieces to an open regular file one after another, encoded into one reused buffer:
 * the report never exists as one buffer. Joining the 133 MB report of the 1,000-listener host
 * into one for the atomic write cost 425 ms and 133 MB more memory (issue 8). Synchronous
 * writes, so a {@link PieceSource} can hand pieces over while it makes them: the file is our
 * own temporary file, never a pipe that waits for a reader.
 */
export async function writePiecesToFile(file: FileHandle, text: ReportText, bufferBytes = FILE_WRITE_BYTES): Promise<void> {
  const buffer = Buffer.allocUnsafe(bufferBytes);
  let used = 0;
  const writeAll = (bytes: Uint8Array, length: number): void => {
    for (let at = 0; at < length; ) at += writeSync(file.fd, bytes, at, length - at);
  };
  // Up to 3 UTF-8 bytes per UTF-16 unit (a surrogate pair is 2 units, 4 bytes).
  const step = Math.floor(buffer.length / 3);
  const add = (piece: string): void => {
    const most = piece.length * 3;
    if (used + most > buffer.length) {
      writeAll(buffer, used);
      used = 0;
    }
    if (most <= buffer.length) used += buffer.write(piece, used, 'utf8');
    else if (step >= 2) {
      for (let at = 0; at < piece.length; ) at = addSlice(piece, at);
      // Written out whole before the next piece is made, as a piece written on its own was.
      writeAll(buffer, used);
      used = 0;
    } else {
      const bytes = Buffer.from(piece, 'utf8');
      writeAll(bytes, bytes.length);
    }
  };
  /**
   * A piece larger than the buffer (a report rendered as one string: html, text, sarif) goes
   * through it slice by slice: encoded whole, a 5 MB page was a new 5 MB buffer, its pages
   * touched for the first time (issue 8). Returns where the next slice starts.
   */
  const addSlice = (piece: string, at: number): number => {
    let end = Math.min(at + step, piece.length);
    // Never between the halves of a surrogate pair: each alone would be written as U+FFFD.
    if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end--;
    if (used + (end - at) * 3 > buffer.length) {
      writeAll(buffer, used);
      used = 0;
    }
    used += buffer.write(piece.slice(at, end), used, 'utf8');
    return end;
  };
  if (typeof text === 'object' && 'each' in text) text.each(add);
  else for (const piece of piecesOf(text)) add(piece);
  writeAll(buffer, used);
}

/**
 * Write the pieces to `stream` one after another, each queued only once the stream has taken
 * the one before (its 'drain'); resolves once the last is handed over. Why not queue them all:
 * a pipe to a slow reader (`| less`, `| jq`) makes Node buffer every piece and hand them to one
 * writev, which Node refuses when their text could exceed 2 GiB as UTF-8 (`write ENOBUFS`,
 * a 768 MB report cut short at 1 MB and a stack trace), and which holds a copy of the report.
 */
export async function writePieces(stream: NodeJS.WritableStream, text: ReportText): Promise<void> {
  for (const piece of piecesOf(text)) {
    if (!stream.write(piece)) await drained(stream);
  }
  await new Promise<void>((resolve, reject) => stream.write('', (err) => (err ? reject(err) : resolve())));
}

/** Resolves on the stream's next 'drain', or when it closes or fails (its own error handler reports that). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** Standard output, piece by piece; resolves once the last piece is handed over. */
function writeStdout(text: ReportText): Promise<void> {
  return writePieces(process.stdout, text);
}

/** Write to an existing device or FIFO as it is (`/dev/stdout`, a pipe): never replace it. */
async function writeThrough(path: string, text: ReportText): Promise<void> {
  const fd = descriptorOf(path);
  // Our own descriptors are written as they are: a socket behind /dev/stdout cannot be reopened.
  if (fd === 1) return writeStdout(text);
  if (fd !== null) {
    for (const piece of piecesOf(text)) writeSync(fd, piece);
    return;
  }
  const handle = await open(path, 'w');
  try {
    // writeFile on a handle goes on from where the last one stopped; a FIFO's reader may be slow.
    for (const piece of piecesOf(text)) await handle.writeFile(piece);
  } finally {
    await handle.close();
  }
}

/** Write `text` to `out` (standard output when absent or "-"); `inputs` are the files the command read. */
export async function writeOutput(out: string | undefined, text: ReportText, inputs: readonly string[] = []): Promise<void> {
  if (!out || out === '-') return writeStdout(text);
  const target = await outputTarget(out, inputs);
  try {
    if (target.kind === 'write-through') await writeThrough(target.path, text);
    // A report in one string too: the writer's buffer takes it slice by slice.
    else await writeFileAtomic(target.path, (file) => writePiecesToFile(file, text));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A report made while it is written can fail as it is made: a renderer's bug is no write
    // error, and stays an internal one (exit 3); the temporary file is gone either way.
    if (code === undefined) throw err;
    const reason = code === 'ENOSPC' ? 'no space left on device' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such directory' : code === 'ENXIO' ? 'no reader on the other side (a socket file cannot be opened)' : (err as Error).message;
    throw new InputError(`cannot write ${out}: ${reason}`);
  }
}
