/**
 * Lets Debian's real ufw write its rules into the server namespace only.
 *
 * ufw keeps its state in /etc/ufw and /etc/default/ufw and a lock in /run. Inside a fresh
 * private mount namespace (`unshare -m --propagation private`, run under `ip netns exec`) we
 * bind-mount temporary copies over those paths and a tmpfs over /run, so ufw writes only the
 * copies and its iptables-restore calls act on the server namespace. The host's files are
 * never opened for writing; the test checks their digests before and after.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.js';

const UFW_DIR = '/etc/ufw';
const UFW_DEFAULT = '/etc/default/ufw';

/** sha256 over every file under /etc/ufw and /etc/default/ufw (path + content); absent paths count as such. */
export function hostUfwDigest(): string {
  const h = createHash('sha256');
  const walk = (p: string): void => {
    if (!existsSync(p)) {
      h.update(`absent:${p}`);
      return;
    }
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else h.update(p).update(readFileSync(p));
  };
  walk(UFW_DIR);
  walk(UFW_DEFAULT);
  return h.digest('hex');
}

/**
 * Runs `ufw` commands (each an argv without the leading "ufw") in namespace `ns` against a
 * throwaway copy of the configuration; returns ufw's output.
 */
export function runUfw(ns: string, commands: string[][]): string {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-k-ufw-'));
  try {
    cpSync(UFW_DIR, join(tmp, 'etc-ufw'), { recursive: true });
    cpSync(UFW_DEFAULT, join(tmp, 'default-ufw'));
    // The script only refers to its positional parameters: no path or rule is interpolated.
    const script = [
      'set -e',
      'mount --bind "$1" /etc/ufw',
      'mount --bind "$2" /etc/default/ufw',
      'mount -t tmpfs tmpfs /run',
      'shift 2',
      'for c in "$@"; do eval "ufw $c"; done',
    ].join('\n');
    const quoted = commands.map((argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '));
    return run(['ip', 'netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'ufw-in-netns', join(tmp, 'etc-ufw'), join(tmp, 'default-ufw'), ...quoted]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
