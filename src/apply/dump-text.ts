/**
 * The text the kernel's tools print, cut into tables and made comparable: `nft list ruleset`
 * into `table FAMILY NAME { … }` blocks, `iptables-save` into `*table … COMMIT` blocks, both
 * with counters and iptables-save's date comments taken out (they change on their own).
 *
 * @module
 */

/** One `table FAMILY NAME { … }` block of `nft list ruleset`, in listing (= creation) order. */
export interface NftTableBlock {
  family: string;
  name: string;
  /** The block as printed, ending with "}\n". */
  text: string;
  /** Chain names in the order the block lists them (the kernel's creation order). */
  chains: string[];
}

/** One `*table` … `COMMIT` block of iptables-save, without comment lines. */
export interface SaveTableBlock {
  name: string;
  text: string;
}

const TABLE_HEAD = /^table (\S+) (\S+) \{$/;
const CHAIN_HEAD = /^\tchain ("[^"]*"|\S+) \{$/;

/** Tables of `nft list ruleset` output; lines outside any table (there are none in practice) are ignored. */
export function nftTables(text: string): NftTableBlock[] {
  const tables: NftTableBlock[] = [];
  let current: { family: string; name: string; lines: string[]; chains: string[] } | null = null;
  for (const line of text.split('\n')) {
    const head = TABLE_HEAD.exec(line);
    if (!current && head) {
      current = { family: head[1]!, name: head[2]!, lines: [line], chains: [] };
      continue;
    }
    if (!current) continue;
    current.lines.push(line);
    const chain = CHAIN_HEAD.exec(line);
    if (chain) current.chains.push(unquote(chain[1]!));
    if (line === '}') {
      tables.push({ family: current.family, name: current.name, text: current.lines.join('\n') + '\n', chains: current.chains });
      current = null;
    }
  }
  return tables;
}

/** Tables of iptables-save output, comment lines dropped. */
export function saveTables(text: string): SaveTableBlock[] {
  const tables: SaveTableBlock[] = [];
  let current: { name: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      current = { name: line.slice(1).trim(), lines: [line] };
      continue;
    }
    if (!current) continue;
    current.lines.push(line);
    if (line === 'COMMIT') {
      tables.push({ name: current.name, text: current.lines.join('\n') + '\n' });
      current = null;
    }
  }
  return tables;
}

/** `nft list ruleset` with counter values zeroed (`counter packets N bytes M`, named counters, quotas' use). */
export function normaliseNft(text: string): string {
  return text.replace(/packets \d+ bytes \d+/g, 'packets 0 bytes 0').replace(/used \d+ bytes/g, 'used 0 bytes');
}

/** iptables-save output without its date comments and with chain counters zeroed. */
export function normaliseSave(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => (line.startsWith(':') ? line.replace(/\[\d+:\d+\]$/, '[0:0]') : line.replace(/^\[\d+:\d+\] /, '')))
    .join('\n');
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}
