/**
 * When `watch` should collect again, as an async iterable of triggers: at once (debounced)
 * when `nft monitor` prints a ruleset change, `ip monitor` an address, link, route or rule
 * change, or the listening sockets (polled from /proc/net) change; otherwise every interval.
 * A monitor that is not installed, not permitted or dies is said once through `notice`, and
 * its changes are then found by the interval. Changes that happen while a round runs are
 * kept and trigger the next one.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { ChangeSource } from '../../model/watch-trigger.js';
import { followCommand, type FollowedCommand } from './follow-command.js';
import { describeListenerChange, listenerKeys } from './listener-signature.js';

export interface Monitor {
  source: ChangeSource;
  argv: readonly string[];
}

/** The monitors `watch` follows on a Linux host. iptables-legacy changes notify nobody: the interval finds them. */
export const DEFAULT_MONITORS: readonly Monitor[] = [
  { source: 'nft-monitor', argv: ['nft', 'monitor', 'ruleset'] },
  { source: 'ip-monitor', argv: ['ip', 'monitor', 'address', 'link', 'route', 'rule'] },
];

export interface TriggerOptions {
  intervalMs: number;
  /** Poll /proc/net for listener changes this often; 0: do not (the interval finds them). */
  socketPollMs: number;
  monitors?: readonly Monitor[];
  /** Wait for this much quiet after a change (a `ufw reload` is dozens of changes)… */
  quietMs?: number;
  /** …but no longer than this after the first one. */
  maxDelayMs?: number;
  /** Changes start a round no sooner than this after the last one ended (a listener that churns must not keep a core busy). */
  minGapMs?: number;
  signal: AbortSignal;
  /** Status in words: a monitor that is unavailable or ended, and what takes its place. */
  notice(text: string): void;
  readFile?: (path: string) => Promise<string>;
}

export interface RoundTriggerBatch {
  /** The first source that asked for the round ('interval' when none did). */
  trigger: ChangeSource | 'interval';
  /** What the monitors printed (first lines), for the status line. */
  details: string[];
}

/** Triggers until `signal` aborts; children and timers are gone when the iteration ends. */
export async function* roundTriggers(opts: TriggerOptions): AsyncGenerator<RoundTriggerBatch> {
  const quietMs = opts.quietMs ?? 300;
  const maxDelayMs = opts.maxDelayMs ?? 2000;
  const minGapMs = opts.minGapMs ?? 1000;
  let lastRoundEnd = 0;
  const read = opts.readFile ?? ((p: string) => readFile(p, 'utf8'));
  let pending: RoundTriggerBatch | null = null;
  let firstAt = 0;
  let ready = false;
  let quietTimer: NodeJS.Timeout | undefined;
  let intervalTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | null = null;
  const fire = (): void => {
    ready = true;
    const w = wake;
    wake = null;
    w?.();
  };
  const change = (source: ChangeSource, detail: string): void => {
    if (!pending) {
      pending = { trigger: source, details: [] };
      firstAt = Date.now();
    }
    // ip monitor continues a record on indented lines ("valid_lft forever …"): the change, not news.
    if (pending.details.length < 5 && !/^\s/.test(detail)) pending.details.push(`${source}: ${detail.trim().slice(0, 200)}`);
    clearTimeout(quietTimer);
    const now = Date.now();
    quietTimer = setTimeout(fire, Math.max(0, Math.min(quietMs, firstAt + maxDelayMs - now), lastRoundEnd + minGapMs - now));
  };
  const armInterval = (): void => {
    clearTimeout(intervalTimer);
    intervalTimer = setTimeout(() => {
      pending ??= { trigger: 'interval', details: [] };
      fire();
    }, opts.intervalMs);
  };

  const followed: FollowedCommand[] = [];
  for (const m of opts.monitors ?? DEFAULT_MONITORS) {
    followed.push(
      followCommand(m.argv, {
        line: (text) => {
          // nft prints "# new generation N by process …" after each transaction: the change lines carry the news.
          if (text.trim() !== '' && !text.startsWith('# new generation')) change(m.source, text);
        },
        end: (reason) => opts.notice(`${m.source} unavailable (${reason}): its changes are seen at the next interval`),
      }),
    );
  }
  let polling = opts.socketPollMs > 0;
  let known = polling ? await listenerKeys(read) : new Set<string>();
  const poll = async (): Promise<void> => {
    if (!polling) return;
    const now = await listenerKeys(read);
    const what = describeListenerChange(known, now);
    known = now;
    if (what) change('sockets', what);
    if (polling) pollTimer = setTimeout(() => void poll(), opts.socketPollMs);
  };
  if (polling) pollTimer = setTimeout(() => void poll(), opts.socketPollMs);
  const onAbort = (): void => fire();
  opts.signal.addEventListener('abort', onAbort, { once: true });
  armInterval();
  try {
    while (!opts.signal.aborted) {
      if (!ready) await new Promise<void>((resolve) => (wake = resolve));
      if (opts.signal.aborted) break;
      const batch: RoundTriggerBatch = pending ?? { trigger: 'interval', details: [] };
      pending = null;
      ready = false;
      clearTimeout(quietTimer);
      yield batch;
      lastRoundEnd = Date.now();
      armInterval();
    }
  } finally {
    polling = false;
    opts.signal.removeEventListener('abort', onAbort);
    for (const f of followed) f.stop();
    clearTimeout(quietTimer);
    clearTimeout(intervalTimer);
    clearTimeout(pollTimer);
  }
}
