/**
 * Preloaded into the CLI under test (`node --import`): writes the process's peak RSS and
 * CPU time (user + system) to $BENCH_RSS_FILE at exit, so the end-to-end figures are the
 * CLI's own, unchanged. CPU time is what a shared machine's load does not inflate.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  const u = process.resourceUsage();
  if (file) writeFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
});
