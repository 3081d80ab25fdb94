#!/usr/bin/env node
/**
 * The single-threaded tail of a parallel `portcullis logs` read, stage by stage: the file cut in
 * two halves at a line end (what two threads fold), each half folded and finished, the second
 * half's result posted through a MessageChannel as a worker posts it (transfer list included),
 * then merge, summarize and the JSON report. CPU ms of this process per stage, and an md5 of
 * the JSON report (generatedAt fixed) to show that two builds give the same answer.
 *
 *   npm run build && node bench/logs/tail.mjs FILE [--dist /work/base/dist]
 *
 * Each stage runs once, as in the command (the merge and the report run cold there too).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string', default: new URL('../../dist', import.meta.url).pathname } } });
const file = positionals[0];
if (!file) throw new Error('usage: tail.mjs FILE [--dist DIR]');
const dist = pathToFileURL(resolve(values.dist)).href;
const { LogFold, emptyFoldResult, foldResultBuffers, mergeFoldResults, summarize } = await import(`${dist}/analyze/log-summary/index.js`);
const { LogLineReader } = await import(`${dist}/parse/netfilter-log/index.js`);
const { renderLogsJson } = await import(`${dist}/render/logs/logs-json.js`);

const bytes = readFileSync(file);
const mid = bytes.indexOf(10, bytes.length >> 1) + 1;
const scan = { ports: 15, windowMs: 60_000 };
const mtime = statSync(file).mtime;
const ms = {};
const cpu = (stage, f) => {
  const c = process.cpuUsage();
  const value = f();
  const u = process.cpuUsage(c);
  ms[stage] = (ms[stage] ?? 0) + (u.user + u.system) / 1000;
  return value;
};
const half = (b) => {
  const fold = new LogFold({ scan });
  fold.file = file;
  const reader = new LogLineReader(fold, mtime);
  for (let at = 0; at < b.length; at += 1 << 20) reader.push(b.subarray(at, at + (1 << 20)));
  reader.end();
  return cpu('finish', () => fold.finish());
};
const first = half(bytes.subarray(0, mid));
const second = half(bytes.subarray(mid));
const c0 = process.cpuUsage();
const { port1, port2 } = new MessageChannel();
const posted = await new Promise((done) => {
  port2.once('message', done);
  port1.postMessage(second, foldResultBuffers(second));
});
port1.close();
const cu = process.cpuUsage(c0);
ms.post = (cu.user + cu.system) / 1000;
const merged = cpu('merge', () => mergeFoldResults(mergeFoldResults(emptyFoldResult(), first, scan), posted, scan, 5, true));
const summary = cpu('summarize', () => summarize(merged, { scan, now: new Date('2030-01-01T00:00:00Z'), toolVersion: 'bench', inputs: [file] }));
const json = cpu('json', () => renderLogsJson(summary));
const md5 = createHash('md5').update(json).digest('hex');
console.log(`${values.dist} load ${loadavg()[0].toFixed(1)}: ${Object.entries(ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')} ms CPU; sources ${merged.sources.addresses.length}, md5 ${md5}`);
