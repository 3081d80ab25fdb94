#!/usr/bin/env node
/**
 * How long one worker thread's fold state takes to cross to the main thread: it reads the
 * first half of a log (as a worker of two does) and times v8.serialize / v8.deserialize, the
 * format postMessage's structured clone uses. The figure a flat, transferable encoding of the
 * state would have to beat (BENCHMARKS.md, logs "Fourth pass").
 *
 *   npm run build && node bench/logs/clone-state.mjs /tmp/portcullis-bench-logs/bsd-200mb-s1.log
 *
 * @module
 */
import { loadavg } from 'node:os';
import { deserialize, serialize } from 'node:v8';

const DIST = new URL('../../dist/', import.meta.url);
const { LogFold } = await import(new URL('analyze/log-summary/index.js', DIST).href);
const { inspectLogFile, readLogBytes, splitAtLines } = await import(new URL('collect/logs/index.js', DIST).href);
const { readIntoFold } = await import(new URL('cli/commands/logs/read-into-fold.js', DIST).href);

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node bench/logs/clone-state.mjs LOG_FILE\n');
  process.exit(2);
}
const file = await inspectLogFile(path);
const [firstHalf] = await splitAtLines(file, 2);
// The defaults of `portcullis logs`: 15 ports within 60 s.
const fold = new LogFold({ scan: { ports: 15, windowMs: 60_000 } });
await readIntoFold(readLogBytes(file, firstHalf), file.path, fold, new Date(file.mtime));
const state = fold.finish();
let t = performance.now();
const bytes = serialize(state);
const serializeMs = performance.now() - t;
t = performance.now();
deserialize(bytes);
const deserializeMs = performance.now() - t;
console.log(`sources ${state.sources.size}, serialized ${(bytes.length / 1048576).toFixed(1)} MB, serialize ${serializeMs.toFixed(0)} ms, deserialize ${deserializeMs.toFixed(0)} ms, load average ${loadavg()[0].toFixed(2)}`);
