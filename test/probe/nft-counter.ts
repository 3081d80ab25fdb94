/**
 * Reads an nft counter the live probe tests put in a namespace: the packets that crossed one
 * chain (a refusal sends none, a resolver that must stay inside its namespace sends none).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';

/** The packets counted by every `counter` statement of `inet TABLE CHAIN` in namespace `ns`. */
export function counterPackets(ns: string, table: string, chain: string): number {
  const out = execFileSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'chain', 'inet', table, chain], { encoding: 'utf8' });
  let n = 0;
  for (const item of (JSON.parse(out) as { nftables: { rule?: { expr: { counter?: { packets: number } }[] } }[] }).nftables) {
    for (const e of item.rule?.expr ?? []) if (e.counter) n += e.counter.packets;
  }
  return n;
}
