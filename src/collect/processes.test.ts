import { describe, expect, it } from 'vitest';
import { fakeHostIO } from './fake-host-io.js';
import { findSocketOwners } from './processes.js';

/** A host of `count` processes, each holding one socket (inode 1000 + pid); pid 7 shares pid 3's. */
function busyHost(count: number) {
  const files: Record<string, string> = { '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' };
  const links: Record<string, string> = {};
  for (let pid = 1; pid <= count; pid++) {
    files[`/proc/${pid}/comm`] = `p${pid}\n`;
    files[`/proc/${pid}/cmdline`] = `p${pid}\0--flag\0`;
    files[`/proc/${pid}/status`] = 'Uid:\t0\t0\t0\t0\n';
    links[`/proc/${pid}/fd/0`] = '/dev/null';
    links[`/proc/${pid}/fd/3`] = `socket:[${pid === 7 ? 1003 : 1000 + pid}]`;
  }
  return fakeHostIO({ files, links });
}

describe('findSocketOwners', () => {
  it('finds the lowest pid holding each inode, with its name, command line and user', async () => {
    const found = await findSocketOwners(busyHost(100), new Set([1003, 1050, 99999]));
    expect(found.owners.get(1003)).toEqual({ pid: 3, name: 'p3', cmdline: ['p3', '--flag'], user: 'root' });
    expect(found.owners.get(1050)?.pid).toBe(50);
    expect(found.owners.has(99999)).toBe(false);
    expect(found).toMatchObject({ hiddenProcesses: 0, problems: [] });
  });

  it('lets the event loop turn while it scans, so the dumps started before it are read meanwhile', async () => {
    // The real host answers /proc synchronously; the fake's promises resolve at once, the same for the loop.
    let scanDone = false;
    let turnedDuringScan = false;
    setImmediate(() => (turnedDuringScan = !scanDone));
    await findSocketOwners(busyHost(100), new Set([1001]));
    scanDone = true;
    expect(turnedDuringScan).toBe(true);
  });

  it('reads no more links of a process once one is refused (the kernel refuses them all), and finds the same', async () => {
    const host = busyHost(10);
    // Pid 5's links are refused, as this VM's PID 1 refuses its own even to root; its directory is not.
    const refused = new Set(['/proc/5/fd/0', '/proc/5/fd/3']);
    const asked: string[] = [];
    const io = {
      ...host,
      readlink: (path: string) => {
        asked.push(path);
        return refused.has(path) ? Promise.reject(Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' })) : host.readlink(path);
      },
    };
    const found = await findSocketOwners(io, new Set([1004, 1005, 1006]));
    expect(asked.filter((p) => p.startsWith('/proc/5/'))).toEqual(['/proc/5/fd/0']);
    expect([...found.owners.keys()].sort()).toEqual([1004, 1006]);
    // A refused link was never a hidden process: only a refused fd directory is.
    expect(found).toMatchObject({ hiddenProcesses: 0, problems: [] });
  });
});
