#!/usr/bin/env node
// What starting a child process costs Node's main thread on this machine (issue 8: why `collect`
// stays above 2x the kernel tools' dump on a small host). Spawns /bin/true N times in a row
// (default 9, as many as collect starts) and prints the wall time and the parent's own CPU.
// Usage: node bench/spawn-cost.mjs [N] [LIVE_OBJECTS]  (LIVE_OBJECTS grows the heap first, to see
// whether the cost follows the parent's size).
import { spawn } from 'node:child_process';

const n = Number(process.argv[2] ?? 9);
const live = Array.from({ length: Number(process.argv[3] ?? 0) }, (_, i) => ({ i }));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const exits = [];
for (let i = 0; i < n; i++) {
  const child = spawn('/bin/true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
  exits.push(new Promise((resolve) => child.on('close', resolve)));
}
await Promise.all(exits);
const cpu = process.cpuUsage(cpu0);
console.log(`${n} spawns of /bin/true: ${(performance.now() - t0).toFixed(1)} ms wall, parent CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms (libuv ${process.versions.uv}, ${live.length} live objects)`);
