/**
 * The collector's list of what it could not read: every failure goes here with a reason,
 * so nothing fails silently.
 *
 * @module
 */
import type { Unreadable } from '../model/snapshot.js';

export class UnreadableLog {
  readonly entries: Unreadable[] = [];

  add(what: string, reason: string, hint?: string): void {
    this.entries.push(hint === undefined ? { what, reason } : { what, reason, hint });
  }
}

export const ROOT_HINT = 'run as root';
