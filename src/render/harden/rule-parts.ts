/**
 * Pieces both firewall renderers share: the rate of an admin limit in the units the tools
 * take, comment text, and which families and sources a planned service's rules carry.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { ConnectionLimit } from '../../model/policy.js';
import type { PlannedService } from '../../analyze/harden/types.js';

const UNITS: [string, number][] = [
  ['minute', 60],
  ['hour', 3600],
  ['day', 86400],
];

/**
 * `connections` per `seconds` as a token bucket: burst = connections (all of them at once,
 * then one more each seconds/connections), rate in the smallest unit giving a whole number.
 */
export function limitRate(limit: ConnectionLimit): { rate: number; unit: string; burst: number } {
  for (const [unit, span] of UNITS) {
    if ((limit.connections * span) % limit.seconds === 0) return { rate: (limit.connections * span) / limit.seconds, unit, burst: limit.connections };
  }
  return { rate: Math.max(1, Math.ceil((limit.connections * 86400) / limit.seconds)), unit: 'day', burst: limit.connections };
}

/** A comment both tools keep: printable ASCII without quotes, at most 120 characters. */
export function commentText(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]|["\\]/g, '').replace(/\s+/g, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/** "ssh 22/tcp: allow[0] from admins (policy.yaml:14)". */
export function serviceComment(s: PlannedService): string {
  const who = s.process && s.process !== s.service ? `${s.service} (${s.process})` : s.service;
  return commentText(`${who} ${s.port}/${s.proto}: ${s.because.text}`);
}

/** The families this service gets rules in, with their source lists (`null`: everyone). */
export function familySources(s: PlannedService): { family: Family; sources: string[] | null }[] {
  const out: { family: Family; sources: string[] | null }[] = [];
  for (const family of s.families) {
    const list = s.sources[family];
    if (list.length === 0) continue;
    out.push({ family, sources: list.length === 1 && /\/0$/.test(list[0]!) ? null : list });
  }
  return out;
}
