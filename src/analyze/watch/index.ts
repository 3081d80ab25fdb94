/**
 * `watch`'s judgement: which changes between two rounds are widenings worth an alert.
 *
 * @module
 */
export { wideningEvents, type WideningOptions } from './widening.js';
export type { HostStateEvent, WatchEvent, WideningEvent } from './types.js';
export type { RoundTrigger } from '../../model/watch-trigger.js';
