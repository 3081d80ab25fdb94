/**
 * `watch`: the first round that succeeds is the baseline; every later round is compared with
 * the one before it and each widening becomes an event. How a round is collected (this host
 * now, hosts over SSH later), when rounds run (monitors, interval) and where a round is kept
 * (a store) are all passed in, so the loop itself is the same for every source.
 *
 * @module
 */
import type { AuditReport, Severity } from '../analyze/audit/types.js';
import { type WatchEvent, wideningEvents } from '../analyze/watch/index.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/policy.js';
import type { ChangeSource, RoundTrigger } from '../model/watch-trigger.js';
import { auditRound, type CollectedHost } from './audit-round.js';

export interface WatchRound {
  /** 0 for the baseline. */
  round: number;
  trigger: RoundTrigger;
  hosts: CollectedHost[];
  report: AuditReport;
  /** Widenings since the previous round (none for the baseline). */
  events: WatchEvent[];
}

export type RoundFailure = { round: number; phase: 'collect' | 'analyze' | 'sink'; reason: string; diagnostics?: Diagnostic[] };

export interface WatchLoopOptions {
  /** Collects every host of one round. */
  collectRound(): Promise<CollectedHost[]>;
  /** When to run the next round; the loop ends when this ends. */
  triggers: AsyncIterable<{ trigger: ChangeSource | 'interval'; details: string[] }>;
  policy: Policy | null;
  failOn: Severity | 'none';
  toolVersion: string;
  now?: () => Date;
  /** Each audited round besides its events (a store); a failure is reported, not fatal. */
  sink?: (round: WatchRound) => Promise<void>;
  onEvent(event: WatchEvent): Promise<void> | void;
  /** Every audited round, with what triggered it, for status lines. */
  onRound?(round: WatchRound, details: string[]): void;
  /** A round that could not be collected or analysed (the previous one stays the reference). */
  onFailure(failure: RoundFailure): void;
}

export async function runWatchLoop(opts: WatchLoopOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  let previous: AuditReport | null = null;
  let round = 0;
  const runRound = async (trigger: RoundTrigger, details: string[]): Promise<void> => {
    const startedAt = now();
    const number = previous ? round : 0;
    let hosts: CollectedHost[];
    try {
      hosts = await opts.collectRound();
    } catch (err) {
      opts.onFailure({ round: number, phase: 'collect', reason: err instanceof Error ? err.message : String(err) });
      return;
    }
    const audited = auditRound(hosts, opts.policy, startedAt, opts.toolVersion);
    if (!audited.ok) {
      opts.onFailure({ round: number, phase: 'analyze', reason: `cannot analyse ${audited.label}`, diagnostics: audited.diagnostics });
      return;
    }
    const events: WatchEvent[] = previous
      ? wideningEvents(previous, audited.report, { failOn: opts.failOn }).map((e) => ({ ...e, detectedAt: startedAt.toISOString(), trigger, round: number }))
      : [];
    const done: WatchRound = { round: number, trigger: previous ? trigger : 'baseline', hosts, report: audited.report, events };
    previous = audited.report;
    round = number + 1;
    opts.onRound?.(done, details);
    for (const e of events) await opts.onEvent(e);
    if (opts.sink) {
      try {
        await opts.sink(done);
      } catch (err) {
        opts.onFailure({ round: number, phase: 'sink', reason: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  // Start the triggers before the baseline: a change made while it is collected is not lost.
  const triggers = opts.triggers[Symbol.asyncIterator]();
  let next = triggers.next();
  try {
    await runRound('baseline', []);
    for (let t = await next; !t.done; t = await next) {
      await runRound(t.value.trigger, t.value.details);
      next = triggers.next();
    }
  } finally {
    await triggers.return?.(undefined);
  }
}
