/**
 * `portcullis watch`: audit this host, then again whenever its ruleset, addresses, routes or
 * listening sockets change (and every --interval), printing each widening as one line (JSON
 * lines with --format json) and handing it to --exec. Runs until SIGINT or SIGTERM.
 *
 * @module
 */
import type { Severity } from '../../../analyze/audit/types.js';
import type { WatchEvent } from '../../../analyze/watch/index.js';
import { collectSnapshot, realHostIO } from '../../../collect/index.js';
import { roundTriggers } from '../../../collect/watch/index.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { printableLines } from '../../../render/common/printable.js';
import { renderWatchEventJson, renderWatchEventText } from '../../../render/index.js';
import { VERSION } from '../../../version.js';
import { type CollectedHost, type RoundFailure, type WatchRound, runWatchLoop } from '../../../watch/index.js';
import { ExitCode, InputError, describeDiagnostic } from '../../errors.js';
import { reportUnreadable } from '../../load-hosts.js';
import { readPolicy } from '../audit.js';
import { execHook } from './exec-hook.js';

export interface WatchOptions {
  interval?: string;
  socketPoll?: string;
  exec?: string;
  format?: 'text' | 'json';
  failOn?: Severity | 'none';
  config?: string;
  monitor?: boolean;
}

/** Seconds as given on the command line; an input error (exit 2) otherwise. */
function seconds(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n < min) {
    throw new InputError(`${flag}: expected a number of seconds${min > 0 ? ` of at least ${min}` : ''}; got "${value.slice(0, 40)}" (e.g. ${flag} 60)`);
  }
  return n;
}

const say = (text: string): void => void process.stderr.write(`portcullis watch: ${printableLines(text)}\n`);

function roundSummary(r: WatchRound): string {
  const services = r.report.hosts.reduce((n, h) => n + h.services.length, 0);
  const outside = r.report.hosts.reduce((n, h) => n + h.services.filter((s) => s.exposure !== 'local' && s.exposure !== 'closed').length, 0);
  return `${services} listening socket(s), ${outside} reachable from outside the host`;
}

function failureText(f: RoundFailure): string {
  const lines = (f.diagnostics ?? []).filter((d) => d.severity === 'error').slice(0, 5).map((d) => `  ${describeDiagnostic(d)}`);
  const phase = f.phase === 'sink' ? 'could not be stored' : f.phase === 'collect' ? 'could not be collected' : 'could not be analysed';
  return [`round ${f.round} ${phase}: ${f.reason}; ${f.round === 0 ? 'the baseline is taken at the next round' : 'the previous round stays the reference'}`, ...lines].join('\n');
}

export async function runWatch(opts: WatchOptions): Promise<number> {
  const intervalS = seconds(opts.interval ?? '60', '--interval', 1);
  const pollS = seconds(opts.socketPoll ?? '1', '--socket-poll', 0);
  const json = opts.format === 'json';
  const failOn = opts.failOn ?? 'high';
  const policy = await readPolicy(opts.config);
  const io = realHostIO();
  let first = true;
  const collectRound = async (): Promise<CollectedHost[]> => {
    const snapshot: Snapshot = await collectSnapshot(io);
    if (first) reportUnreadable(snapshot);
    first = false;
    return [{ label: 'this host', snapshot }];
  };

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const hook = opts.exec ? execHook(opts.exec, say) : null;
  const emit = (e: WatchEvent): void => {
    const line = renderWatchEventJson(e);
    process.stdout.write(json ? line : renderWatchEventText(e));
    hook?.run(e, line);
  };
  const monitors = opts.monitor === false ? [] : undefined;
  try {
    await runWatchLoop({
      collectRound,
      triggers: roundTriggers({
        intervalMs: intervalS * 1000,
        socketPollMs: pollS * 1000,
        ...(monitors ? { monitors } : {}),
        signal: controller.signal,
        notice: say,
      }),
      policy,
      failOn,
      toolVersion: VERSION,
      onEvent: emit,
      onRound: (r, details) => {
        if (r.round === 0) {
          const how = [opts.monitor === false ? null : 'following nft monitor and ip monitor', pollS > 0 ? `polling listening sockets every ${pollS} s` : null, `a full round every ${intervalS} s`].filter((x) => x !== null);
          say(`baseline: ${roundSummary(r)}; ${how.join('; ')}`);
          return;
        }
        const why = details.length > 0 ? details.join(' | ') : r.trigger;
        say(`round ${r.round} (${why}): ${roundSummary(r)}; ${r.events.length === 0 ? 'no widening' : `${r.events.length} widening event(s)`}`);
      },
      onFailure: (f) => say(failureText(f)),
    });
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await hook?.drain();
  }
  return ExitCode.ok;
}
