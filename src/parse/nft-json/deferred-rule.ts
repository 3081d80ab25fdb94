/**
 * A rule of a deferred parse (`parseNftJson(…, { deferRules })`): its family, table and
 * chain are read from the head of its text at once (rules are grouped by chain before
 * anything is lowered); its statements are parsed when lowering first asks for them, and
 * only for the chains a one-flow `explain` meets.
 *
 * @module
 */
import type { Location } from '../../model/diagnostics.js';
import type { Json, NftRule } from './types.js';

/** Parses one deferred rule in full; null when its JSON is not a usable rule (the reader reported why). */
export type ReadRule = (rule: DeferredRule) => NftRule | null;

/** The checked dump text deferred rules lie in, and what parses one: shared by all of a parse's rules. */
export interface RuleDump {
  readonly text: string;
  readonly read: ReadRule;
}

/**
 * A deferred rule is also its own lowering source (statements.ts `RuleSource`): the model's
 * rules keep it, for their text and origin, both made when first read. A full load of a
 * kube-proxy dump lowers 40,000 rules whose origin a report names for a few (issue 8: a
 * source, an origin and a path per rule were 5 MB the model kept).
 */
export class DeferredRule implements NftRule {
  // Few fields: a full load holds 40,000 of these through its young generation (issue 8).
  readonly #dump: RuleDump;
  /** The rule parsed; undefined until read (again, after {@link forget}). */
  #rule: NftRule | null | undefined = undefined;
  #origin: Location | null = null;
  /** The source file its lowering names, once one has made it a source ({@link sourceIn}). */
  #file: string | null = null;
  /** Its text as nft prints it, once rendered (statements.ts `ruleText`). */
  text: string | null = null;

  constructor(
    readonly family: string,
    readonly table: string,
    readonly chain: string,
    /** The item's index in the `nftables` array. */
    readonly index: number,
    /** The rule item's offsets in the dump text (which `dump` holds). */
    readonly start: number,
    readonly end: number,
    /**
     * Whether the rule may add to a set (`add @s`, `update @s`, a meter), as its text says
     * without parsing it; lowering parses the rules that may, to know which sets are dynamic.
     */
    readonly mayFillSets: boolean,
    dump: RuleDump,
  ) {
    this.#dump = dump;
  }

  /** The dump the rule lies in, at [start, end). */
  get dump(): RuleDump {
    return this.#dump;
  }

  /**
   * Built when asked: a one-flow explain never asks for most of 40,000 rules' paths. Joined, not
   * concatenated: a full load keeps each in the model, and `+` would keep a tree of three strings.
   */
  get path(): string {
    return ['$.nftables[', this.index, '].rule'].join('');
  }

  /** Itself, as the rule a lowering source holds. */
  get rule(): NftRule {
    return this;
  }

  /** Where the rule is, in the file of the lowering that made it a source. */
  get origin(): Location {
    return (this.#origin ??= { file: this.#file!, path: this.path });
  }

  /**
   * Itself as a lowering source naming `file`, or null when a lowering with another file name
   * already made it one (the caller then makes a source of its own).
   */
  sourceIn(file: string): this | null {
    if (this.#file === null) this.#file = file;
    return this.#file === file ? this : null;
  }

  /** The rule parsed (once), or null when it is not a usable rule. */
  read(): NftRule | null {
    if (this.#rule === undefined) this.#rule = this.#dump.read(this);
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
