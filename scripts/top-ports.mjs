// Regenerates src/probe/top-ports.ts from nmap's nmap-services (Debian: /usr/share/nmap/nmap-services).
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? '/usr/share/nmap/nmap-services';
const rows = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line.startsWith('#') || !line.trim()) continue;
  const f = line.split(/\s+/);
  const m = /^(\d+)\/tcp$/.exec(f[1] ?? '');
  if (m) rows.push([Number(m[1]), parseFloat(f[2])]);
}
rows.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
const top = rows.slice(0, 1000).map((r) => r[0]);
const lines = [];
for (let i = 0; i < top.length; i += 20) lines.push(`  ${top.slice(i, i + 20).join(', ')},`);
const out = new URL('../src/probe/top-ports.ts', import.meta.url);
writeFileSync(
  out,
  `/**
 * The 1,000 TCP ports nmap scans by default, most frequent first: its nmap-services
 * frequencies (Debian nmap 7.93), sorted by open-frequency, ties by port. Regenerate with
 * scripts/top-ports.mjs.
 *
 * @module
 */
export const TOP_1000_TCP: readonly number[] = [
${lines.join('\n')}
];
`,
);
