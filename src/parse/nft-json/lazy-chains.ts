/**
 * A chain map that lowers each chain when it is first read. A one-flow `explain` walks the
 * few chains its flow can reach (jump, goto and verdict-map targets, one `get` each) out of
 * the tens of thousands kube-proxy writes; anything that looks at every chain (iteration,
 * `size`, a change) first lowers all that are left, so it sees exactly the eager map, in the
 * same order.
 *
 * @module
 */
import type { Chain } from '../../model/ruleset.js';

export class LazyChains extends Map<string, Chain> {
  /** Chains not lowered yet, by id; null once all are. */
  #pending: Map<string, () => Chain> | null = new Map();
  /** Every id in the order the eager map would hold them. */
  readonly #order: string[] = [];

  /** Register a chain to lower when first read. The same id twice keeps the later chain, as `set` would. */
  later(id: string, lower: () => Chain): void {
    if (this.#pending === null || super.has(id)) throw new TypeError(`chain ${id} registered after lowering began`);
    const before = this.#pending.get(id);
    if (before === undefined) this.#order.push(id);
    // Both are lowered (their diagnostics count), the later one is kept.
    this.#pending.set(id, before === undefined ? lower : () => (before(), lower()));
  }

  override get(id: string): Chain | undefined {
    const lower = this.#pending?.get(id);
    if (lower === undefined) return super.get(id);
    this.#pending!.delete(id);
    const chain = lower();
    super.set(id, chain);
    return chain;
  }

  override has(id: string): boolean {
    return this.#pending?.has(id) === true || super.has(id);
  }

  /** The chains lowered so far, without lowering the rest (what a one-flow explain read). */
  loweredValues(): MapIterator<Chain> {
    return super.values();
  }

  /** Whether the chain is registered and not lowered yet. */
  isPending(id: string): boolean {
    return this.#pending?.has(id) === true;
  }

  /** How many chains are still waiting to be lowered. */
  get pendingCount(): number {
    return this.#pending?.size ?? 0;
  }

  /** The ids of the chains still waiting to be lowered. */
  pendingIds(): string[] {
    return [...(this.#pending?.keys() ?? [])];
  }

  /** Lower every chain left and put all in the eager order. */
  lowerAll(): void {
    if (this.#pending === null) return;
    const chains = this.#order.map((id) => this.get(id)!);
    this.#pending = null;
    super.clear();
    this.#order.forEach((id, k) => super.set(id, chains[k]!));
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
