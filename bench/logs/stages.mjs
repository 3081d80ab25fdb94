#!/usr/bin/env node
/**
 * `portcullis logs` stage by stage on one thread, bytes already in memory: the fold (reader,
 * parser and fold together), finish (sources to columns), summarize, and each renderer.
 * Each stage is timed in CPU seconds of this process and the fastest of N passes is printed,
 * which is steadier than one whole run on a shared machine; an md5 of the JSON report
 * (generatedAt fixed) shows that two builds give the same answer.
 *
 *   npm run build && node bench/logs/stages.mjs FILE [--passes 3] [--dist /work/base/dist] [--mb 50]
 *
 * --mb: only the first N MiB of the file (cut at a line end).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { passes: { type: 'string', default: '3' }, dist: { type: 'string', default: new URL('../../dist', import.meta.url).pathname }, mb: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: stages.mjs FILE [--passes N] [--dist DIR] [--mb N]');
const dist = pathToFileURL(resolve(values.dist)).href;
const { LogFold, summarize } = await import(`${dist}/analyze/log-summary/index.js`);
const { LogLineReader } = await import(`${dist}/parse/netfilter-log/index.js`);
const { renderLogsJson } = await import(`${dist}/render/logs/logs-json.js`);
const { renderLogsText } = await import(`${dist}/render/logs/logs-text.js`);
const { renderLogsHtml } = await import(`${dist}/render/logs/logs-html.js`);

let bytes = readFileSync(file);
if (values.mb) bytes = bytes.subarray(0, bytes.lastIndexOf(10, Number(values.mb) * 1048576) + 1);
const mtime = statSync(file).mtime;
const scan = { ports: 15, windowMs: 60_000 };
const now = new Date('2030-01-01T00:00:00Z');

const cpu = (f) => {
  const c0 = process.cpuUsage();
  const value = f();
  const u = process.cpuUsage(c0);
  return { value, s: (u.user + u.system) / 1e6 };
};

const best = {};
let md5 = '';
let sources = 0;
const passes = Number(values.passes);
for (let pass = 0; pass < passes; pass++) {
  const times = {};
  const fold = new LogFold({ scan });
  fold.file = file;
  times.fold = cpu(() => {
    const reader = new LogLineReader(fold, mtime);
    for (let at = 0; at < bytes.length; at += 1 << 20) reader.push(bytes.subarray(at, at + (1 << 20)));
    reader.end();
  }).s;
  const finished = cpu(() => fold.finish());
  times.finish = finished.s;
  const summary = cpu(() => summarize(finished.value, { scan, now, toolVersion: 'bench', inputs: [file] }));
  times.summarize = summary.s;
  const json = cpu(() => renderLogsJson(summary.value));
  times.json = json.s;
  times.text = cpu(() => renderLogsText(summary.value, { color: false })).s;
  times.html = cpu(() => renderLogsHtml(summary.value)).s;
  md5 = createHash('md5').update(json.value).digest('hex');
  sources = summary.value.sources.length;
  for (const [k, s] of Object.entries(times)) best[k] = Math.min(best[k] ?? Infinity, s);
}
const mb = bytes.length / 1048576;
const fmt = Object.fromEntries(Object.entries(best).map(([k, s]) => [k, +s.toFixed(3)]));
console.log(JSON.stringify({ dist: values.dist, mb: +mb.toFixed(1), sources, passes, bestCpuS: fmt, foldMBps: +(mb / best.fold).toFixed(0), md5, load: +loadavg()[0].toFixed(1) }));
