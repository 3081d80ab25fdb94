#!/usr/bin/env node
/**
 * How long one worker thread's fold result takes to cross to the main thread: it reads the
 * first half of a log (as a worker of two does), then times the crossing as the worker does it
 * (structuredClone with the columns' buffers transferred, what postMessage does) and, for
 * comparison, v8.serialize / v8.deserialize of the whole result (every buffer copied). Before
 * the columns (BENCHMARKS.md, logs "Fourth pass") a state of 40,052 sources serialised to
 * 22.9 MB in 86-203 ms and deserialised in 208-401 ms, into 40,052 objects.
 *
 *   npm run build && node bench/logs/clone-state.mjs /tmp/portcullis-bench-logs/bsd-200mb-s1.log
 *
 * @module
 */
import { loadavg } from 'node:os';
import { deserialize, serialize } from 'node:v8';

const DIST = new URL('../../dist/', import.meta.url);
const { LogFold, foldResultBuffers } = await import(new URL('analyze/log-summary/index.js', DIST).href);
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
let t = performance.now();
const result = fold.finish();
const finishMs = performance.now() - t;
t = performance.now();
const bytes = serialize(result);
const serializeMs = performance.now() - t;
t = performance.now();
deserialize(bytes);
const deserializeMs = performance.now() - t;
const buffers = foldResultBuffers(result);
const columnBytes = buffers.reduce((n, b) => n + b.byteLength, 0);
t = performance.now();
structuredClone(result, { transfer: buffers });
const transferMs = performance.now() - t;
const mb = (n) => (n / 1048576).toFixed(1);
console.log(
  `sources ${result.sources.addresses.length}; finish (columns) ${finishMs.toFixed(0)} ms; transferred ${transferMs.toFixed(0)} ms (${mb(columnBytes)} MB of columns moved, not copied); ` +
    `copied instead: serialize ${mb(bytes.length)} MB in ${serializeMs.toFixed(0)} ms, deserialize ${deserializeMs.toFixed(0)} ms; load average ${loadavg()[0].toFixed(2)}`,
);
