/**
 * What to run to bring the running rules back to a saved state, touching only what differs
 * (pure: saved dumps + current dumps → commands). Tables that did not change are left alone,
 * so their counters, sets and order stay exactly as they are.
 *
 * nftables lists tables in creation order, so a table cannot be put back in the middle: from
 * the first table that differs on, every table is deleted and the saved ones re-created in
 * their saved order. Native tables come back from `nft list ruleset`'s text (`nft -f`, one
 * transaction per run of native tables). iptables-nft's tables cannot (nft prints its xt
 * matches lossily: a `-m comment` disappears), so they come back through iptables-nft-restore
 * from the saved iptables-save block, its chain lines ordered as nft listed the chains: the
 * restore creates chains in that order, and leaves out the built-in chains that never existed
 * (iptables-nft creates them lazily, iptables-save prints them anyway). Legacy tables are
 * restored per table with iptables-legacy-restore (each table is one atomic commit).
 *
 * @module
 */
import { nftTables, normaliseNft, normaliseSave, saveTables, type NftTableBlock, type SaveTableBlock } from './dump-text.js';
import { DUMP_TOOLS, type DumpId, type RulesetDumps } from './ruleset-dumps.js';

/** One command of a restore: argv and its standard input. */
export interface RestoreStep {
  argv: string[];
  stdin: string;
  /** For the report: what this step puts back, e.g. "nft: delete table inet portcullis". */
  what: string[];
}

export interface RestorePlan {
  steps: RestoreStep[];
  /** Saved state that cannot be put back exactly (with why); the rest is still restored. */
  inexact: string[];
}

type Family = 'ip' | 'ip6';
const IPT_NFT: Record<Family, DumpId> = { ip: 'iptables-nft', ip6: 'ip6tables-nft' };

/** Built-in chains of each iptables table: what a legacy table holds when it is emptied. */
const BUILTIN_CHAINS: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export function planRestore(saved: RulesetDumps, current: RulesetDumps): RestorePlan {
  const steps: RestoreStep[] = [];
  const inexact: string[] = [];
  if (saved.nft !== null && current.nft !== null) planNft(saved, current, steps, inexact);
  else if (saved.nft !== current.nft) inexact.push('nft: present at one time and not the other; nftables not restored');
  for (const id of ['iptables-legacy', 'ip6tables-legacy'] as const) planLegacy(id, saved[id], current[id], steps, inexact);
  return { steps, inexact };
}

/** A table of the nft world with what identifies its content (nft text, plus iptables-save's block if iptables-nft owns it). */
interface WorldTable {
  key: string;
  block: NftTableBlock;
  save: SaveTableBlock | undefined;
  content: string;
}

function world(dumps: RulesetDumps): WorldTable[] {
  const owned = new Map<string, SaveTableBlock>();
  for (const family of ['ip', 'ip6'] as const) {
    for (const t of saveTables(dumps[IPT_NFT[family]] ?? '')) owned.set(`${family} ${t.name}`, t);
  }
  return nftTables(dumps.nft ?? '').map((block) => {
    const key = `${block.family} ${block.name}`;
    const save = owned.get(key);
    return { key, block, save, content: normaliseNft(block.text) + (save ? normaliseSave(save.text) : '') };
  });
}

function planNft(saved: RulesetDumps, current: RulesetDumps, steps: RestoreStep[], inexact: string[]): void {
  const before = world(saved);
  const now = world(current);
  let first = 0;
  while (first < before.length && first < now.length && before[first]!.key === now[first]!.key && before[first]!.content === now[first]!.content) first++;
  if (first === before.length && first === now.length) return;

  let script: string[] = now.slice(first).map((t) => `delete table ${t.block.family} ${t.block.name}`);
  let what: string[] = script.map((s) => `nft: ${s}`);
  const flush = (): void => {
    if (script.length > 0) steps.push({ argv: ['nft', '-f', '-'], stdin: script.join('\n') + '\n', what });
    script = [];
    what = [];
  };
  for (const t of before.slice(first)) {
    const family = t.block.family;
    if (t.save && (family === 'ip' || family === 'ip6')) {
      flush();
      steps.push({ argv: [DUMP_TOOLS[IPT_NFT[family]].restore], stdin: orderedSaveBlock(t.save, t.block.chains), what: [`${IPT_NFT[family]}: table ${t.block.name}`] });
      continue;
    }
    if (/\bxt (match|target)\b|# Warning/.test(t.block.text)) inexact.push(`nft: table ${t.key} holds xtables expressions nft cannot load back; restored from its text as far as nft accepts it`);
    script.push(t.block.text.trimEnd());
    what.push(`nft: table ${t.key}`);
  }
  flush();
}

/** The saved iptables-save block with its chain lines in `chains` order (nft's), unlisted built-ins left out. */
export function orderedSaveBlock(save: SaveTableBlock, chains: readonly string[]): string {
  const lines = save.text.trimEnd().split('\n');
  const header = lines[0]!;
  const chainLines = new Map<string, string>();
  for (const line of lines) if (line.startsWith(':')) chainLines.set(line.slice(1).split(' ')[0]!, line);
  const rules = lines.slice(1).filter((l) => !l.startsWith(':') && l !== 'COMMIT');
  const ordered = chains.filter((c) => chainLines.has(c)).map((c) => chainLines.get(c)!);
  // A user chain nft did not list (cannot happen in a consistent dump) is still declared.
  for (const [name, line] of chainLines) if (!chains.includes(name) && / - \[/.test(line)) ordered.push(line);
  return [header, ...ordered, ...rules, 'COMMIT'].join('\n') + '\n';
}

function planLegacy(id: DumpId, saved: string | null, current: string | null, steps: RestoreStep[], inexact: string[]): void {
  if (saved === null || current === null) return;
  const before = new Map(saveTables(saved).map((t) => [t.name, t]));
  const now = new Map(saveTables(current).map((t) => [t.name, t]));
  const blocks: string[] = [];
  const what: string[] = [];
  for (const [name, t] of before) {
    const cur = now.get(name);
    if (cur && normaliseSave(cur.text) === normaliseSave(t.text)) continue;
    blocks.push(t.text);
    what.push(`${id}: table ${name}`);
  }
  for (const name of now.keys()) {
    if (before.has(name)) continue;
    // A legacy table cannot be unloaded while the module is in use: empty it, policies ACCEPT.
    const chains = BUILTIN_CHAINS[name] ?? [];
    blocks.push([`*${name}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), 'COMMIT'].join('\n') + '\n');
    what.push(`${id}: table ${name} emptied`);
    inexact.push(`${id}: table ${name} did not exist before; it is emptied (policies ACCEPT) but stays listed`);
  }
  if (blocks.length > 0) steps.push({ argv: [DUMP_TOOLS[id].restore], stdin: blocks.join(''), what });
}
