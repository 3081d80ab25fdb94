#!/usr/bin/env node
/**
 * The reader + line parser alone, without the fold: the part of `portcullis logs` that turns
 * bytes into packet records. A sink that only counts stands in for the fold, so the time is
 * what reading, cutting lines and parsing netfilter fields cost on one thread.
 *
 *   npm run build && node bench/logs/parse-only.mjs FILE [--dist DIR] [--read-only] [--src] [--memory N]
 *
 * --dist: another build's dist (e.g. /work/base/dist) to compare back to back.
 * --read-only: read the bytes and count newlines only (the floor: file reading).
 * --src: the sink reads `rec.src` of every drop (what a fold costs when it keys on text).
 * --memory N: read the file into memory once, then parse it N times (1 MiB chunks) and report
 *   the fastest pass: the parser alone, steadier than one pass on a loaded machine.
 * Prints MB/s of CPU time (user+sys of this process) and of wall time, and the counts.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { memory: { type: 'string', default: '0' }, dist: { type: 'string', default: new URL('../../dist', import.meta.url).pathname }, 'read-only': { type: 'boolean', default: false }, src: { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) throw new Error('usage: parse-only.mjs FILE [--dist DIR] [--read-only] [--src]');
const dist = resolve(values.dist);
const { inspectLogFile, readLogBytes } = await import(pathToFileURL(`${dist}/collect/logs/index.js`).href);
const { LogLineReader } = await import(pathToFileURL(`${dist}/parse/netfilter-log/index.js`).href);

const info = await inspectLogFile(file);
const counts = { records: 0, drops: 0, repeated: 0, malformed: 0, skipped: 0, srcChars: 0, dptSum: 0 };
const readSrc = values.src;
const sink = {
  record(rec) {
    counts.records++;
    if (rec.drop) counts.drops++;
    counts.dptSum += rec.dpt;
    if (readSrc) counts.srcChars += rec.src.length;
  },
  repeated(_rec, n) {
    counts.repeated += n;
  },
  malformed() {
    counts.malformed++;
  },
  skipped() {
    counts.skipped++;
  },
};

const passes = Number(values.memory);
if (passes > 0) {
  const bytes = readFileSync(file);
  let best = Infinity;
  for (let i = 0; i < passes; i++) {
    for (const k of Object.keys(counts)) counts[k] = 0;
    const c0 = process.cpuUsage();
    const reader = new LogLineReader(sink, new Date(info.mtime));
    for (let at = 0; at < bytes.length; at += 1 << 20) reader.push(bytes.subarray(at, at + (1 << 20)));
    reader.end();
    const u = process.cpuUsage(c0);
    best = Math.min(best, (u.user + u.system) / 1e6);
  }
  const mb = info.size / 1048576;
  console.log(JSON.stringify({ dist, mb: +mb.toFixed(1), passes, bestCpuS: +best.toFixed(3), cpuMBps: +(mb / best).toFixed(0), ...counts }));
  process.exit(0);
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lines = 0;
if (values['read-only']) {
  for await (const chunk of readLogBytes(info)) {
    for (let p = chunk.indexOf(10); p >= 0; p = chunk.indexOf(10, p + 1)) lines++;
  }
} else {
  const reader = new LogLineReader(sink, new Date(info.mtime));
  for await (const chunk of readLogBytes(info)) reader.push(chunk);
  reader.end();
  lines = reader.line;
}
const wall = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
const cpu = (used.user + used.system) / 1e6;
const mb = info.size / 1048576;
console.log(JSON.stringify({ dist, mb: +mb.toFixed(1), lines, cpuS: +cpu.toFixed(2), wallS: +wall.toFixed(2), cpuMBps: +(mb / cpu).toFixed(0), wallMBps: +(mb / wall).toFixed(0), ...counts }));
