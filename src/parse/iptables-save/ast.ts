/**
 * The iptables-save AST: tables, chains and rules as the dump wrote them, with options
 * grouped per match module and per target. No semantics here; lower.ts gives them meaning.
 *
 * @module
 */
import type { UnreadLines } from './unread-lines.js';

/** The tables iptables knows; any other `*name` is a parse error. */
export const IPTABLES_TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'] as const;
export type IptTableName = (typeof IPTABLES_TABLES)[number];

/** Packet and byte counters, `[pkts:bytes]`, kept as text: TUM dumps exceed 2^53. */
export interface IptCounters {
  packets: string;
  bytes: string;
}

/** One option with its arguments, e.g. `! --dport 22` → {name: "dport", args: ["22"], negated: true}. */
export interface IptOption {
  /**
   * Canonical name without dashes; the generic options are their short letter
   * (`--source` → "s", `--in-interface` → "i").
   */
  name: string;
  /** The option as written, e.g. "--dport" or "-s". */
  flag: string;
  args: string[];
  /** `! --opt x`, or the old form `--opt ! x`. */
  negated: boolean;
}

/** A match module and its options: `-m tcp --dport 22`, or the implicit module of `-p tcp`. */
export interface IptMatch {
  module: string;
  /** True when the options followed `-p proto` without `-m proto`. */
  implicit: boolean;
  options: IptOption[];
  /** The module's text as written in the rule, e.g. "-m recent --rcheck --name SSH". */
  text: string;
}

export interface IptTarget {
  name: string;
  /** `-g` (goto) rather than `-j` (jump). */
  goto: boolean;
  options: IptOption[];
  /** e.g. "-j REJECT --reject-with tcp-reset" */
  text: string;
}

export interface IptRule {
  chain: string;
  /** 1-based position in its chain. */
  position: number;
  /** 1-based line in the dump. */
  line: number;
  /** The rule as written, without a `[pkts:bytes]` counter prefix and trailing blanks. */
  text: string;
  counters: IptCounters | null;
  /** `-s -d -p -i -o -f`, in the order written. */
  generic: IptOption[];
  matches: IptMatch[];
  /** Null for a rule without `-j`/`-g` (it only counts packets). */
  target: IptTarget | null;
}

export interface IptChain {
  name: string;
  /** "ACCEPT" or "DROP" for built-in chains; null for user chains (`-` in the dump). */
  policy: string | null;
  counters: IptCounters | null;
  line: number;
  rules: IptRule[];
  /**
   * Rule lines not read yet (only when parsing with `deferUserChains`): `readDeferredRules`
   * reads them on first use. While present, `rules` is empty.
   */
  unread?: UnreadLines;
}

export interface IptTable {
  name: IptTableName;
  line: number;
  /** Line of `COMMIT`; null when the dump ended inside the table. */
  commitLine: number | null;
  /** Chains in declaration order. */
  chains: Map<string, IptChain>;
}

export interface IptablesDump {
  tables: IptTable[];
  /**
   * Tables a later table of the same name replaced (as iptables-restore does) while their user
   * chains' lines were still unread (a deferred parse): read once, for the errors those lines
   * hold, which a full parse reports as it goes (found by the fuzz test).
   */
  replaced?: IptTable[];
}
