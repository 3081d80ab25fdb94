/**
 * What `watch` reports: one event per widening between two rounds.
 *
 * @module
 */
import type { SourceLists } from '../types.js';
import type { Exposure, Severity } from '../audit/types.js';
import type { RoundTrigger } from '../../model/watch-trigger.js';

export type WideningEvent =
  /** A port that did not listen before and is reachable from outside the host now. */
  | { event: 'new-listener'; host: string; proto: 'tcp' | 'udp'; port: number; service: string; exposure: Exposure; sources: SourceLists }
  /** A listening port reachable from sources (of either family) that could not reach it before. */
  | { event: 'widened'; host: string; proto: 'tcp' | 'udp'; port: number; service: string; from: Exposure; to: Exposure; addedSources: SourceLists }
  /** An unsuppressed finding at or above --fail-on that the previous round did not have. */
  | { event: 'new-finding'; host: string; id: string; rule: string; severity: Severity; title: string; service: { proto: 'tcp' | 'udp'; port: number } | null };

/**
 * A fleet host that stops or starts answering. Said once per change, not every round it stays
 * down: an alert pipeline gets one page for an outage and one for its end.
 */
export type HostStateEvent =
  /** The host could not be collected or analysed this round; `judgedBy` says what stands in for it. */
  | { event: 'host-down'; host: string; phase: 'collect' | 'analyze'; reason: string; judgedBy: 'last-good-round' | 'nothing-yet' }
  /** The host answered again after failing since round `downSince`. */
  | { event: 'host-up'; host: string; downSince: number };

/** An event as `watch` prints it: when it was seen and what made the round run. */
export type WatchEvent = (WideningEvent | HostStateEvent) & { detectedAt: string; trigger: RoundTrigger; round: number };
