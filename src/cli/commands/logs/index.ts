/**
 * `portcullis logs`: what the world tries against the host, from the firewall's drop log
 * (files, rotated and gzip files merged by time, standard input, or the journal), joined with
 * what the host really exposes.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type FoldOptions, type FoldResult, LogFold, type LogSummary, emptyFoldResult, mergeFoldResults, summarize } from '../../../analyze/log-summary/index.js';
import { type LogFileInfo, LogReadError, inspectLogFile, orderByFirstStamp, readJournal, readLogHead, readStdin } from '../../../collect/logs/index.js';
import { renderLogsHtml } from '../../../render/logs/logs-html.js';
import { renderLogsJsonPieces } from '../../../render/logs/logs-json.js';
import { renderLogsText } from '../../../render/logs/logs-text.js';
import { shouldColor } from '../../../render/index.js';
import { VERSION } from '../../../version.js';
import { ExitCode, InputError } from '../../errors.js';
import { type ReportText, writeOutput } from '../../output.js';
import { loadExposure } from './exposure.js';
import { runFollow } from './follow.js';
import { type LogsOptions, parsePositive, parseTime } from './options.js';
import { Progress } from './progress.js';
import { readIntoFold } from './read-into-fold.js';
import { scanFiles } from './scan-files.js';

export type { LogsOptions } from './options.js';

function foldOptions(opts: LogsOptions, now: Date): FoldOptions {
  const fold: FoldOptions = {
    scan: {
      ports: Math.floor(parsePositive(opts.scanPorts, '--scan-ports', 15, 65536 * 4)),
      windowMs: Math.round(parsePositive(opts.scanWindow, '--scan-window', 60, 86_400 * 366) * 1000),
    },
  };
  if (opts.since) fold.since = parseTime(opts.since, '--since', now);
  if (opts.until) fold.until = parseTime(opts.until, '--until', now);
  if (fold.since !== undefined && fold.until !== undefined && fold.until <= fold.since) throw new InputError(`--until must be later than --since`);
  return fold;
}

async function inspect(paths: string[]): Promise<LogFileInfo[]> {
  try {
    return await Promise.all(paths.map(inspectLogFile));
  } catch (err) {
    if (err instanceof LogReadError) throw new InputError(`cannot read log ${err.path}: ${err.reason}`);
    throw err;
  }
}

/** A non-empty file with no syslog or journal line at all is not a log: say so with line 1. */
async function checkRecognised(files: LogFileInfo[], perFile: { path: string; lines: number; recognised: number }[]): Promise<void> {
  for (const [i, f] of perFile.entries()) {
    if (f.lines === 0 || f.recognised > 0) continue;
    const head = (await readLogHead(files[i]!, 4096)).toString('utf8');
    const first = head.split('\n')[0] ?? '';
    throw new InputError(
      `${f.path}:1: not a syslog or journal line; expected e.g. "Dec  1 10:00:00 host kernel: [UFW BLOCK] IN=eth0 OUT= …", an RFC 3339 or RFC 5424 line, or a journalctl -o json record; got "${first.slice(0, 80)}${first.length > 80 ? '…' : ''}"`,
    );
  }
}

async function readAll(paths: string[], opts: LogsOptions, fold: FoldOptions, now: Date): Promise<{ state: FoldResult; inputs: string[] }> {
  let state = emptyFoldResult();
  const inputs: string[] = [];
  let progress: Progress | undefined;
  try {
    const files = await orderByFirstStamp(await inspect(paths.filter((p) => p !== '-')), now);
    progress = new Progress(files.reduce((n, f) => n + f.size, 0));
    inputs.push(...files.map((f) => f.path));
    const streams: [string, AsyncIterable<Buffer>][] = [];
    if (paths.includes('-')) streams.push(['(stdin)', readStdin()]);
    if (opts.journal) streams.push(['(journal)', readJournal({ ...(fold.since !== undefined ? { since: fold.since } : {}), ...(fold.until !== undefined ? { until: fold.until } : {}) })]);
    if (files.length > 0) {
      const scan = await scanFiles(files, fold, now, (b) => progress!.add(b), streams.length === 0);
      await checkRecognised(files, scan.files);
      state = scan.state;
    }
    for (const [k, [name, chunks]] of streams.entries()) {
      const part = new LogFold(fold);
      await readIntoFold(chunks, name, part, now, { onBytes: (b) => progress!.add(b) });
      state = mergeFoldResults(state, part.finish(), fold.scan, fold.examples, k === streams.length - 1);
      inputs.push(name);
    }
  } catch (err) {
    if (err instanceof LogReadError) throw new InputError(`cannot read log ${err.path}: ${err.reason}`);
    throw err;
  } finally {
    progress?.end();
  }
  return { state, inputs };
}

function render(summary: LogSummary, format: 'text' | 'json' | 'html', color: boolean): ReportText {
  if (format === 'json') return renderLogsJsonPieces(summary);
  if (format === 'html') return renderLogsHtml(summary);
  return renderLogsText(summary, { color });
}

/** Logs of this host: the journal, or files under /var/log (then the live exposure applies). */
async function isOwnLog(paths: string[], journal: boolean): Promise<boolean> {
  if (journal) return true;
  if (paths.length === 0 || paths.includes('-')) return false;
  return paths.every((p) => resolve(p).startsWith('/var/log/'));
}

export async function runLogs(paths: string[], opts: LogsOptions): Promise<number> {
  const now = new Date();
  const format = opts.format ?? 'text';
  const fold = foldOptions(opts, now);
  const inputs = paths.length === 0 && !opts.journal ? ['-'] : paths;
  if (inputs.includes('-') && process.stdin.isTTY) {
    throw new InputError('no log to read: give FILE…, - with a pipe (zcat kern.log.2.gz | portcullis logs -), or --journal; e.g. portcullis logs --journal --since 24h');
  }
  const exposure = await loadExposure(opts.snapshot, !opts.snapshot && (await isOwnLog(inputs, Boolean(opts.journal))), now);

  if (opts.follow) {
    const files = inputs.filter((p) => p !== '-');
    if (files.length + (opts.journal ? 1 : 0) + (inputs.includes('-') ? 1 : 0) !== 1) throw new InputError('--follow reads one input: one file, - (standard input) or --journal');
    if (files[0]) await stat(files[0]).catch(() => { throw new InputError(`cannot read log ${files[0]}: no such file`); });
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await runFollow({
      input: opts.journal ? { kind: 'journal' } : files[0] ? { kind: 'file', path: files[0] } : { kind: 'stdin' },
      fold,
      exposed: exposure?.ports ?? [],
      json: format === 'json',
      now,
      signal: controller.signal,
      write: (t) => process.stdout.write(t),
    });
    return ExitCode.ok;
  }

  const { state, inputs: read } = await readAll(inputs, opts, fold, now);
  const summary = summarize(state, {
    scan: fold.scan,
    now,
    toolVersion: VERSION,
    inputs: read,
    ...(fold.since !== undefined ? { since: fold.since } : {}),
    ...(fold.until !== undefined ? { until: fold.until } : {}),
    ...(exposure ? { exposure } : {}),
  });
  const color = !opts.out && format === 'text' && shouldColor(process.stdout, process.env);
  await writeOutput(opts.out, render(summary, format, color));
  return ExitCode.ok;
}
