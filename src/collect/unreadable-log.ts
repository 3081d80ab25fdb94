/**
 * The collector's list of what it could not read: every failure goes here with a reason,
 * so nothing fails silently.
 *
 * @module
 */
import type { Unreadable } from '../model/snapshot.js';

/** Collects {@link Unreadable} entries in the order they happen. */
export class UnreadableLog {
  readonly entries: Unreadable[] = [];

  add(what: string, reason: string, hint?: string): void {
    this.entries.push(hint === undefined ? { what, reason } : { what, reason, hint });
  }
}

/** The hint on everything a normal user cannot read. */
export const ROOT_HINT = 'run as root';
