/**
 * A scratch network namespace for a user without root: `unshare --user --map-root-user --net`
 * makes a user namespace in which this user is root, with a network namespace of its own, and
 * `nsenter` runs each tool inside it. The kernel lets any user do this where unprivileged user
 * namespaces are allowed (Debian 12's default), and nf_tables accepts rules there from the
 * namespace's own root. Nothing is shared with the host's network: it is a fresh, empty one.
 *
 * A namespace lives as long as a process is in it, so a holder (`sleep infinity` exec'd by
 * unshare) keeps it between the steps; stopping the holder ends the namespace.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { readlink } from 'node:fs/promises';

/** A live user+network namespace: `enter(argv)` is the argv that runs inside it. */
export interface UserNamespace {
  enter(argv: readonly string[]): string[];
  stop(): Promise<void>;
}

const SETTLE_MS = 5_000;

/** Starts the holder and waits until it is in its new network namespace; null (with why) if the kernel refuses. */
export async function startUserNamespace(): Promise<{ ns: UserNamespace } | { error: string }> {
  const holder = spawn('unshare', ['--user', '--map-root-user', '--net', '--', 'sleep', 'infinity'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  holder.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => holder.once('close', () => resolve()));
  const spawned = await new Promise<Error | null>((resolve) => {
    holder.once('spawn', () => resolve(null));
    holder.once('error', (err) => resolve(err));
  });
  if (spawned) return { error: `unshare: ${spawned.message}` };
  const pid = holder.pid!;
  const stop = async (): Promise<void> => {
    if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    await exited;
  };
  const own = await readlink('/proc/self/ns/net');
  const until = Date.now() + SETTLE_MS;
  // unshare switches namespaces and then execs sleep: the holder is ready once its
  // network namespace is no longer ours.
  for (;;) {
    if (holder.exitCode !== null || holder.signalCode !== null) {
      await exited;
      return { error: (stderr.trim() || `unshare exited with status ${holder.exitCode}`).slice(0, 400) };
    }
    const theirs = await readlink(`/proc/${pid}/ns/net`).catch(() => own);
    if (theirs !== own) break;
    if (Date.now() > until) {
      await stop();
      return { error: 'unshare did not enter a new network namespace within 5 s' };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    ns: {
      enter: (argv) => ['nsenter', `--target=${pid}`, '--user', '--net', '--preserve-credentials', '--', ...argv],
      stop,
    },
  };
}
