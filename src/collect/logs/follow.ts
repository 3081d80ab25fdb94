/**
 * `--follow` on a file: keep reading as it grows, reopen it when it is rotated (a new inode
 * at the path: the rest of the old file is read first), start over when it is truncated.
 *
 * @module
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowOptions {
  /** Poll interval in ms. */
  interval?: number;
  /** Start at the end (like `tail -f` with no history) instead of the beginning. */
  fromEnd?: boolean;
  signal?: AbortSignal;
}

async function drain(fh: FileHandle, from: number, out: Buffer[]): Promise<number> {
  const buf = Buffer.alloc(1 << 20);
  let pos = from;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return pos;
    out.push(Buffer.from(buf.subarray(0, bytesRead)));
    pos += bytesRead;
  }
}

/** Chunks of the file at `path` as it grows; ends when `signal` aborts. */
export async function* followFile(path: string, opts: FollowOptions = {}): AsyncGenerator<Buffer> {
  const interval = opts.interval ?? 250;
  let fh: FileHandle | null = null;
  let ino = -1;
  let pos = 0;
  let first = true;
  try {
    while (!opts.signal?.aborted) {
      const st = await stat(path).catch(() => null);
      if (st && st.ino !== ino) {
        // Rotated (or first open): finish the old file, then read the new one from its start.
        if (fh) {
          const rest: Buffer[] = [];
          await drain(fh, pos, rest);
          for (const c of rest) yield c;
          await fh.close();
        }
        fh = await open(path, 'r').catch(() => null);
        ino = fh ? st.ino : -1;
        pos = first && opts.fromEnd ? st.size : 0;
        first = false;
      } else if (st && fh && st.size < pos) {
        pos = 0; // truncated in place (copytruncate)
      }
      if (fh) {
        const out: Buffer[] = [];
        pos = await drain(fh, pos, out);
        for (const c of out) yield c;
      }
      await sleep(interval, undefined, opts.signal ? { signal: opts.signal } : undefined).catch(() => undefined);
    }
  } finally {
    await fh?.close();
  }
}
