/**
 * /etc/passwd → user names by uid, and the uid line of /proc/<pid>/status.
 *
 * @module
 */

/** uid → the first user name listed for it. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || !/^\d+$/.test(f[2]!)) continue;
    const uid = Number(f[2]);
    if (!users.has(uid)) users.set(uid, f[0]!);
  }
  return users;
}

/** The effective uid from "Uid:\treal\teffective\tsaved\tfs"; null when absent. */
export function effectiveUidOfStatus(status: string): number | null {
  const m = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : null;
}
