/**
 * `--ports SPEC`: "22,80,443,6000-7000", "top1000" (nmap's frequency order) or "all".
 *
 * @module
 */
import { TOP_1000_TCP } from './top-ports.js';

export type PortSpecResult = { ports: number[]; error: null } | { ports: null; error: string };

/** Ports in the order given (top1000: most frequent first), each once. */
export function parsePortSpec(spec: string): PortSpecResult {
  const text = spec.trim().toLowerCase();
  if (text === 'top1000') return { ports: [...TOP_1000_TCP], error: null };
  if (text === 'all') return { ports: Array.from({ length: 65535 }, (_, i) => i + 1), error: null };
  const seen = new Set<number>();
  const ports: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part.trim());
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from < 1 || to > 65535 || from > to) {
      return { ports: null, error: `bad port list "${spec}" at "${part}": expected ports 1-65535 or ranges like 22,80,443,6000-7000, or top1000, or all` };
    }
    for (let p = from; p <= to; p++) {
      if (!seen.has(p)) ports.push(p);
      seen.add(p);
    }
  }
  return { ports, error: null };
}
