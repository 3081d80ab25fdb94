/**
 * `portcullis watch`: audit this host, then again whenever its ruleset, addresses, routes or
 * listening sockets change (and every --interval), printing each widening as one line (JSON
 * lines with --format json) and handing it to --exec. Runs until SIGINT or SIGTERM.
 *
 * With --ssh/--inventory it watches those hosts instead, each round collecting all of them
 * over SSH as `collect --ssh` does, at the interval only (the monitors and the socket poll
 * see this machine, not the remote ones).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Severity } from '../../../analyze/audit/types.js';
import type { WatchEvent } from '../../../analyze/watch/index.js';
import { collectSnapshot, realHostIO } from '../../../collect/index.js';
import { roundTriggers } from '../../../collect/watch/index.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { printableLines } from '../../../render/common/printable.js';
import { renderWatchEventJson, renderWatchEventText } from '../../../render/index.js';
import { VERSION } from '../../../version.js';
import { type RoundFailure, type RoundHost, type WatchRound, runWatchLoop } from '../../../watch/index.js';
import { DEFAULT_SSH_PARALLEL, DEFAULT_SSH_TIMEOUT_S } from '../../../collect/ssh/index.js';
import { ExitCode, InputError, describeDiagnostic } from '../../errors.js';
import { reportUnreadable } from '../../load-hosts.js';
import { readPolicy } from '../audit.js';
import { type CollectSshOptions, integerOption, resolveSshTargets } from '../collect-ssh.js';
import { execHook } from './exec-hook.js';
import { sshRoundCollector } from './ssh-rounds.js';
import { changedSnapshotSink } from './store-sink.js';
import { checkStoreLocation, storeSnapshots } from '../../store-access.js';

export interface WatchOptions {
  interval?: string;
  socketPoll?: string;
  exec?: string;
  format?: 'text' | 'json';
  failOn?: Severity | 'none';
  config?: string;
  monitor?: boolean;
}

export type WatchCommandOptions = WatchOptions & Omit<CollectSshOptions, 'out'>;

const FLEET_ONLY = ['limit', 'parallel', 'sudo', 'timeout', 'sshConfig'] as const;

/** Seconds as given on the command line; an input error (exit 2) otherwise. */
function seconds(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n < min) {
    throw new InputError(`${flag}: expected a number of seconds${min > 0 ? ` of at least ${min}` : ''}; got "${value.slice(0, 40)}" (e.g. ${flag} 60)`);
  }
  return n;
}

const say = (text: string): void => void process.stderr.write(`portcullis watch: ${printableLines(text)}\n`);

function roundSummary(r: WatchRound, fleet: boolean): string {
  const services = r.report.hosts.reduce((n, h) => n + h.services.length, 0);
  const outside = r.report.hosts.reduce((n, h) => n + h.services.filter((s) => s.exposure !== 'local' && s.exposure !== 'closed').length, 0);
  const hosts = fleet ? `${r.hosts.length} host(s) collected${r.carried.length > 0 ? `, ${r.carried.length} judged by their last good round (${r.carried.join(', ')})` : ''}: ` : '';
  return `${hosts}${services} listening socket(s), ${outside} reachable from outside ${fleet ? 'their host' : 'the host'}`;
}

function failureText(f: RoundFailure): string {
  const lines = (f.diagnostics ?? []).filter((d) => d.severity === 'error').slice(0, 5).map((d) => `  ${describeDiagnostic(d)}`);
  const phase = f.phase === 'sink' ? 'could not be stored' : f.phase === 'collect' ? 'could not be collected' : 'could not be analysed';
  if (f.host !== undefined) {
    const then = f.hasReference ? 'its last good round stays its reference' : 'its baseline is taken when it answers';
    return [`round ${f.round}: ${f.host} ${phase}: ${f.reason}; ${then}`, ...lines].join('\n');
  }
  return [`round ${f.round} ${phase}: ${f.reason}; ${f.round === 0 ? 'the baseline is taken at the next round' : 'the previous round stays the reference'}`, ...lines].join('\n');
}

/** The round collector of --ssh/--inventory, or null when watching this host. */
async function fleetCollector(opts: WatchCommandOptions): Promise<(() => Promise<RoundHost[]>) | null> {
  if (opts.ssh === undefined && opts.inventory === undefined) {
    const stray = FLEET_ONLY.filter((k) => opts[k] !== undefined).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (stray.length > 0) throw new InputError(`watch: ${stray.join(', ')} go with --ssh or --inventory`);
    return null;
  }
  const targets = await resolveSshTargets(opts, 'watch');
  const parallel = integerOption(opts.parallel, '--parallel', DEFAULT_SSH_PARALLEL, 1, 1000);
  const timeoutSeconds = integerOption(opts.timeout, '--timeout', DEFAULT_SSH_TIMEOUT_S, 1, 86_400);
  if (opts.sshConfig !== undefined) await readFile(opts.sshConfig).catch(() => Promise.reject(new InputError(`--ssh-config ${opts.sshConfig}: cannot read it`)));
  return sshRoundCollector(targets, {
    parallel,
    timeoutSeconds,
    ...(opts.sudo ? { sudo: true } : {}),
    ...(opts.sshConfig !== undefined ? { sshConfig: opts.sshConfig } : {}),
  }, say);
}

export async function runWatch(opts: WatchCommandOptions): Promise<number> {
  const intervalS = seconds(opts.interval ?? '60', '--interval', 1);
  const json = opts.format === 'json';
  const failOn = opts.failOn ?? 'high';
  const fleet = await fleetCollector(opts);
  // Remote hosts: interval only (nft monitor, ip monitor and /proc/net would watch this machine).
  const pollS = fleet ? 0 : seconds(opts.socketPoll ?? '1', '--socket-poll', 0);
  const policy = await readPolicy(opts.config);
  if (opts.db !== undefined) checkStoreLocation(opts.db);
  const db = opts.db;
  // Fleet hosts are keyed by their target name (their snapshot already carries it); this host by its host name, as `collect --db`.
  const sink = db === undefined ? undefined : changedSnapshotSink((hosts) => storeSnapshots(db, hosts), (label, snapshot) => (fleet ? label : snapshot.host.hostname));
  const io = realHostIO();
  let first = true;
  const collectRound =
    fleet ??
    (async (): Promise<RoundHost[]> => {
      const snapshot: Snapshot = await collectSnapshot(io);
      if (first) reportUnreadable(snapshot);
      first = false;
      return [{ label: 'this host', snapshot }];
    });

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
  const monitors = opts.monitor === false || fleet ? [] : undefined;
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
      ...(sink ? { sink } : {}),
      onEvent: emit,
      onRound: (r, details) => {
        if (r.round === 0) {
          const how = fleet
            ? [`a full round of every host over SSH every ${intervalS} s (interval only: nft monitor, ip monitor and the socket poll cannot follow remote hosts)`]
            : [opts.monitor === false ? null : 'following nft monitor and ip monitor', pollS > 0 ? `polling listening sockets every ${pollS} s` : null, `a full round every ${intervalS} s`].filter((x) => x !== null);
          say(`baseline: ${roundSummary(r, fleet !== null)}; ${how.join('; ')}`);
          return;
        }
        const why = details.length > 0 ? details.join(' | ') : r.trigger;
        say(`round ${r.round} (${why}): ${roundSummary(r, fleet !== null)}; ${r.events.length === 0 ? 'no widening' : `${r.events.length} widening event(s)`}`);
      },
      // A host's outage is said once, by its host-down event (with the dump's errors here, when
      // it could not be analysed); the round lines name the hosts still judged by an old round.
      onFailure: (f) => {
        if (f.host === undefined) say(failureText(f));
        else if (f.downSince === f.round && (f.diagnostics ?? []).length > 0) say(failureText(f));
      },
    });
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await hook?.drain();
  }
  return ExitCode.ok;
}
