/**
 * What an audit worker answers.
 *
 * @module
 */
import type { HostOutcome } from './analyze-snapshot-file.js';

export type PoolReply =
  | { type: 'done'; outcome: HostOutcome }
  /** The analysis threw: a bug, carried back with its stack. */
  | { type: 'bug'; message: string };
