/**
 * `ss -Htulne` output → per socket inode, the facts /proc/net does not print: IPV6_V6ONLY
 * ("v6only:1" in the extended columns) and the device a socket is bound to
 * ("0.0.0.0%eth0:53", "*%eth0:67", "[fe80::1]%eth0:22").
 *
 * @module
 */

/** What ss adds to a /proc/net row; null = ss did not say. */
export interface SsSocketInfo {
  v6only: boolean | null;
  device: string | null;
}

/** Lines without an inode are skipped: there is nothing to join them on. */
export function parseSsExtended(text: string): Map<number, SsSocketInfo> {
  const out = new Map<number, SsSocketInfo>();
  for (const line of text.split('\n')) {
    const ino = /(?:^|\s)ino:(\d+)(?:\s|$)/.exec(line);
    if (!ino) continue;
    const fields = line.trim().split(/\s+/);
    // Netid State Recv-Q Send-Q Local Peer …
    const local = fields[4] ?? '';
    const v6 = /(?:^|\s)v6only:([01])(?:\s|$)/.exec(line);
    out.set(Number(ino[1]), { v6only: v6 ? v6[1] === '1' : null, device: deviceOf(local) });
  }
  return out;
}

function deviceOf(local: string): string | null {
  const colon = local.lastIndexOf(':');
  const host = colon > 0 ? local.slice(0, colon) : local;
  const pct = host.indexOf('%');
  if (pct < 0) return null;
  const dev = host.slice(pct + 1).replace(/\].*$/, '');
  return dev === '' ? null : dev;
}
