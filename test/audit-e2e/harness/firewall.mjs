/**
 * Loading rulesets into the server namespace with the real tools: iptables-restore of
 * either backend, nft -f, and Debian's ufw against a throwaway copy of its configuration.
 *
 * @module
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runIn } from './exec.mjs';

const RESTORE = {
  'nft:ipv4': 'iptables-nft-restore',
  'nft:ipv6': 'ip6tables-nft-restore',
  'legacy:ipv4': 'iptables-legacy-restore',
  'legacy:ipv6': 'ip6tables-legacy-restore',
};

/** Applies one load step: {iptables: text, backend, family} | {nft: text} | {ufw: argv[]}. */
export function applyFirewall(ns, step) {
  if ('iptables' in step) return runIn(ns, [RESTORE[`${step.backend}:${step.family}`]], step.iptables);
  if ('nft' in step) return runIn(ns, ['nft', '-f', '-'], step.nft);
  if ('ufw' in step) return runUfw(ns, step.ufw);
  throw new Error(`unknown firewall step ${JSON.stringify(step)}`);
}

/**
 * Runs `ufw` commands (argv without the leading "ufw") in namespace `ns`. ufw keeps its
 * state in /etc/ufw and /etc/default/ufw: inside a private mount namespace, temporary
 * copies are bind-mounted over them and a tmpfs over /run (its lock), so the host's files
 * are only read, and ufw's iptables-restore calls act on the namespace.
 */
export function runUfw(ns, commands) {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-a-ufw-'));
  try {
    cpSync('/etc/ufw', join(tmp, 'etc-ufw'), { recursive: true });
    cpSync('/etc/default/ufw', join(tmp, 'default-ufw'));
    // Only positional parameters are expanded: no rule text is interpolated into the script.
    const script = ['set -e', 'mount --bind "$1" /etc/ufw', 'mount --bind "$2" /etc/default/ufw', 'mount -t tmpfs tmpfs /run', 'shift 2', 'for c in "$@"; do eval "ufw $c"; done'].join('\n');
    const quoted = commands.map((argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '));
    return run(['ip', 'netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'ufw-in-netns', join(tmp, 'etc-ufw'), join(tmp, 'default-ufw'), ...quoted]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
