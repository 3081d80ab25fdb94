#!/usr/bin/env node
// First: the young generation's size is set before anything allocates much.
import './young-generation.js';
// And malloc keeps what the run frees for reuse (huge interval sets are rebuilt many times).
import './malloc-headroom.js';
// And before anything is optimized: how much each optimizing compile inlines.
import './inlining-budget.js';
import { plainCollectOptions, runPlainCollect } from './plain-collect.js';
import { snapshotToReadEarly } from './early-snapshot.js';
import { readEarly } from '../pool/early-read.js';

// The snapshot a command names is read while the rest of the CLI loads.
const early = snapshotToReadEarly(process.argv);
if (early !== null) readEarly(early);

// A reader that stops early (`| head`) closes the pipe: that is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// A plain collect skips the command table (plain-collect.ts); everything else goes through it.
const plainCollect = plainCollectOptions(process.argv);
process.exitCode = plainCollect === null ? await (await import('./main.js')).main(process.argv) : await runPlainCollect(plainCollect);
