/**
 * The host's listening sockets: /proc/net/{tcp,tcp6,udp,udp6}, joined with `ss -Htulne`
 * (v6only, bound device) and /proc/<pid>/fd (the owning process).
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import type { Socket, SocketProto } from '../model/snapshot.js';
import { parseProcNetListeners } from '../parse/proc-net.js';
import { describeExecFailure } from './exec-failure.js';
import { type ExecResult, type HostIO, errnoOf, fsReason } from './host-io.js';
import { type SocketOwners, findSocketOwners } from './processes.js';
import { type SsSocketInfo, parseSsExtended } from './ss-extended.js';
import { ROOT_HINT, type UnreadableLog } from './unreadable-log.js';

/** The kernel's socket tables, one per protocol and family. */
export const SOCKET_TABLES: readonly { file: string; proto: SocketProto; family: Family }[] = [
  { file: '/proc/net/tcp', proto: 'tcp', family: 'ipv4' },
  { file: '/proc/net/tcp6', proto: 'tcp', family: 'ipv6' },
  { file: '/proc/net/udp', proto: 'udp', family: 'ipv4' },
  { file: '/proc/net/udp6', proto: 'udp', family: 'ipv6' },
];

const SS = ['ss', '-Htulne'];

/** Listening sockets, sorted; null when no socket table could be read. */
export async function collectSockets(io: HostIO, log: UnreadableLog, root: boolean): Promise<Socket[] | null> {
  // Started with the other tools rather than after the tables: it runs while they are read.
  const ssResult = io.exec(SS);
  const sockets: Socket[] = [];
  let tablesRead = 0;
  const reads = await Promise.allSettled(SOCKET_TABLES.map((t) => io.readFile(t.file)));
  for (const [i, t] of SOCKET_TABLES.entries()) {
    const read = reads[i]!;
    if (read.status === 'rejected') {
      const ipv6Off = errnoOf(read.reason) === 'ENOENT' && t.family === 'ipv6';
      log.add(`sockets (${t.file})`, ipv6Off ? 'not present (IPv6 disabled?)' : fsReason(read.reason));
      continue;
    }
    tablesRead++;
    const parsed = parseProcNetListeners(read.value, t.file, t.proto, t.family);
    for (const d of parsed.diagnostics) log.add(`sockets (${t.file}${d.location?.line ? `:${d.location.line}` : ''})`, `${d.message}: ${d.input ?? ''}`);
    for (const s of parsed.value) {
      sockets.push({ proto: s.proto, family: s.family, address: s.address, port: s.port, v6only: null, device: null, uid: s.uid, inode: s.inode, process: null });
    }
  }
  if (tablesRead === 0) return null;
  // The /proc scan needs only the tables' inodes: done while ss runs, logged after it as before.
  const owners = findOwners(io, sockets);
  const ss = socketDetails(await ssResult, log, root);
  for (const s of sockets) {
    const info = ss?.get(s.inode);
    // v6only only means something for AF_INET6 sockets.
    if (info) {
      s.v6only = s.family === 'ipv6' ? info.v6only : null;
      s.device = info.device;
    }
  }
  attachProcesses(await owners, log, sockets);
  return sockets.sort(compareSockets);
}

function socketDetails(res: ExecResult, log: UnreadableLog, root: boolean): Map<number, SsSocketInfo> | null {
  if (res.ok && res.code === 0) return parseSsExtended(res.stdout);
  const f = describeExecFailure(res, root);
  log.add(`v6only and bound device of sockets (${SS.join(' ')})`, `${f.reason}; recorded as unknown (IPv6 wildcard sockets are then taken as dual-stack)`, f.reason === 'not installed' ? 'install iproute2' : undefined);
  return null;
}

/** The processes holding the sockets; null when no socket has one to look for. */
async function findOwners(io: HostIO, sockets: readonly Socket[]): Promise<SocketOwners | null> {
  // inode 0: kernel sockets (e.g. WireGuard, nfsd), which no process holds.
  const inodes = new Set(sockets.map((s) => s.inode).filter((i) => i !== 0));
  return inodes.size === 0 ? null : findSocketOwners(io, inodes);
}

function attachProcesses(found: SocketOwners | null, log: UnreadableLog, sockets: Socket[]): void {
  if (found === null) return;
  for (const s of sockets) s.process = found.owners.get(s.inode) ?? null;
  for (const p of found.problems) log.add('processes of sockets', p);
  const missing = sockets.filter((s) => s.inode !== 0 && s.process === null).length;
  if (missing === 0) return;
  if (found.hiddenProcesses > 0) {
    log.add(
      'processes of sockets',
      `not root: ${missing} socket(s) have no known process because the open files (/proc/<pid>/fd) of ${found.hiddenProcesses} process(es) of other users cannot be read`,
      ROOT_HINT,
    );
  } else if (found.problems.length === 0) {
    log.add('processes of sockets', `${missing} socket(s) are held by no visible process (another PID namespace, or the process exited during collection)`);
  }
}

/** The order of the snapshot's sockets: protocol, family, port, address (as localeCompare orders them), inode. */
export function compareSockets(a: Socket, b: Socket): number {
  return byCodeUnit(a.proto, b.proto) || byCodeUnit(a.family, b.family) || a.port - b.port || compareAddressText(a.address, b.address) || a.inode - b.inode;
}

/**
 * localeCompare's order without its collator where both orders agree: the collator's first use
 * costs ~20 ms of CPU (ICU's data), a tenth of a small host's collect (issue 8). Lower-case
 * letters and digits (protocols, families) and IPv4 text (digits and dots; the collator, like
 * code units, puts punctuation before digits, each character on its own primary weight) sort
 * the same either way; IPv6 text keeps the collator, which puts ':' before digits.
 */
export function compareAddressText(a: string, b: string): number {
  return IPV4_TEXT.test(a) && IPV4_TEXT.test(b) ? byCodeUnit(a, b) : a.localeCompare(b);
}

const IPV4_TEXT = /^[0-9.]*$/;

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
