/**
 * Which nftables tables `collect` lists with `nft -j` (issue 8). A table iptables-nft-save
 * already printed is read from that text by the pipeline, which passes its nft copy over: on a
 * kube-proxy node that copy was three quarters of the snapshot and the slowest dump. So the
 * copy is not asked for: `nft -j list table FAMILY NAME` for every other table, or one
 * `nft -j list ruleset` when nothing is left out (a plain nftables host keeps its one call).
 *
 * @module
 */
// The module itself, not the folder's index: collect has no use for the parser behind it.
import { XTABLES, savedXtables } from '../parse/iptables-save/xtables-tables.js';

/** A table as nft names it. */
export interface NftTable {
  family: string;
  name: string;
}

/**
 * The table list. `nft list tables` fetches every rule to print the names (nft 1.0.6: 9 s of
 * CPU on a kube-iptables-5000 node, more than the dump it would save); `list flowtables`
 * fetches only tables and flowtables and prints every table, its flowtables indented (0.03 s).
 */
export const NFT_TABLES_ARGV: readonly string[] = ['nft', 'list', 'flowtables'];
export const NFT_RULESET_ARGV: readonly string[] = ['nft', '-j', 'list', 'ruleset'];

export function listTableArgv(t: NftTable): string[] {
  return ['nft', '-j', 'list', 'table', t.family, t.name];
}

/**
 * The tables of `nft list flowtables` ("table ip filter {" … "}" per table, its flowtables
 * indented), in the kernel's order; null when a line at the left margin is anything else (a
 * name with a space, another nft's format): the caller then lists the whole ruleset rather
 * than guess.
 */
export function parseTableList(text: string): NftTable[] | null {
  const tables: NftTable[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line === '}' || line.startsWith('\t') || line.startsWith(' ')) continue;
    const m = /^table ([a-z0-9]+) ([A-Za-z0-9_.\-/]+) \{$/.exec(line);
    if (!m) return null;
    tables.push({ family: m[1]!, name: m[2]! });
  }
  return tables;
}

/** A table whose nft copy an iptables-nft dump may hold. */
export function mayBeXtables(t: NftTable): boolean {
  return (t.family === 'ip' || t.family === 'ip6') && XTABLES.has(t.name);
}

export interface NftListingPlan {
  /** The tables to list one by one, in the kernel's order; empty with leftOut empty means "list the ruleset". */
  list: NftTable[];
  /** Per family, the tables left out because that family's iptables-nft-save dump holds them. */
  leftOut: { ip: string[]; ip6: string[] };
}

/**
 * The plan, given the tables and the iptables-nft-save dumps that were read (text printed by
 * the nf_tables backend; null when that dump failed or is of another backend: nothing of that
 * family is then left out). The same criterion as the pipeline's: family ip/ip6, an xtables
 * name, and a `*name` section in the dump.
 */
export function planNftListing(tables: readonly NftTable[], saves: { ip: string | null; ip6: string | null }): NftListingPlan {
  const held = { ip: saves.ip === null ? new Set<string>() : savedXtables(saves.ip), ip6: saves.ip6 === null ? new Set<string>() : savedXtables(saves.ip6) };
  const plan: NftListingPlan = { list: [], leftOut: { ip: [], ip6: [] } };
  for (const t of tables) {
    if (mayBeXtables(t) && held[t.family as 'ip' | 'ip6'].has(t.name)) plan.leftOut[t.family as 'ip' | 'ip6'].push(t.name);
    else plan.list.push(t);
  }
  if (plan.leftOut.ip.length === 0 && plan.leftOut.ip6.length === 0) plan.list = [];
  return plan;
}

/** Whether every table the dumps hold is in `tables` (a cross-check of the table list). */
export function holdsOnlyListed(tables: readonly NftTable[], saves: { ip: string | null; ip6: string | null }): boolean {
  const listed = new Set(tables.map((t) => `${t.family} ${t.name}`));
  for (const family of ['ip', 'ip6'] as const) {
    const text = saves[family];
    if (text !== null) for (const name of savedXtables(text)) if (!listed.has(`${family} ${name}`)) return false;
  }
  return true;
}

/** Whether two table lists name the same tables (in any order). */
export function sameTables(a: readonly NftTable[], b: readonly NftTable[]): boolean {
  const key = (t: NftTable) => `${t.family} ${t.name}`;
  const keys = new Set(a.map(key));
  return a.length === b.length && keys.size === new Set(b.map(key)).size && b.every((t) => keys.has(key(t)));
}
