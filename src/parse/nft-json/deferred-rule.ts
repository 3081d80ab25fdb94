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
  read: ReadRule;
  /**
   * The source file named by the lowering that first made one of its rules a lowering source
   * ({@link DeferredRule.sourceIn}); null until then. Another lowering's rules get sources of their own.
   */
  file: string | null;
}

/** What the rules of one table share in a deferred parse: one object per table, not three fields per rule. */
export interface RuleHead {
  readonly family: string;
  readonly table: string;
  readonly dump: RuleDump;
}

/** What few rules are asked for: their origin (a report's references) and their text, once made. */
interface Shown {
  origin: Location | null;
  text: string | null;
}

/**
 * A deferred rule is also its own lowering source (statements.ts `RuleSource`): the model's
 * rules keep it, for their text and origin, both made when first read. A full load of a
 * kube-proxy dump lowers 40,000 rules whose origin a report names for a few (issue 8: a
 * source, an origin and a path per rule were 5 MB the model kept).
 */
export class DeferredRule implements NftRule {
  // Few fields: a full load keeps 40,000 of these, and its scavenges copy each twice (issue 8:
  // 12 fields, 120 bytes each, until family, table and dump went to the head and the rarely
  // made origin and text to one object made for the few rules shown).
  readonly #head: RuleHead;
  /** The item's index in the `nftables` array, times two, plus one when the rule may fill sets. */
  readonly #at: number;
  /** The rule parsed; undefined until read (again, after {@link forget}). */
  #rule: NftRule | null | undefined = undefined;
  #shown: Shown | null = null;

  constructor(
    head: RuleHead,
    readonly chain: string,
    index: number,
    /** The rule item's offsets in the dump text (which `dump` holds). */
    readonly start: number,
    readonly end: number,
    /**
     * Whether the rule may add to a set (`add @s`, `update @s`, a meter), as its text says
     * without parsing it; lowering parses the rules that may, to know which sets are dynamic.
     */
    mayFillSets: boolean,
  ) {
    this.#head = head;
    this.#at = index * 2 + (mayFillSets ? 1 : 0);
  }

  get family(): string {
    return this.#head.family;
  }

  get table(): string {
    return this.#head.table;
  }

  /** The item's index in the `nftables` array. */
  get index(): number {
    return this.#at >> 1;
  }

  /** See the constructor's parameter. */
  get mayFillSets(): boolean {
    return (this.#at & 1) === 1;
  }

  /** The dump the rule lies in, at [start, end). */
  get dump(): RuleDump {
    return this.#head.dump;
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
    const shown = (this.#shown ??= { origin: null, text: null });
    return (shown.origin ??= { file: this.#head.dump.file!, path: this.path });
  }

  /** Its text as nft prints it, once rendered (statements.ts `ruleText`). */
  get text(): string | null {
    return this.#shown?.text ?? null;
  }

  set text(text: string | null) {
    (this.#shown ??= { origin: null, text: null }).text = text;
  }

  /**
   * Itself as a lowering source naming `file`, or null when a lowering with another file name
   * already made its dump's rules sources (the caller then makes a source of its own).
   */
  sourceIn(file: string): this | null {
    const dump = this.#head.dump;
    if (dump.file === null) dump.file = file;
    return dump.file === file ? this : null;
  }

  /** The rule parsed (once), or null when it is not a usable rule. */
  read(): NftRule | null {
    if (this.#rule === undefined) this.#rule = this.#head.dump.read(this);
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
