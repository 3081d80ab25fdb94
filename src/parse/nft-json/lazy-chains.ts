/**
 * A chain map that lowers each chain when it is first read. A one-flow `explain` walks the
 * few chains its flow can reach (jump, goto and verdict-map targets, one `get` each) out of
 * the tens of thousands kube-proxy writes; anything that looks at every chain (iteration,
 * `size`, a change) first lowers all that are left, so it sees exactly the eager map, in the
 * same order.
 *
 * Chains are registered a table at a time ({@link PendingTable}): an id is the table's prefix
 * and a chain name, so registering builds no id, closure or map entry per chain (issue 8:
 * 20,000 of each per family was a fifth of a kube-proxy explain's load).
 *
 * @module
 */
import type { Chain } from '../../model/ruleset.js';

/** The chains of one table (in one family) waiting to be lowered. */
export interface PendingTable {
  /** Every chain's id is this prefix followed by its name. */
  readonly prefix: string;
  /** The chain names, each once, in the order the eager map would hold them. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** Lower the chain so named (every chain of that name, in order; the later is kept, as `set` would). */
  lower(name: string): Chain;
}

export class LazyChains extends Map<string, Chain> {
  /** Tables whose chains are not all lowered, in registration order; null once all are. */
  #pending: PendingTable[] | null = [];
  /** How many distinct ids were registered, counted when first asked. */
  #registered = -1;

  /** Register a table's chains to lower when first read. */
  laterTable(table: PendingTable): void {
    if (this.#pending === null) throw new TypeError(`table ${table.prefix} registered after lowering began`);
    // Only a chain already read can clash (a one-flow load registers every table before any read).
    if (super.size > 0) for (const name of table.names) if (super.has(table.prefix + name)) throw new TypeError(`chain ${table.prefix}${name} registered after lowering began`);
    this.#pending.push(table);
    this.#registered = -1;
  }

  /** Register one chain. The same id twice keeps the later chain, as `set` would; both are lowered (their diagnostics count). */
  later(id: string, lower: () => Chain): void {
    this.laterTable({ prefix: '', names: [id], has: (name) => name === id, lower });
  }

  override get(id: string): Chain | undefined {
    const pending = this.#pending;
    if (pending === null || super.has(id)) return super.get(id);
    let chain: Chain | undefined;
    // Tables whose ids meet (two listings of one table, or names with slashes) lower in order, the later kept.
    for (const t of pending) if (id.startsWith(t.prefix) && t.has(id.slice(t.prefix.length))) chain = t.lower(id.slice(t.prefix.length));
    if (chain !== undefined) super.set(id, chain);
    return chain;
  }

  override has(id: string): boolean {
    return super.has(id) || this.isPending(id);
  }

  /** The chains lowered so far, without lowering the rest (what a one-flow explain read). */
  loweredValues(): MapIterator<Chain> {
    return super.values();
  }

  /** Whether the chain is registered and not lowered yet. */
  isPending(id: string): boolean {
    if (this.#pending === null || super.has(id)) return false;
    for (const t of this.#pending) if (id.startsWith(t.prefix) && t.has(id.slice(t.prefix.length))) return true;
    return false;
  }

  /** How many chains are still waiting to be lowered. */
  get pendingCount(): number {
    if (this.#pending === null) return 0;
    if (this.#registered < 0) this.#registered = this.#distinct();
    // Until everything is lowered, only chains lowered on a first `get` are in the map itself.
    return this.#registered - super.size;
  }

  /** The ids of the chains still waiting to be lowered. */
  pendingIds(): string[] {
    return this.#ids().filter((id) => !super.has(id));
  }

  /** Lower every chain left and put all in the eager order. */
  lowerAll(): void {
    if (this.#pending === null) return;
    const ids = this.#ids();
    const chains = ids.map((id) => this.get(id)!);
    this.#pending = null;
    super.clear();
    ids.forEach((id, k) => super.set(id, chains[k]!));
  }

  /** Every registered id once, in the order the eager map would hold them. */
  #ids(): string[] {
    const tables = this.#pending ?? [];
    if (!this.#idsMeet()) return tables.flatMap((t) => t.names.map((name) => t.prefix + name));
    const ids = new Set<string>();
    for (const t of tables) for (const name of t.names) ids.add(t.prefix + name);
    return [...ids];
  }

  #distinct(): number {
    if (this.#idsMeet()) return this.#ids().length;
    let n = 0;
    for (const t of this.#pending ?? []) n += t.names.length;
    return n;
  }

  /**
   * Whether two tables may register one id: one prefix starts another (equal ones too). In sorted
   * order a prefix comes right before a string that starts with it, so neighbours tell.
   */
  #idsMeet(): boolean {
    const prefixes = (this.#pending ?? []).map((t) => t.prefix).sort();
    for (let k = 1; k < prefixes.length; k++) if (prefixes[k]!.startsWith(prefixes[k - 1]!)) return true;
    return false;
  }

  override get size(): number {
    this.lowerAll();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.lowerAll();
    return super.keys();
  }

  override values(): MapIterator<Chain> {
    this.lowerAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Chain]> {
    this.lowerAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Chain]> {
    this.lowerAll();
    return super[Symbol.iterator]();
  }

  override forEach(f: (value: Chain, key: string, map: Map<string, Chain>) => void, thisArg?: unknown): void {
    this.lowerAll();
    super.forEach(f, thisArg);
  }

  override set(id: string, chain: Chain): this {
    this.lowerAll();
    return super.set(id, chain);
  }

  override delete(id: string): boolean {
    this.lowerAll();
    return super.delete(id);
  }

  override clear(): void {
    this.lowerAll();
    super.clear();
  }
}
