/**
 * Preloaded into the CLI under test (`node --import`): writes the process's peak RSS to
 * $BENCH_RSS_FILE at exit, so the end-to-end figure is the CLI's own, unchanged.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
});
