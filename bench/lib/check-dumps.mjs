/**
 * Proof that generated dumps are what the real tools accept and print: each check runs in
 * its own throwaway namespace, so the host's firewall is never touched.
 *
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { createNetns, deleteNetns, inNetns, netnsAvailable, run } from './netns.mjs';

/** Lines that matter in a -save dump (no comments, no counters), tables in name order (iptables-save prints them in load order). */
function saveLines(text) {
  const tables = [];
  for (const l of text.split('\n')) {
    if (l === '' || l.startsWith('#')) continue;
    if (l.startsWith('*')) tables.push([]);
    tables.at(-1)?.push(l.replace(/ \[\d+:\d+\]$/, ' [0:0]'));
  }
  return tables.sort((a, b) => a[0].localeCompare(b[0])).flat();
}

function firstDiff(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `line ${i + 1}: generated ${JSON.stringify(a[i])}, tool printed ${JSON.stringify(b[i])}`;
  return null;
}

/** Path of the first difference between two JSON values. */
function jsonDiff(a, b, path = '$') {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path}: generated ${JSON.stringify(a)?.slice(0, 200)}, tool printed ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = jsonDiff(a[k], b[k], `${path}[${JSON.stringify(k)}]`);
    if (d) return d;
  }
  return `${path}: differs`;
}

function step(out, what, fn) {
  try {
    const detail = fn();
    out.push({ what, ok: detail === null || detail === undefined, detail: detail ?? '' });
  } catch (e) {
    out.push({ what, ok: false, detail: String(e.message).slice(0, 500) });
  }
}

/** Checks the dumps of one generated case; returns one line per check. */
export function checkCase(c) {
  const out = [];
  if (!netnsAvailable()) return [{ what: 'netns checks', ok: false, detail: 'needs root and iproute2 (ip netns)' }];
  const ns = createNetns('chk');
  try {
    const { iptables, ip6tables, nftText, nftJson } = c.dumps;
    if (iptables) {
      step(out, 'iptables-restore --test (nft backend)', () => { run(inNetns(ns, ['iptables-restore', '--test']), { input: iptables }); });
      step(out, 'iptables-legacy-restore --test', () => { run(inNetns(ns, ['iptables-legacy-restore', '--test']), { input: iptables }); });
      step(out, 'iptables-legacy-restore + iptables-legacy-save round trip', () => {
        run(inNetns(ns, ['iptables-legacy-restore']), { input: iptables });
        return firstDiff(saveLines(iptables), saveLines(run(inNetns(ns, ['iptables-legacy-save'])).stdout));
      });
    }
    if (ip6tables) {
      step(out, 'ip6tables-restore --test (nft backend)', () => { run(inNetns(ns, ['ip6tables-restore', '--test']), { input: ip6tables }); });
      step(out, 'ip6tables-legacy-restore + ip6tables-legacy-save round trip', () => {
        run(inNetns(ns, ['ip6tables-legacy-restore']), { input: ip6tables });
        return firstDiff(saveLines(ip6tables), saveLines(run(inNetns(ns, ['ip6tables-legacy-save'])).stdout));
      });
    }
    if (nftText) {
      step(out, 'nft -c -f', () => { run(inNetns(ns, ['nft', '-c', '-f', '-']), { input: nftText }); });
      step(out, 'nft -f, then nft -j list ruleset equals the generated JSON', () => {
        run(inNetns(ns, ['nft', '-f', '-']), { input: nftText });
        const printed = JSON.parse(run(inNetns(ns, ['nft', '-j', 'list', 'ruleset'])).stdout);
        // Table handles come from a kernel-wide counter (not per namespace): compare the rest.
        for (const o of printed.nftables) if (o.table) o.table.handle = null;
        const generated = JSON.parse(nftJson);
        for (const o of generated.nftables) if (o.table) o.table.handle = null;
        return jsonDiff(generated, printed);
      });
    }
  } finally {
    deleteNetns(ns);
  }
  return out;
}
