/**
 * A cloud path in one line: the deciding rules of its filtering hops, in path order (for
 * finding facts and the terminal alike).
 *
 * @module
 */
import type { PathHop } from './types.js';

export function hopsTextOf(path: readonly PathHop[]): string {
  const parts: string[] = [];
  for (const hop of path) {
    if (hop.layer === 'internet-gateway' || hop.layer === 'network-interface') continue;
    for (const r of hop.rules) parts.push(`${r.id} ${r.rule} (${r.text})`);
  }
  return parts.join(', ');
}
