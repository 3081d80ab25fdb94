/**
 * Log collection: files (plain, gzip, byte ranges), standard input, the live journal, and
 * following a growing file, all as async iterables of bytes.
 *
 * @module
 */
export * from './log-input.js';
export { readJournal, journalArgs, type JournalOptions } from './journal.js';
export { followFile, type FollowOptions } from './follow.js';
export { orderByFirstStamp } from './order.js';
