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
  // The lines that start with "*", found by their "*" rather than by a multiline regex, which
  // tries every line of a dump of 50,000 rules (issue 8).
  for (let star = text.indexOf('*'); star >= 0; star = text.indexOf('*', star + 1)) {
    if (star > 0 && !isLineBreak(text.charCodeAt(star - 1))) continue;
    let end = star + 1;
    while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
    const name = text.slice(star + 1, end);
    if (XTABLES.has(name)) names.add(name);
  }
  if (names.size > 0 && text.includes('# Table `')) for (const m of text.matchAll(/^# Table `(\w+)'/gm)) names.delete(m[1]!);
  return names;
}

/** Where a multiline regex's `^` may match after: \n, \r, U+2028, U+2029. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** A regex `\w` character: [A-Za-z0-9_]. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
