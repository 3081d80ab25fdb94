/**
 * `watch`: the first round that succeeds is the baseline; every later round is compared with
 * the one before it and each widening becomes an event. How a round is collected (this host
 * now, hosts over SSH), when rounds run (monitors, interval) and where a round is kept
 * (a store) are all passed in, so the loop itself is the same for every source.
 *
 * The baseline is per host: a host seen for the first time (one that failed the first rounds)
 * is its own baseline, not a burst of "new" listeners. A host that fails a round (no answer,
 * a damaged dump) is reported and its last good round stands in for it, so nothing is
 * reported twice when it comes back. A host's failures are said once per outage: a
 * `host-down` event when it stops answering, a `host-up` event when it answers again.
 *
 * @module
 */
import type { AuditReport, Severity } from '../analyze/audit/types.js';
import type { HostAnalysis } from '../analyze/types.js';
import { type WatchEvent, wideningEvents } from '../analyze/watch/index.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/policy.js';
import type { ChangeSource, RoundTrigger } from '../model/watch-trigger.js';
import { type CollectedHost, type RoundHost, analyzeRoundHost, auditAnalyses } from './audit-round.js';

export interface WatchRound {
  /** 0 for the baseline. */
  round: number;
  trigger: RoundTrigger;
  /** The hosts collected afresh this round. */
  hosts: CollectedHost[];
  /** Hosts that failed this round and are judged by their last good round. */
  carried: string[];
  report: AuditReport;
  /** Widenings since the previous round (none for the baseline). */
  events: WatchEvent[];
}

/**
 * A round (no `host`) or one host of it that could not be collected, analysed or stored.
 * `downSince` (hosts only) is the round this host's run of failures began: equal to `round`
 * the first time, so a caller can say it once.
 */
export type RoundFailure = { round: number; phase: 'collect' | 'analyze' | 'sink'; reason: string; host?: string; hasReference?: boolean; downSince?: number; diagnostics?: Diagnostic[] };

export interface WatchLoopOptions {
  /** Collects every host of one round: a snapshot each, or why not (a rejection fails the whole round). */
  collectRound(): Promise<RoundHost[]>;
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
  /** A round, or a host of it, that could not be collected or analysed (the previous one stays the reference). */
  onFailure(failure: RoundFailure): void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function runWatchLoop(opts: WatchLoopOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  let previous: AuditReport | null = null;
  const lastGood = new Map<string, HostAnalysis>();
  /** Hosts failing now, and the round each began failing. */
  const downSince = new Map<string, number>();
  let round = 0;
  const runRound = async (trigger: RoundTrigger, details: string[]): Promise<void> => {
    const startedAt = now();
    const number = previous ? round : 0;
    let collected: RoundHost[];
    try {
      collected = await opts.collectRound();
    } catch (err) {
      opts.onFailure({ round: number, phase: 'collect', reason: message(err) });
      return;
    }
    const hosts: CollectedHost[] = [];
    const carried: string[] = [];
    const analyses: HostAnalysis[] = [];
    const stamp = { detectedAt: startedAt.toISOString(), trigger: previous ? trigger : ('baseline' as const), round: number };
    for (const h of collected) {
      let failure: Omit<RoundFailure, 'round' | 'host' | 'hasReference'> | null = null;
      if ('snapshot' in h) {
        const verdict = analyzeRoundHost(h);
        if (verdict.ok) {
          hosts.push(h);
          analyses.push(verdict.analysis);
          lastGood.set(h.label, verdict.analysis);
          const since = downSince.get(h.label);
          if (since !== undefined) {
            downSince.delete(h.label);
            await opts.onEvent({ event: 'host-up', host: h.label, downSince: since, ...stamp });
          }
          continue;
        }
        failure = { phase: 'analyze', reason: `cannot analyse ${h.label}`, diagnostics: verdict.diagnostics };
      } else {
        failure = { phase: 'collect', reason: h.error };
      }
      const reference = lastGood.get(h.label);
      const since = downSince.get(h.label) ?? number;
      opts.onFailure({ round: number, host: h.label, hasReference: reference !== undefined, downSince: since, ...failure });
      if (!downSince.has(h.label)) {
        downSince.set(h.label, number);
        const phase = failure.phase === 'analyze' ? 'analyze' : 'collect';
        await opts.onEvent({ event: 'host-down', host: h.label, phase, reason: failure.reason, judgedBy: reference ? 'last-good-round' : 'nothing-yet', ...stamp });
      }
      if (reference) {
        carried.push(h.label);
        analyses.push(reference);
      }
    }
    // Nothing new came in: the previous round stays the reference.
    if (hosts.length === 0) return;
    const report = auditAnalyses(analyses, opts.policy, startedAt, opts.toolVersion);
    const known = new Set(previous?.hosts.map((h) => h.name) ?? []);
    const events: WatchEvent[] = previous
      ? wideningEvents(previous, report, { failOn: opts.failOn })
          .filter((e) => known.has(e.host))
          .map((e) => ({ ...e, ...stamp }))
      : [];
    const done: WatchRound = { round: number, trigger: previous ? trigger : 'baseline', hosts, carried, report, events };
    previous = report;
    round = number + 1;
    opts.onRound?.(done, details);
    for (const e of events) await opts.onEvent(e);
    if (opts.sink) {
      try {
        await opts.sink(done);
      } catch (err) {
        opts.onFailure({ round: number, phase: 'sink', reason: message(err) });
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
