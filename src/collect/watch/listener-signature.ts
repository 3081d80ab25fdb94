/**
 * The set of listening sockets as one comparable value, read from /proc/net/{tcp,udp}{,6}
 * alone (no `ss`, no /proc/<pid>/fd walk): cheap enough to poll every second, since a new
 * listener shows in neither `nft monitor` nor `ip monitor`.
 *
 * @module
 */
import { parseProcNetListeners } from '../../parse/proc-net.js';
import { SOCKET_TABLES } from '../sockets.js';

/** "tcp 0.0.0.0:8080"-style keys of every listener (a table that cannot be read adds none). */
export async function listenerKeys(readFile: (path: string) => Promise<string>): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const t of SOCKET_TABLES) {
    let text: string;
    try {
      text = await readFile(t.file);
    } catch {
      continue;
    }
    for (const s of parseProcNetListeners(text, t.file, t.proto, t.family).value) keys.add(`${s.proto} ${s.family === 'ipv6' ? `[${s.address}]` : s.address}:${s.port}`);
  }
  return keys;
}

/** What changed between two key sets, in a few words: "+tcp 0.0.0.0:8080, -udp [::]:53". */
export function describeListenerChange(before: ReadonlySet<string>, after: ReadonlySet<string>): string | null {
  const added = [...after].filter((k) => !before.has(k)).sort().map((k) => `+${k}`);
  const removed = [...before].filter((k) => !after.has(k)).sort().map((k) => `-${k}`);
  const all = [...added, ...removed];
  if (all.length === 0) return null;
  return all.length > 4 ? `${all.slice(0, 4).join(', ')}, … (${all.length} changes)` : all.join(', ');
}
