/**
 * `ls -l /proc/PID/fd` → the fd names and their link targets. ls prints a link as
 * "lrwx------ 1 root root 64 Dec  2 05:00 3 -> socket:[1234]" (the date is "Dec  2  2025"
 * for old files): the fd is the number right before the first " -> ".
 *
 * @module
 */

/** fd name → link target; lines that are not links ("total 0") are skipped. */
export function parseLsFdListing(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('l')) continue;
    const m = / (\d+) -> (.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
