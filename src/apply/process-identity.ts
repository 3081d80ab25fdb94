/**
 * Who a pid is, robustly: a pid alone can be reused after the guard dies, so a lock records
 * the pid with its start time (field 22 of /proc/PID/stat, clock ticks since boot) and the
 * network namespace (the rules a guard restores are those of its own namespace).
 *
 * @module
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** The start time of `pid`, or null when no such process runs (absent or a zombie). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie (killed, not yet reaped by whoever adopted it) is not a live guard.
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Is the process that wrote a lock still the one running under its pid? */
export function sameProcessAlive(pid: number, startTime: string): boolean {
  return processStartTime(pid) === startTime;
}

/** This process's network namespace, e.g. "net:[4026531840]". */
export function currentNetns(): string {
  try {
    return readlinkSync('/proc/self/ns/net');
  } catch {
    return 'unknown';
  }
}
