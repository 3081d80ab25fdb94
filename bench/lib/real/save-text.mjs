/**
 * Helpers shared by the real-host generators: iptables-restore text assembled per table,
 * and IPv4 material scattered over the whole address space (as real bans and country
 * prefixes are). These addresses are data in a ruleset loaded into a throwaway namespace
 * with no route anywhere: nothing is ever sent to them.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { v4ToString } from '../addresses.mjs';

/** `*table`, chain headers (base chains with their policy), rules, COMMIT. */
export function tableText(name, { policies = {}, chains = [], rules = [] }) {
  const out = [`*${name}`];
  for (const [chain, policy] of Object.entries(policies)) out.push(`:${chain} ${policy} [0:0]`);
  for (const chain of [...new Set(chains)].sort()) out.push(`:${chain} - [0:0]`);
  // A loop, not push(...rules): a million rules are too many arguments for one call.
  for (const rule of rules) out.push(rule);
  out.push('COMMIT');
  return out.join('\n');
}

/** A whole restore file from table texts. */
export const restoreText = (tables) => `${tables.join('\n')}\n`;

/**
 * `count` distinct unicast IPv4 addresses scattered uniformly over 1.0.0.0-223.255.255.255
 * (what fail2ban and CrowdSec ban: attackers from everywhere), skipping the documentation
 * and benchmark ranges the benchmark's own flows come from. Ascending.
 */
export function scatteredAddrs(rng, count) {
  const seen = new Set();
  const lo = 0x01000000;
  const hi = 0xe0000000;
  while (seen.size < count) {
    const a = lo + Math.floor(rng.next() * (hi - lo));
    if (reservedForFlows(a)) continue;
    seen.add(a);
  }
  return [...seen].sort((x, y) => x - y);
}

/** 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15, 127/8, 10/8: the benchmark's flows and the host itself. */
function reservedForFlows(a) {
  const top = a >>> 24;
  if (top === 127 || top === 10) return true;
  const p24 = a >>> 8;
  if (p24 === 0xc00002 || p24 === 0xc63364 || p24 === 0xcb0071) return true;
  return a >>> 17 === 0xc612 >>> 1;
}

/**
 * `count` disjoint, non-adjacent IPv4 prefixes (/16 to /24, mostly /20-/24, as country
 * lists from RIR delegations are) spread over the whole space: one per equal slot, so the
 * interval count is exactly `count`. Ascending, as {addr, len}.
 */
export function scatteredPrefixes(rng, count) {
  const lo = 0x01000000;
  const slot = Math.floor((0xe0000000 - lo) / count);
  const out = [];
  for (let i = 0; i < count; i++) {
    const start = lo + i * slot;
    // Largest prefix that fits a slot with room for a gap after it.
    let len = rng.pick([24, 24, 24, 23, 22, 22, 21, 20, 19, 18, 16]);
    while (2 ** (32 - len) * 2 > slot && len < 32) len++;
    const size = 2 ** (32 - len);
    const first = Math.ceil(start / size) * size;
    const room = Math.floor((start + slot - size - first) / size) - 1;
    const net = first + size * Math.max(0, Math.floor(rng.next() * Math.max(room, 0)));
    if (reservedForFlows(net) || reservedForFlows(net + size - 1)) continue;
    out.push({ addr: v4ToString(net), len });
  }
  return out;
}

/** kube-proxy's chain suffix: 16 base32 characters of a hash of the service's name. */
export function kubeHash(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i] & 31];
  return out;
}

/** The probability iptables-save prints for `--probability p` (stored as p × 2^31, printed %.11f). */
export function savedProbability(p) {
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}
