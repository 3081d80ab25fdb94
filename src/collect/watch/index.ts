/**
 * `watch`'s view of change: monitors and polls that say when to collect again.
 *
 * @module
 */
export type { ChangeSource } from '../../model/watch-trigger.js';
export { DEFAULT_MONITORS, type Monitor, type RoundTriggerBatch, type TriggerOptions, roundTriggers } from './round-triggers.js';
export { describeListenerChange, listenerKeys } from './listener-signature.js';
export { followCommand, type FollowHandlers, type FollowedCommand } from './follow-command.js';
