/**
 * The iptables AST to the vendor-neutral firewall model: one Chain per declared chain, a
 * BaseChain (hook, priority, kind, policy) per built-in chain, one Rule per `-A` line. A rule
 * is never dropped: what cannot be decided rides along as its Uncertainty, and each distinct
 * construct is reported once per file, with how often it occurs and where first.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import { type Diagnostic, type Location, type Parsed, excerpt } from '../../model/diagnostics.js';
import type { HostContext } from '../../model/host-context.js';
import { PacketSet } from '../../model/packet-set.js';
import {
  type Action,
  type Backend,
  type BaseChain,
  type Chain,
  type ChainKind,
  type FirewallModel,
  type Hook,
  NAT_SRC_PRIORITY,
  type Rule,
  type Uncertainty,
  XTABLES_PRIORITY,
  chainId,
  emptyModel,
} from '../../model/ruleset.js';
import type { IptChain, IptRule, IptTableName, IptablesDump } from './ast.js';
import { followerRule } from './address-run.js';
import { isDeferred, readDeferredRules } from './deferred.js';
import { AddressRunLowerer } from './lower-address-run.js';
import { RuleTemplates } from './lower-template.js';
import type { LowerEnv } from './lower-env.js';
import { MatchLowerer } from './lower-match.js';
import { lowerTarget } from './lower-target.js';
import { ValueReader } from './values.js';

export interface LowerOptions {
  family: Family;
  backend: Backend;
  context: HostContext;
  file: string;
  /**
   * Receives the diagnostics of a deferred chain (see `ParseOptions.deferUserChains`) when its
   * rules are first read, i.e. when something first looks at that chain's `rules`.
   */
  onDeferred?: (diagnostics: Diagnostic[]) => void;
  /**
   * Read deferred chains now, in dump order, lowering each rule as soon as it is parsed: the
   * model and lowering diagnostics of a full read, without holding every rule's AST at once
   * (issue 8). Their parse errors come first in the result; a caller that needs a full read's
   * exact diagnostics reads the dump again without deferring when there is one.
   */
  readNow?: boolean;
  /**
   * Lower user chains' lines of a repeated shape from a template (lower-template.ts), not
   * one by one; default true. False reads every line the long way (the equivalence tests).
   */
  templates?: boolean;
}

/**
 * A chain of a deferred parse: its rules are parsed and lowered when something first reads
 * `rules` (the engine entering the chain). A class, not a property defined per object: the
 * model holds 20,000 of them on a kube-proxy node.
 */
class DeferredChain implements Chain {
  /** The chain's AST until read; with `reader` (one per table), not a closure per chain. */
  private pending: IptChain | null;
  private held: Rule[] = NOT_READ;

  constructor(
    readonly id: string,
    readonly backend: Backend,
    readonly family: Family,
    readonly table: string,
    readonly tableFamily: string,
    readonly name: string,
    readonly origin: Location,
    private readonly reader: (chain: IptChain) => Rule[],
    source: IptChain,
  ) {
    this.pending = source;
  }

  get read(): boolean {
    return this.pending === null;
  }

  get rules(): Rule[] {
    const source = this.pending;
    if (source !== null) {
      this.pending = null;
      this.held = this.reader(source);
    }
    return this.held;
  }

  set rules(rules: Rule[]) {
    this.pending = null;
    this.held = rules;
  }
}

/** What a DeferredChain holds before it is read (never handed out: reading replaces it). */
const NOT_READ: Rule[] = [];

/** False for a chain of a deferred parse whose rules nothing has looked at yet. */
export function isChainRead(chain: Chain): boolean {
  return !(chain instanceof DeferredChain) || chain.read;
}

interface HookInfo {
  hook: Hook;
  priority: number;
  kind: ChainKind;
}

const X = XTABLES_PRIORITY;
const HOOKS: Record<IptTableName, Readonly<Record<string, HookInfo>>> = {
  filter: {
    INPUT: { hook: 'input', priority: X.filter!, kind: 'filter' },
    FORWARD: { hook: 'forward', priority: X.filter!, kind: 'filter' },
    OUTPUT: { hook: 'output', priority: X.filter!, kind: 'filter' },
  },
  nat: {
    PREROUTING: { hook: 'prerouting', priority: X.nat!, kind: 'nat' },
    INPUT: { hook: 'input', priority: NAT_SRC_PRIORITY, kind: 'nat' },
    OUTPUT: { hook: 'output', priority: X.nat!, kind: 'nat' },
    POSTROUTING: { hook: 'postrouting', priority: NAT_SRC_PRIORITY, kind: 'nat' },
  },
  mangle: {
    PREROUTING: { hook: 'prerouting', priority: X.mangle!, kind: 'filter' },
    INPUT: { hook: 'input', priority: X.mangle!, kind: 'filter' },
    FORWARD: { hook: 'forward', priority: X.mangle!, kind: 'filter' },
    // mangle OUTPUT re-routes a packet whose marks or addresses it changed.
    OUTPUT: { hook: 'output', priority: X.mangle!, kind: 'route' },
    POSTROUTING: { hook: 'postrouting', priority: X.mangle!, kind: 'filter' },
  },
  raw: {
    PREROUTING: { hook: 'prerouting', priority: X.raw!, kind: 'filter' },
    OUTPUT: { hook: 'output', priority: X.raw!, kind: 'filter' },
  },
  security: {
    INPUT: { hook: 'input', priority: X.security!, kind: 'filter' },
    FORWARD: { hook: 'forward', priority: X.security!, kind: 'filter' },
    OUTPUT: { hook: 'output', priority: X.security!, kind: 'filter' },
  },
};

interface Seen {
  u: Uncertainty;
  count: number;
  firstLine: number;
  target: boolean;
}

/**
 * Lower a parsed dump (of one family) into a firewall model. Jump and goto actions name the
 * target chain by its model id (`chainId(backend, family, table, name)`), the key of
 * `model.chains`. Malformed values (an address that is not one) are `parse.bad-value` errors;
 * uncertain constructs are warnings (`unsupported.match`, `unsupported.target`,
 * `unsupported.missing-data`) or, for rate limits, infos (`unsupported.rate-limit`), one per
 * construct name and file, with `input` set to that name.
 */
export function lowerIptables(dump: IptablesDump, opts: LowerOptions): Parsed<FirewallModel> {
  const { family, backend, context, file } = opts;
  const model = emptyModel(family);
  const diagnostics: Diagnostic[] = [];
  // Where lowering reports: the run's lists, or a deferred chain's own while it is read.
  let sink = diagnostics;
  let seen = new Map<string, Seen>();
  // Parse errors of deferred chains read now (readNow).
  const parseErrors: Diagnostic[] = [];
  // How many uncertain constructs and bad values were reported: a rule that reported none may
  // stand for the rest of its address run.
  let reports = 0;
  const env: LowerEnv = {
    family,
    context,
    values: new ValueReader(family),
    full: PacketSet.all(family).cubes[0]!,
    note(name, u, line) {
      reports++;
      const s = seen.get(name);
      if (s) s.count++;
      else seen.set(name, { u, count: 1, firstLine: line, target: name.startsWith('-j ') });
    },
    bad(line, message, expected, input) {
      reports++;
      sink.push({ code: 'parse.bad-value', severity: 'error', message, location: { file, line }, expected, input: excerpt(input) });
    },
  };
  const matches = new MatchLowerer(env);
  const runs = new AddressRunLowerer(env, matches);
  // For the templates: a lowering of conditions that reports nothing (the reports are the long way's).
  const quietMatches = new MatchLowerer({ ...env, note() {}, bad() {} });
  const tableFamily = family === 'ipv4' ? 'ip' : 'ip6';

  // A replaced table is never lowered, but the errors of its unread lines count, as in a full parse.
  for (const table of dump.replaced ?? []) {
    for (const chain of table.chains.values()) parseErrors.push(...readDeferredRules(table, chain, file, () => {}));
  }

  for (const table of dump.tables) {
    const ids = new Map<string, string>();
    for (const name of table.chains.keys()) ids.set(name, chainId(backend, family, table.name, name));
    // One action object per chain and kind, shared by every rule jumping there; a map per kind,
    // so that no key is joined per rule (56,000 on a kube-proxy node).
    const jumps = new Map<string, Action>();
    const gotos = new Map<string, Action>();
    const chainAction = (name: string, goto: boolean): Action | null => {
      const actions = goto ? gotos : jumps;
      let a = actions.get(name);
      if (a === undefined) {
        const id = ids.get(name);
        if (id === undefined) return null;
        actions.set(name, (a = goto ? { type: 'goto', chain: id } : { type: 'jump', chain: id }));
      }
      return a;
    };
    const templates = opts.templates === false ? null : new RuleTemplates(env, quietMatches, table.chains, chainAction, file);
    const lowerRule = (r: IptRule, clean = false): Rule => {
      const before = reports;
      const m = matches.lower(r);
      const t = lowerTarget(r, table.name, chainAction, env);
      const uncertain = t.uncertain.length === 0 ? m.uncertain : [...m.uncertain, ...t.uncertain];
      // The comment in the literal, not added after: an added key costs each rule a second
      // object (its out-of-line properties), and a kube-proxy node comments 55,000 rules.
      const rule: Rule =
        m.comment === undefined
          ? { position: r.position, text: r.text, origin: { file, line: r.line }, match: m.match, uncertain, action: t.action }
          : { position: r.position, text: r.text, origin: { file, line: r.line }, match: m.match, uncertain, action: t.action, comment: m.comment };
      if (m.limits) rule.limits = m.limits;
      runs.remember(r, rule, reports === before);
      if (clean && templates !== null) templates.learn(r, rule, reports - before);
      return rule;
    };
    const lowerRules = (c: IptChain): Rule[] => {
      const rules: Rule[] = new Array(c.rules.length);
      for (let k = 0; k < c.rules.length; k++) rules[k] = lowerRule(c.rules[k]!);
      return rules;
    };
    // A line of an address run: its leader's lowering with its own address, else the long way.
    const lowerFollower = (leader: IptRule, address: string, text: string, line: number, position: number): Rule =>
      runs.follow(leader, address, text, line, position, file) ?? lowerRule(followerRule(leader, address, text, line, position));
    // A deferred chain read and lowered line by line into `rules`: its diagnostics.
    const readLowered = (c: IptChain, rules: Rule[]): Diagnostic[] =>
      readDeferredRules(
        table,
        c,
        file,
        (r, clean) => rules.push(lowerRule(r, clean)),
        (leader, address, text, line, position) => rules.push(lowerFollower(leader, address, text, line, position)),
        templates === null ? undefined : (text, line, position) => {
          const rule = templates.lower(text, c.name, line, position);
          if (rule === null) return false;
          rules.push(rule);
          return true;
        },
      );
    const readRules = (c: IptChain): Rule[] => {
      const rules: Rule[] = [];
      parseErrors.push(...readLowered(c, rules));
      return rules.slice(); // exact size: 20,000 small chains would each keep 17 slots
    };
    // A deferred chain's rules, read when the engine first enters it, its diagnostics apart.
    const readLater = (c: IptChain): Rule[] => {
      const savedSeen = seen;
      const lowered: Diagnostic[] = [];
      sink = lowered;
      seen = new Map();
      const rules: Rule[] = [];
      const late = readLowered(c, rules);
      late.push(...lowered, ...summarise(seen, file));
      sink = diagnostics;
      seen = savedSeen;
      opts.onDeferred?.(late);
      return rules;
    };
    for (const c of table.chains.values()) {
      const id = ids.get(c.name)!;
      const origin = { file, line: c.line };
      const deferred = isDeferred(c);
      const chain: Chain = !deferred || opts.readNow === true
        ? { id, backend, family, table: table.name, tableFamily, name: c.name, rules: deferred ? readRules(c) : lowerRules(c), origin }
        : new DeferredChain(id, backend, family, table.name, tableFamily, c.name, origin, readLater, c);
      model.chains.set(id, chain);
      // A deferred chain is a user chain: no hook, and no lookup of its name (20,000 on a kube-proxy node).
      const hook = deferred ? undefined : HOOKS[table.name][c.name];
      if (hook) {
        const base: BaseChain = { chain: id, hook: hook.hook, priority: hook.priority, policy: c.policy === 'DROP' ? 'drop' : 'accept', kind: hook.kind };
        model.baseChains.push(base);
      }
    }
  }

  diagnostics.push(...summarise(seen, file));
  return { value: model, diagnostics: parseErrors.length === 0 ? diagnostics : [...parseErrors, ...diagnostics] };
}

/** One diagnostic per uncertain construct: how often it occurs and where first. */
function summarise(seen: ReadonlyMap<string, Seen>, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [name, s] of [...seen].sort((a, b) => a[1].firstLine - b[1].firstLine)) {
    const times = `${s.count} rule${s.count === 1 ? '' : 's'}, first at line ${s.firstLine}`;
    const { kind } = s.u;
    const code = kind === 'rate-limit' ? 'unsupported.rate-limit' : kind === 'missing-data' ? 'unsupported.missing-data' : s.target ? 'unsupported.target' : 'unsupported.match';
    const what =
      kind === 'rate-limit' ? 'admits only packets within a rate or count; read as may-match'
      : kind === 'missing-data' ? 'needs data the snapshot lacks; read as may-match'
      : kind === 'unknown' ? 'is not understood; read as may-match'
      : 'is not modelled; read as may-match';
    diagnostics.push({
      code,
      severity: kind === 'rate-limit' ? 'info' : 'warning',
      message: `${name} ${what} (${times})${s.u.detail ? `: ${s.u.detail}` : ''}`,
      location: { file, line: s.firstLine },
      input: name,
    });
  }
  return diagnostics;
}
