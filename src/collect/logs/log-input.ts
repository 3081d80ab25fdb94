/**
 * Log inputs as byte streams: plain or gzip files (by their magic bytes, not their name),
 * byte ranges of plain files (for worker threads), and standard input. Each is an async
 * iterable of Buffers in file order.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

export interface LogFileInfo {
  path: string;
  size: number;
  gzip: boolean;
  /** Last modification (ms since the epoch): when its last line was written. */
  mtime: number;
}

/** A log file could not be read; `code` is the errno or "gzip" for damaged compressed data. */
export class LogReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'LogReadError';
  }
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied (kernel logs are often readable by root or the adm group only)';
  if (code === 'EISDIR') return 'is a directory';
  if (code?.startsWith('Z_')) return `damaged gzip data (${(err as Error).message})`;
  return (err as Error).message;
}

export async function inspectLogFile(path: string): Promise<LogFileInfo> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const fh = await open(path, 'r');
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await fh.read(magic, 0, 2, 0);
      return { path, size: st.size, gzip: bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b, mtime: st.mtimeMs };
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new LogReadError(path, reasonOf(err));
  }
}

/**
 * The moment BSD stamps (no year) are read against: the file's mtime, since its last line was
 * written then (logrotate and gzip keep it), so a kern.log.1 spanning New Year read months
 * later still gets its two years right, as journald and rsyslog's readers do with the
 * receive time. An mtime that cannot be the last write (in the future, or 0 from an archive
 * that lost it) falls back to now.
 */
export function yearReference(file: LogFileInfo, now: Date): Date {
  return file.mtime > 0 && file.mtime <= now.getTime() + 86_400_000 ? new Date(file.mtime) : now;
}

const CHUNK = 1 << 20;

/**
 * The file's bytes (decompressed when gzip), or those of [start, end) for a plain file.
 * A chunk is valid only until the next one is asked for: plain files are read into two
 * buffers in turn (fresh buffers cost a page fault per 4 KiB, more CPU than the parse), so
 * a consumer that keeps bytes must copy them.
 */
export async function* readLogBytes(file: LogFileInfo, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
  if (file.gzip) yield* readGzip(file);
  else yield* readPlain(file, range?.start ?? 0, range?.end ?? Infinity);
}

async function* readGzip(file: LogFileInfo): AsyncGenerator<Buffer> {
  const raw = createReadStream(file.path, { highWaterMark: CHUNK });
  const stream = raw.pipe(createGunzip({ chunkSize: CHUNK }));
  raw.on('error', (err) => stream.destroy(err));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw new LogReadError(file.path, reasonOf(err));
  } finally {
    raw.destroy();
  }
}

/**
 * [start, end) of a plain file (to its end, as it is then, when `end` is Infinity). The next
 * chunk is read into the other buffer while the consumer works on this one.
 */
async function* readPlain(file: LogFileInfo, start: number, end: number): AsyncGenerator<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(file.path, 'r');
  } catch (err) {
    throw new LogReadError(file.path, reasonOf(err));
  }
  const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)];
  let turn = 0;
  let pos = start;
  const readInto = (buf: Buffer): Promise<number> => {
    if (pos >= end) return Promise.resolve(0);
    const read = fh.read(buf, 0, Math.min(CHUNK, end - pos), pos).then((r) => r.bytesRead);
    read.catch(() => 0); // handled when awaited; this keeps a failure during the consumer's turn from counting as unhandled
    return read;
  };
  let pending: Promise<number> | null = readInto(buffers[0]!);
  try {
    for (;;) {
      let n: number;
      try {
        n = await pending;
      } catch (err) {
        throw new LogReadError(file.path, reasonOf(err));
      }
      pending = null;
      if (n === 0) return;
      pos += n;
      const current = buffers[turn]!;
      turn ^= 1;
      pending = readInto(buffers[turn]!);
      yield current.subarray(0, n);
    }
  } finally {
    // A consumer that stops early (readLogHead) leaves a read in flight: let it land before closing.
    await pending?.catch(() => 0);
    await fh.close();
  }
}

/** The first `max` bytes of the (decompressed) file: enough to find its first time stamp. */
export async function readLogHead(file: LogFileInfo, max = 64 << 10): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of readLogBytes(file)) {
    parts.push(Buffer.from(chunk.subarray(0, max - n))); // a copy: the chunk's buffer is reused
    n += chunk.length;
    if (n >= max) break;
  }
  return Buffer.concat(parts);
}

/** The line that ends right before `offset` (without its newline): a worker's look-back. */
export async function lineBefore(path: string, offset: number): Promise<Buffer> {
  if (offset <= 0) return Buffer.alloc(0);
  const fh = await open(path, 'r');
  try {
    let want = 4096;
    for (;;) {
      const start = Math.max(0, offset - 1 - want);
      const buf = Buffer.alloc(offset - 1 - start);
      await fh.read(buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(10);
      if (nl >= 0 || start === 0) return buf.subarray(nl + 1);
      want *= 4;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Cut a plain file into about `parts` byte ranges that each start at a line start, so
 * workers can read them in parallel.
 */
export async function splitAtLines(file: LogFileInfo, parts: number): Promise<{ start: number; end: number }[]> {
  if (file.gzip || parts <= 1 || file.size < 1 << 20) return [{ start: 0, end: file.size }];
  const fh = await open(file.path, 'r');
  try {
    const cuts = [0];
    const probe = Buffer.alloc(64 << 10);
    for (let i = 1; i < parts; i++) {
      let at = Math.floor((file.size * i) / parts);
      if (at <= cuts.at(-1)!) continue;
      for (;;) {
        const { bytesRead } = await fh.read(probe, 0, probe.length, at);
        if (bytesRead === 0) { at = file.size; break; }
        const nl = probe.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) { at += nl + 1; break; }
        at += bytesRead;
      }
      if (at < file.size && at > cuts.at(-1)!) cuts.push(at);
    }
    return cuts.map((start, i) => ({ start, end: cuts[i + 1] ?? file.size }));
  } finally {
    await fh.close();
  }
}

export async function* readStdin(stdin: NodeJS.ReadableStream = process.stdin): AsyncGenerator<Buffer> {
  for await (const chunk of stdin) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}
