/**
 * A rule of a deferred parse (`parseNftJson(…, { deferRules })`): its family, table and
 * chain are read from the head of its text at once (rules are grouped by chain before
 * anything is lowered); its statements are parsed when lowering first asks for them, and
 * only for the chains a one-flow `explain` meets.
 *
 * @module
 */
import type { Json, NftRule } from './types.js';

/** Parses one deferred rule in full; null when its JSON is not a usable rule (the reader reported why). */
export type ReadRule = (rule: DeferredRule) => NftRule | null;

export class DeferredRule implements NftRule {
  // Few fields: a full load holds 40,000 of these through its young generation (issue 8).
  readonly #read: ReadRule;
  /** The rule parsed; undefined until read (again, after {@link forget}). */
  #rule: NftRule | null | undefined = undefined;

  constructor(
    readonly family: string,
    readonly table: string,
    readonly chain: string,
    /** The item's index in the `nftables` array. */
    readonly index: number,
    /** The rule item's offsets in the dump text (which `read` holds). */
    readonly start: number,
    readonly end: number,
    /**
     * Whether the rule may add to a set (`add @s`, `update @s`, a meter), as its text says
     * without parsing it; lowering parses the rules that may, to know which sets are dynamic.
     */
    readonly mayFillSets: boolean,
    read: ReadRule,
  ) {
    this.#read = read;
  }

  /**
   * Built when asked: a one-flow explain never asks for most of 40,000 rules' paths. Joined, not
   * concatenated: a full load keeps each in the model, and `+` would keep a tree of three strings.
   */
  get path(): string {
    return ['$.nftables[', this.index, '].rule'].join('');
  }

  /** The rule parsed (once), or null when it is not a usable rule. */
  read(): NftRule | null {
    if (this.#rule === undefined) this.#rule = this.#read(this);
    return this.#rule;
  }

  /** Drop the parsed statements of a usable rule (read again if asked): an audit keeps the model, not 40,000 rule trees. */
  forget(): void {
    if (this.#rule !== null) this.#rule = undefined;
  }

  get handle(): number | null {
    return this.read()?.handle ?? null;
  }

  get expr(): Json[] {
    return this.read()?.expr ?? [];
  }

  get comment(): string | undefined {
    return this.read()?.comment;
  }
}
