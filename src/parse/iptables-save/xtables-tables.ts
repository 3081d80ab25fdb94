/**
 * Which nftables tables an iptables-nft dump holds. iptables-nft keeps its tables inside
 * nftables, so `nft list ruleset` shows them again; the iptables-nft-save text is the one
 * read, and collect and the pipeline use this one criterion to leave the nft copy out.
 *
 * @module
 */

/** The xtables tables iptables-nft keeps inside nftables (families ip and ip6). */
export const XTABLES: ReadonlySet<string> = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);

/**
 * The xtables tables an iptables-nft-save dump holds whole: its `*name` sections. A table
 * iptables-nft cannot read is printed only as "# Table `x' is incompatible, use 'nft' tool.";
 * one with a base chain it cannot read (e.g. a native `chain sec_input { type filter hook
 * input priority 150; }` in `ip security`) is printed as "# Table `x' contains incompatible
 * base-chains, use 'nft' tool to list them." and then a `*x` section *without* that chain
 * (iptables 1.8.9, test/kernel/collect-listing.test.ts). Neither is held whole: the nft copy
 * is the one to read.
 */
export function savedXtables(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\*(\w+)/gm)) if (XTABLES.has(m[1]!)) names.add(m[1]!);
  if (names.size > 0 && text.includes('# Table `')) for (const m of text.matchAll(/^# Table `(\w+)'/gm)) names.delete(m[1]!);
  return names;
}
