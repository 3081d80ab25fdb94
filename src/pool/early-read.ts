/**
 * A snapshot file read from the moment the CLI starts, for the command that reads it later
 * (issue 8). Reading a 40 MB snapshot takes ~100 ms on this project's VM (every page of its
 * buffer is new to the process), and the main thread spent them idle, after ~100 ms of
 * loading the CLI's code: started first, the read runs on libuv's thread pool while the code
 * loads. It is one read into a buffer of the file's size: `readFile` reads 512 KB at a time,
 * each piece asked for by the main thread, which is busy loading code. Only a regular file is
 * read early (a FIFO could block a read nobody takes, and keep the process alive); any failure,
 * or a file that changed size meanwhile, is left to the command's own read.
 *
 * @module
 */
import { open, readFile, stat } from 'node:fs/promises';

/** Smaller files are read when asked: an early read would save next to nothing. */
const EARLY_MIN_BYTES = 1 << 20;

let early: { path: string; bytes: Promise<Buffer | null> } | null = null;

/** Start reading `path` now, if it is a regular file of at least a megabyte. */
export function readEarly(path: string): void {
  early = { path, bytes: readWhole(path).catch(() => null) };
}

/** The whole of a regular file of at least {@link EARLY_MIN_BYTES}, in one read; null otherwise. */
async function readWhole(path: string): Promise<Buffer | null> {
  // By path first: opening a FIFO would wait for a writer.
  const before = await stat(path);
  if (!before.isFile() || before.size < EARLY_MIN_BYTES) return null;
  const file = await open(path, 'r');
  try {
    const size = before.size;
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await file.read(bytes, done, size - done, done);
      if (bytesRead === 0) return null;
      done += bytesRead;
    }
    // Grown since: the command reads it again, whole.
    const { bytesRead } = await file.read(Buffer.alloc(1), 0, 1, size);
    return bytesRead === 0 ? bytes : null;
  } finally {
    await file.close();
  }
}

/** The file's bytes: those read early when the early read was of this path (taken once), else read now. */
export async function readSnapshotBytes(path: string): Promise<Buffer> {
  const mine = early !== null && early.path === path ? early.bytes : null;
  if (mine !== null) early = null;
  return (await mine) ?? readFile(path);
}
