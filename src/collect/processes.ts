/**
 * Which process holds a socket: scan /proc/<pid>/fd for links "socket:[<inode>]". A normal
 * user cannot read other users' fd directories; those processes are counted, not guessed.
 *
 * @module
 */
import type { ProcessInfo } from '../model/snapshot.js';
import { type HostIO, errnoOf, isPermissionError } from './host-io.js';
import { effectiveUidOfStatus, parsePasswd } from './passwd.js';

/** What the /proc scan found. */
export interface SocketOwners {
  /** inode → the holding process (the lowest pid when several share it, e.g. prefork servers). */
  owners: Map<number, ProcessInfo>;
  /** Processes whose fd directory was refused (other users' processes, when not root). */
  hiddenProcesses: number;
  /** Other failures, e.g. /proc itself unreadable. */
  problems: string[];
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** The processes holding the given socket inodes, and how many processes could not be looked into. */
export async function findSocketOwners(io: HostIO, inodes: ReadonlySet<number>): Promise<SocketOwners> {
  const result: SocketOwners = { owners: new Map(), hiddenProcesses: 0, problems: [] };
  let entries: string[];
  try {
    entries = await io.readdir('/proc');
  } catch (err) {
    result.problems.push(`cannot list /proc: ${errnoOf(err)}`);
    return result;
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
  const pidOf = new Map<number, number>();
  // A few dozen processes at a time: one after another, each /proc round trip waited for the
  // last (issue 8); all at once, a host with thousands of processes opens too many requests.
  for (let i = 0; i < pids.length; i += PIDS_AT_ONCE) {
    const chunk = pids.slice(i, i + PIDS_AT_ONCE);
    const scanned = await Promise.all(chunk.map((pid) => socketLinks(io, pid)));
    // In pid order, so the lowest pid holding an inode wins whatever finished first.
    chunk.forEach((pid, j) => {
      const links = scanned[j]!;
      if (links === 'denied') result.hiddenProcesses++;
      else for (const inode of links) if (inodes.has(inode) && !pidOf.has(inode)) pidOf.set(inode, pid);
    });
    // The real host answers these reads synchronously: without a turn of the event loop the
    // whole scan (20 ms for ~100 processes) would hold the dumps' pipes unread and their
    // ends unseen, and `ipset save` stalls on a full pipe (issue 8).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const users = await io.readFile('/etc/passwd').then(parsePasswd, () => new Map<number, string>());
  const infoOf = new Map<number, Promise<ProcessInfo>>();
  for (const pid of pidOf.values()) if (!infoOf.has(pid)) infoOf.set(pid, processInfo(io, pid, users));
  for (const [inode, pid] of pidOf) result.owners.set(inode, await infoOf.get(pid)!);
  return result;
}

const PIDS_AT_ONCE = 32;

/** The socket inodes a process holds open; "denied" when its fd directory is refused (another user's). */
async function socketLinks(io: HostIO, pid: number): Promise<number[] | 'denied'> {
  let fds: string[];
  try {
    fds = await io.readdir(`/proc/${pid}/fd`);
  } catch (err) {
    // ENOENT: the process exited while we looked.
    return isPermissionError(err) ? 'denied' : [];
  }
  const link = (fd: string) => io.readlink(`/proc/${pid}/fd/${fd}`);
  const [first, ...rest] = fds;
  if (first === undefined) return [];
  // A process's fd links are readable or refused as a whole (the kernel's ptrace access check is
  // per process, even for root: this VM's PID 1 refuses all 292 of its own), so the first
  // refusal answers for the rest, each of which would raise and reject for nothing (12-20 ms of
  // CPU per collect, issue 8). A refused link held no socket before either.
  const firstLink = await link(first).catch((err: unknown) => (isPermissionError(err) ? null : ''));
  if (firstLink === null) return [];
  const links = [firstLink, ...(await Promise.all(rest.map((fd) => link(fd).catch(() => ''))))];
  const inodes: number[] = [];
  for (const link of links) {
    const m = SOCKET_LINK.exec(link);
    if (m) inodes.push(Number(m[1]));
  }
  return inodes;
}

async function processInfo(io: HostIO, pid: number, users: ReadonlyMap<number, string>): Promise<ProcessInfo> {
  const [comm, cmdline, status] = await Promise.all([
    io.readFile(`/proc/${pid}/comm`).catch(() => ''),
    io.readFile(`/proc/${pid}/cmdline`).catch(() => ''),
    io.readFile(`/proc/${pid}/status`).catch(() => ''),
  ]);
  const uid = effectiveUidOfStatus(status);
  return {
    pid,
    name: comm.replace(/\n$/, ''),
    // NUL-separated, with a trailing NUL; kernel threads have none.
    cmdline: cmdline === '' ? [] : cmdline.replace(/\0$/, '').split('\0'),
    user: uid === null ? null : (users.get(uid) ?? String(uid)),
  };
}
