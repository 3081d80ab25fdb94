/**
 * IPv4 addresses without iproute2: the local addresses from /proc/net/fib_trie (leaves
 * marked "/32 host LOCAL"), each given the interface and prefix length of the connected
 * route (/proc/net/route, no gateway) that holds it. An address without such a route
 * (a /32 on its own) cannot be placed on an interface from /proc, and is reported.
 *
 * @module
 */
import { parseAddr } from '../model/addr.js';
import type { InterfaceAddress } from '../model/snapshot.js';
import { addToList } from '../model/list-map.js';

/** Local IPv4 addresses listed in /proc/net/fib_trie, in order, without duplicates. */
export function parseFibTrieLocal(text: string): string[] {
  const out = new Set<string>();
  let leaf: string | null = null;
  for (const line of text.split('\n')) {
    const l = /^\s*\|--\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(line);
    if (l) {
      leaf = l[1]!;
      continue;
    }
    if (leaf && /^\s*\/32\s+host\s+LOCAL\s*$/.test(line)) out.add(leaf);
    else if (/^\s*\+--/.test(line) || /^\S/.test(line)) leaf = null;
  }
  return [...out];
}

export interface ConnectedRoute {
  iface: string;
  /** Network as a 32-bit number, and the prefix length. */
  network: number;
  prefixLength: number;
}

/** Connected routes (gateway 0.0.0.0) of /proc/net/route; hex words are in host (little-endian) order. */
export function parseProcRoute(text: string): ConnectedRoute[] {
  const out: ConnectedRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-Fa-f]{8}$/.test(f[1]!) || !/^[0-9A-Fa-f]{8}$/.test(f[7]!)) continue;
    if (f[2] !== '00000000') continue;
    const mask = leWord(f[7]!);
    let prefixLength = 0;
    let rest = mask;
    while (rest & 0x80000000) {
      prefixLength++;
      rest = (rest << 1) >>> 0;
    }
    if (rest !== 0 || prefixLength === 0) continue; // a non-contiguous mask, or the default route
    out.push({ iface: f[0]!, network: (leWord(f[1]!) & mask) >>> 0, prefixLength });
  }
  return out;
}

function leWord(hex: string): number {
  return parseInt(hex.slice(6, 8) + hex.slice(4, 6) + hex.slice(2, 4) + hex.slice(0, 2), 16) >>> 0;
}

/**
 * Put each local address on an interface: the longest connected route holding it; 127/8
 * goes to the loopback interface. Addresses no route holds come back in `unplaced`.
 */
export function placeIpv4(locals: readonly string[], routes: readonly ConnectedRoute[], loopback: string | null): { placed: Map<string, InterfaceAddress[]>; unplaced: string[] } {
  const placed = new Map<string, InterfaceAddress[]>();
  const unplaced: string[] = [];
  const add = (iface: string, a: InterfaceAddress) => addToList(placed, iface, a);
  for (const address of locals) {
    const v = parseAddr(address)?.value as number | undefined;
    if (v === undefined) continue;
    if (v >>> 24 === 127 && loopback) {
      add(loopback, { family: 'ipv4', address, prefixLength: 8, scope: 'host' });
      continue;
    }
    let best: ConnectedRoute | null = null;
    for (const r of routes) {
      const mask = r.prefixLength === 0 ? 0 : (~0 << (32 - r.prefixLength)) >>> 0;
      if (((v & mask) >>> 0) === r.network && (!best || r.prefixLength > best.prefixLength)) best = r;
    }
    if (best) add(best.iface, { family: 'ipv4', address, prefixLength: best.prefixLength, scope: 'global' });
    else unplaced.push(address);
  }
  return { placed, unplaced };
}
