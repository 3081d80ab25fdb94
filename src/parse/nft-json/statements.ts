/**
 * One nft rule → the model's rules for one family. Matches narrow the condition;
 * non-terminating statements (counter, log, mark set…) are notes; the first verdict or
 * terminating statement decides the action. Verdict maps and NAT maps expand into one
 * model rule per distinct verdict/target, all with the original rule's position and text:
 * map keys are disjoint, so the expansion is exact.
 *
 * @module
 */
import { limiterOfStatement } from './limiters.js';
import type { Location } from '../../model/diagnostics.js';
import * as I from '../../model/interval-set.js';
import type { IntervalSet, Ordinal } from '../../model/interval-set.js';
import type { DimSet, PacketSet } from '../../model/packet-set.js';
import type { Action, RejectWith, Rule, Uncertainty } from '../../model/ruleset.js';
import { type Cond, type MatchEnv, applyMatch, cloneCond, condToSet, newCond } from './match.js';
import { numgenCovers } from './numgen.js';
import { renderExpr, renderRule, renderStatement } from './render.js';
import { ICMP_CODES, ICMPV6_CODES } from './symbols.js';
import { type Json, type JsonObject, type NftRule, isObject, soleKey } from './types.js';
import { type Range, atom, valueRanges } from './values.js';
import { nameTable } from '../../model/name-table.js';

export interface RuleEnv extends MatchEnv {
  /** The rule's table family ("ip", "inet", …): inet and netdev tables see both families. */
  tableFamily: string;
  /** Chain id of a chain in the rule's table, or null when the table has no such chain. */
  chainRef(name: string): string | null;
  /**
   * The jump and goto actions made so far, by target name: one object per chain and kind, shared
   * by every rule that names it (the model is read-only; 40,000 kube-proxy rules jump or go to a
   * chain: issue 8). Absent: every verdict gets its own.
   */
  chainActions?: { jump: Map<string, Action>; goto: Map<string, Action> };
}

export const NO_UNCERTAINTY: readonly Uncertainty[] = Object.freeze([]);

/** A lowered piece before it becomes a {@link Rule}. */
export interface Piece {
  cond: Cond;
  action: Action;
}

/** Uncertainties met, with the JSON path of the statement that caused each. */
export interface Found {
  path: string;
  uncertainty: Uncertainty;
}

const NOTE_ONLY = new Set(['counter', 'log', 'ct helper', 'ct timeout', 'ct expectation', 'dup', 'flow', 'secmark', 'notrack']);
const RATE = new Set(['limit', 'quota', 'meter', 'ct count']);

/**
 * A rule as lowering shares it between its families and pieces. Its text is rendered when a
 * report or an explain step first reads it: most of a large ruleset's rules are never shown.
 */
export interface RuleSource {
  readonly rule: NftRule;
  /** A getter in a deferred rule, made when first read: a report names the origins of a few rules. */
  readonly origin: Location;
  text: string | null;
}

export function ruleText(src: RuleSource): string {
  return (src.text ??= renderRule(src.rule.expr, src.rule.comment));
}

/** One getter shared by every rule: a getter written in an object literal is a new function per rule, and such objects fall back to slow dictionary properties (issue 8). */
const TEXT: PropertyDescriptor = {
  get(this: NftModelRule): string {
    return ruleText(NftModelRule.sourceOf(this));
  },
  enumerable: true,
  configurable: true,
};

/** The origin the same way: a deferred rule's is made when first read (a report's references), most never are. */
const ORIGIN: PropertyDescriptor = {
  get(this: NftModelRule): Location {
    return NftModelRule.sourceOf(this).origin;
  },
  enumerable: true,
  configurable: true,
};

/**
 * A model rule whose `text` and `origin` are own, enumerable properties read through its source
 * (copies and JSON see a string and an object). A class, so that V8 sizes its instances for the
 * fields its constructor writes: the object literal it was made from had room for one field, and
 * every rule kept a second object for the rest (issue 8: 55,000 rules on a kube-proxy node).
 * Built property by property in the order renderers print them; every rule shares one hidden
 * class with fast properties.
 */
class NftModelRule {
  /**
   * Where the text and origin getters read: a private field, which copies, JSON and equality never
   * see (as the non-enumerable symbol property it replaces), stored without the descriptor object
   * and Object.defineProperty call per rule that property took (issue 8).
   */
  readonly #src: RuleSource;
  declare position: number;
  declare match: PacketSet;
  declare uncertain: readonly Uncertainty[];
  declare action: Action;

  constructor(src: RuleSource, position: number, match: PacketSet, uncertain: readonly Uncertainty[], action: Action) {
    this.#src = src;
    this.position = position;
    Object.defineProperty(this, 'text', TEXT);
    Object.defineProperty(this, 'origin', ORIGIN);
    this.match = match;
    this.uncertain = uncertain;
    this.action = action;
  }

  /** The source a rule's getters read. */
  static sourceOf(rule: NftModelRule): RuleSource {
    return rule.#src;
  }
}

/** A model rule made from `src` (see {@link NftModelRule}). */
export function modelRule(src: RuleSource, position: number, match: PacketSet, uncertain: readonly Uncertainty[], action: Action): Rule {
  return new NftModelRule(src, position, match, uncertain, action) as unknown as Rule;
}

/** The lowering source a model rule of this module reads its text and origin from; null for any other rule. */
export function sourceOfModelRule(rule: Rule): RuleSource | null {
  return rule instanceof NftModelRule ? NftModelRule.sourceOf(rule) : null;
}

/** What adds uncertainties to a rule's condition (a function apart, for the bundle's `keepNames`: see match.ts reporter). */
function uncertaintiesOf(cond: Cond): (u: Uncertainty) => void {
  return (u) => {
    cond.uncertain.push(u);
  };
}

/** Lower one rule in one family; `found` collects every uncertainty with its statement path. */
export function lowerRule(env: RuleEnv, src: RuleSource, position: number, found: Found[]): Rule[] {
  const rule = src.rule;
  const at: FoundAt[] = [];
  const pieces = piecesOf(env, rule.expr, null, at);
  for (const f of at) found.push({ path: `${rule.path}.expr[${f.k}]`, uncertainty: f.uncertainty });
  return pieces.map((p) => {
    // A copy of the uncertainties: the array they were pushed to has room for 17 (issue 8).
    const r = modelRule(src, position, condToSet(p.cond, env.family, env.oneRangeSets), p.cond.uncertain.length === 0 ? NO_UNCERTAINTY : p.cond.uncertain.slice(), p.action);
    if (rule.comment !== undefined) r.comment = rule.comment;
    if (rule.handle !== null) r.handle = rule.handle;
    if (p.cond.limits) r.limits = p.cond.limits;
    return r;
  });
}

/** An uncertainty met, with the index of the statement that caused it. */
export interface FoundAt {
  k: number;
  uncertainty: Uncertainty;
}

/**
 * A rule's statements lowered in order (those whose index `skip` holds left out) into its final
 * pieces; `found` collects every uncertainty met, with its statement's index.
 */
export function piecesOf(env: RuleEnv, expr: readonly Json[], skip: ReadonlySet<number> | null, found: FoundAt[]): Piece[] {
  const cond = newCond();
  const st: RuleState = { notes: [], notrack: false, unknown: null };
  let pieces: Piece[] | null = null;
  const unsure = uncertaintiesOf(cond);
  for (let k = 0; k < expr.length && pieces === null; k++) {
    if (skip !== null && skip.has(k)) continue;
    const before = cond.uncertain.length;
    pieces = statement(env, cond, expr[k]!, st, unsure);
    if (cond.uncertain.length === before && (pieces === null || pieces.every((p) => p.cond.uncertain.length === before))) continue;
    for (let u = before; u < cond.uncertain.length; u++) found.push({ k, uncertainty: cond.uncertain[u]! });
    if (pieces !== null) {
      // Expanded pieces copied the condition before the terminal statement; uncertainties it added are theirs.
      for (const p of pieces) if (p.cond !== cond) for (const u of p.cond.uncertain.slice(before)) found.push({ k, uncertainty: u });
    }
  }
  if (pieces === null) {
    const action: Action = st.unknown !== null ? { type: 'unknown', name: st.unknown } : st.notrack ? { type: 'notrack' } : { type: 'continue', note: st.notes.join(', ') || 'no verdict' };
    pieces = [{ cond, action }];
  }
  return pieces;
}

/** What the statements of one rule have said so far, short of a verdict. */
interface RuleState {
  /** Non-terminating statements met (counter, log, …), for the continue action's note. */
  notes: string[];
  notrack: boolean;
  /** The first statement not understood: the action when no verdict follows. */
  unknown: string | null;
}

/** Handle one statement; returns the final pieces when it ends the rule, else null. */
function statement(env: RuleEnv, cond: Cond, s: Json, st: RuleState, unsure: (u: Uncertainty) => void): Piece[] | null {
  const key = soleKey(s);
  if (typeof s === 'string' && /^(jump|goto)\s*\{/.test(s)) {
    // nft 1.0.x has no JSON form for anonymous chains and prints their body as nft text.
    const construct = `${s.startsWith('goto') ? 'goto' : 'jump'} to an anonymous chain`;
    unsure({ construct, kind: 'unknown', detail: `this nft printed the chain as text, not JSON: ${excerptJson(s)}` });
    st.unknown ??= construct;
    return null;
  }
  if (key === null || !isObject(s)) {
    unsure({ construct: excerptJson(s), kind: 'unknown', detail: 'statement is not a one-key object' });
    st.unknown ??= 'malformed statement';
    return null;
  }
  const b = s[key]!;
  const o: JsonObject = isObject(b) ? b : {};
  switch (key) {
    case 'match': {
      if (o['left'] === undefined || o['right'] === undefined) {
        unsure({ construct: renderStatement(s), kind: 'unknown', detail: 'match without left or right side' });
        return null;
      }
      applyMatch(env, cond, typeof o['op'] === 'string' ? o['op'] : '==', o['left'], o['right'], () => renderStatement(s));
      return null;
    }
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
    case 'jump':
    case 'goto':
      return finishWith(st, cond, verdict(env, s, unsure));
    case 'reject':
      return finishWith(st, cond, reject(env, cond, b, unsure));
    case 'queue':
      return finishWith(st, cond, { type: 'queue' });
    case 'vmap':
      return vmap(env, cond, o, constructOf(s), unsure);
    case 'dnat':
    case 'snat':
    case 'masquerade':
    case 'redirect':
      return nat(env, cond, key, o, constructOf(s), unsure, (a, c = cond) => finishWith(st, c, a));
    case 'mangle': {
      const target = renderExpr(o['key']);
      st.notes.push(`${target} set`);
      // Rewriting addresses or ports (stateless NAT) changes what later rules see.
      if (isObject(o['key']) && soleKey(o['key']) === 'payload') unsure({ construct: renderStatement(s), kind: 'unmodelled', detail: 'packet header rewrite' });
      return null;
    }
    case 'set': {
      st.notes.push(`${String(o['op'])} ${String(o['set'])}`);
      if (Array.isArray(o['stmt']) && o['stmt'].length > 0) {
        const limiter = limiterOfStatement(key, o, renderStatement(s));
        if (limiter) (cond.limits ??= []).push(limiter);
        else unsure({ construct: renderStatement(s), kind: 'rate-limit' });
      }
      return null;
    }
    case 'xt': {
      const type = isObject(b) && typeof b['type'] === 'string' ? b['type'] : null;
      const name = isObject(b) && typeof b['name'] === 'string' ? b['name'] : null;
      const construct = type !== null ? `xt ${type} ${name ?? '?'}` : 'xt (iptables-nft compat expression; this nft does not print its name)';
      unsure({ construct, kind: 'unknown', detail: 'iptables-nft compat expression: read it with iptables-nft-save' });
      if (type !== 'match') st.unknown ??= construct;
      return null;
    }
    case 'tproxy':
      st.notes.push('tproxy');
      unsure({ construct: renderStatement(s), kind: 'unmodelled', detail: 'transparent proxy diversion' });
      return null;
    case 'synproxy':
    case 'fwd':
      unsure({ construct: renderStatement(s), kind: 'unmodelled' });
      st.unknown ??= key;
      return null;
  }
  if (NOTE_ONLY.has(key)) {
    if (key === 'notrack') st.notrack = true;
    st.notes.push(key);
    return null;
  }
  if (RATE.has(key)) {
    st.notes.push(key);
    const limiter = limiterOfStatement(key, b, renderStatement(s));
    if (limiter) (cond.limits ??= []).push(limiter);
    else unsure({ construct: renderStatement(s), kind: 'rate-limit' });
    return null;
  }
  unsure({ construct: key, kind: 'unknown', detail: `statement ${excerptJson(s)} not understood` });
  st.unknown ??= key;
  return null;
}

/** The final pieces: a notrack statement earlier in the rule adds its own piece first. */
function finishWith(st: RuleState, c: Cond, action: Action): Piece[] {
  return st.notrack ? [{ cond: c, action: { type: 'notrack' } }, { cond: c, action }] : [{ cond: c, action }];
}

/**
 * The statement as nft prints it, rendered only if an uncertainty or action names it. Made by a
 * function apart (an anonymous closure): the bundle keeps names, and a closure bound to a name
 * costs an Object.defineProperty each time it is made (issue 8: one per rule of a template).
 */
export function constructOf(s: Json): () => string {
  let text: string | undefined;
  return () => (text ??= renderStatement(s));
}

function excerptJson(s: Json): string {
  const t = JSON.stringify(s);
  return t.length > 100 ? t.slice(0, 99) + '…' : t;
}

/** Verdicts without parameters, shared by every rule that has them (the model is read-only). */
const SIMPLE_VERDICTS: Readonly<Record<'accept' | 'drop' | 'return' | 'continue', Action>> = {
  accept: { type: 'accept' },
  drop: { type: 'drop' },
  return: { type: 'return' },
  continue: { type: 'continue', note: 'continue' },
};

/** A verdict object ({"accept": null}, {"jump": {"target": "x"}}) → action. */
export function verdict(env: RuleEnv, v: Json, unsure: (u: Uncertainty) => void): Action {
  const key = soleKey(v);
  const b = key !== null && isObject(v) ? v[key] : undefined;
  switch (key) {
    case 'accept':
    case 'drop':
    case 'return':
    case 'continue':
      return SIMPLE_VERDICTS[key];
    case 'jump':
    case 'goto': {
      const target = isObject(b) ? b['target'] : undefined;
      if (typeof target !== 'string') break;
      const known = env.chainActions?.[key].get(target);
      if (known !== undefined) return known;
      const id = env.chainRef(target);
      if (id === null) {
        unsure({ construct: `${key} ${target}`, kind: 'unknown', detail: `chain ${target} is not declared in this table` });
        return { type: 'unknown', name: `${key} ${target}` };
      }
      const action: Action = { type: key, chain: id };
      env.chainActions?.[key].set(target, action);
      return action;
    }
  }
  unsure({ construct: renderExpr(v), kind: 'unknown', detail: 'verdict not understood' });
  return { type: 'unknown', name: renderExpr(v) };
}

const REJECT_NAMES: Readonly<Record<string, RejectWith>> = nameTable({
  'port-unreachable': 'port-unreachable', 'host-unreachable': 'host-unreachable', 'net-unreachable': 'net-unreachable',
  'prot-unreachable': 'proto-unreachable', 'net-prohibited': 'net-prohibited', 'host-prohibited': 'host-prohibited',
  'admin-prohibited': 'admin-prohibited', 'no-route': 'no-route', 'addr-unreachable': 'addr-unreachable',
  'policy-fail': 'policy-fail', 'reject-route': 'reject-route',
});

function reject(env: RuleEnv, cond: Cond, b: Json, unsure: (u: Uncertainty) => void): Action {
  if (!isObject(b)) return { type: 'reject', with: 'port-unreachable' };
  const type = b['type'];
  if (type === 'tcp reset') return { type: 'reject', with: 'tcp-reset' };
  // `reject with icmp …` in an inet table carries a `meta nfproto ipv4` dependency (icmpv6: ipv6).
  const mixed = env.tableFamily === 'inet' || env.tableFamily === 'netdev';
  if (mixed && ((type === 'icmp' && env.family !== 'ipv4') || (type === 'icmpv6' && env.family !== 'ipv6'))) cond.empty = true;
  const expr = b['expr'];
  if (expr === undefined) return { type: 'reject', with: 'port-unreachable' };
  let name: string | undefined = typeof expr === 'string' ? expr : undefined;
  if (typeof expr === 'number') {
    const table = type === 'icmpv6' ? ICMPV6_CODES : ICMP_CODES;
    name = Object.keys(table).find((n) => table[n] === expr);
  }
  const w = name !== undefined ? REJECT_NAMES[name] : undefined;
  if (w) return { type: 'reject', with: w };
  unsure({ construct: `reject with ${String(type)} ${renderExpr(expr)}`, kind: 'unknown', detail: 'reject code not recognised; read as port-unreachable' });
  return { type: 'reject', with: 'port-unreachable' };
}

/** Map elements that share their data (verdict or NAT target). */
interface ElementGroup {
  data: Json;
  keys: Json[];
}

/** Group map elements by their data (verdict or NAT target), in first-seen order. */
function groupElements(env: RuleEnv, data: Json, unsure: (u: Uncertainty) => void, construct: () => string): ElementGroup[] | null {
  const groups: ElementGroup[] = [];
  // Equal data, same group. The common `goto`/`jump` verdict (kube-proxy maps hold thousands)
  // is keyed by its target string as parsed, without serialising; anything else by its JSON.
  const byGoto = new Map<string, ElementGroup>();
  const byJump = new Map<string, ElementGroup>();
  const byJson = new Map<string, ElementGroup>();
  const add = (k: Json, d: Json): void => {
    const verdict = soleKey(d);
    const target = targetOf(d);
    const map = target === null ? byJson : verdict === 'goto' ? byGoto : byJump;
    const key = target ?? JSON.stringify(d);
    const g = map.get(key);
    if (g) g.keys.push(k);
    else {
      const fresh = { data: d, keys: [k] };
      map.set(key, fresh);
      groups.push(fresh);
    }
  };
  if (typeof data === 'string' && data.startsWith('@')) {
    const set = env.lookupSet(data.slice(1));
    if (!set) {
      unsure({ construct: construct(), kind: 'unknown', detail: `map ${data} is not declared in this table` });
      return null;
    }
    if (env.dynamicSets.has(set.path)) {
      unsure({ construct: construct(), kind: 'missing-data', detail: `map ${data} is filled by rules at runtime` });
      return null;
    }
    for (const e of set.elem) if (e.data !== undefined) add(e.key, e.data);
  } else if (isObject(data) && soleKey(data) === 'set' && Array.isArray(data['set'])) {
    for (const p of data['set']) {
      if (!Array.isArray(p) || p.length !== 2) {
        unsure({ construct: construct(), kind: 'unknown', detail: `map element ${JSON.stringify(p)} is not a [key, value] pair` });
        return null;
      }
      add(p[0]!, p[1]!);
    }
  } else {
    unsure({ construct: construct(), kind: 'unknown', detail: 'map data not understood' });
    return null;
  }
  return groups;
}

/** `key vmap { k1 : verdict1, … }`: one piece per distinct verdict, matching its keys. */
function vmap(env: RuleEnv, cond: Cond, o: JsonObject, construct: () => string, unsure: (u: Uncertainty) => void): Piece[] {
  const groups = groupElements(env, o['data'] ?? null, unsure, construct);
  if (groups === null) return [{ cond, action: { type: 'unknown', name: construct() } }];
  const pieces: Piece[] = [];
  // A random choice over every value: the last branch takes whatever the others did not.
  const exhaustive = numgenCovers(o['key'] ?? null, groups.flatMap((g) => g.keys));
  let left = groups.length;
  for (const g of groups) {
    const c = cloneCond(cond);
    if (!(exhaustive && --left === 0)) applyMatch(env, c, '==', o['key'] ?? null, { set: g.keys }, construct);
    pieces.push({ cond: c, action: verdict(env, g.data, (u) => c.uncertain.push(u)) });
  }
  if (pieces.length === 0) {
    // An empty map matches nothing: the rule never decides anything.
    const c = cloneCond(cond);
    c.empty = true;
    pieces.push({ cond: c, action: { type: 'continue', note: 'empty verdict map' } });
  }
  return pieces;
}

/**
 * The NAT statement's target, its parts not understood noted on `c`. (This and the two below
 * are functions apart, not closures of nat: the bundle keeps names, a defineProperty per closure.)
 */
export function natTarget(env: RuleEnv, key: 'dnat' | 'snat' | 'masquerade' | 'redirect', construct: () => string, addrJson: Json | undefined, portJson: Json | undefined, uncertain: Uncertainty[]): Action {
  const a: Action & { type: 'dnat' } = { type: 'dnat' };
  if (key === 'redirect') a.toLocal = true;
  if (addrJson !== undefined) {
    const s = natRanges(env, 'addr', addrJson);
    if (s) a.addr = env.oneRangeSets?.share(s) ?? s;
    else uncertain.push({ construct: construct(), kind: 'unknown', detail: `NAT address ${renderExpr(addrJson)} not understood` });
  }
  if (portJson !== undefined) {
    const s = natRanges(env, 'port', portJson);
    if (s) a.ports = env.oneRangeSets?.share(s) ?? s;
    else uncertain.push({ construct: construct(), kind: 'unknown', detail: `NAT port ${renderExpr(portJson)} not understood` });
  }
  return a;
}

function natRanges(env: RuleEnv, kind: 'addr' | 'port', v: Json): DimSet | null {
  if (typeof v === 'string' || typeof v === 'number') {
    // One value, the common target: its range as it is (what fromRanges makes of it, without the
    // array grown by push that every endpoint rule of a kube-proxy model would keep: issue 8).
    const r = atom(kind, env.family, v);
    if (r === null) return null;
    return (r[0] < r[1] ? r : []) as IntervalSet<Ordinal> as DimSet;
  }
  const out: Range[] = [];
  return valueRanges(kind, env.family, v, out) === null ? (I.fromRanges(out) as IntervalSet<Ordinal> as DimSet) : null;
}

function mapOf(e: Json | undefined): JsonObject | null {
  return isObject(e) && soleKey(e) === 'map' && isObject(e['map']) ? e['map'] : null;
}

function nat(
  env: RuleEnv,
  cond: Cond,
  key: 'dnat' | 'snat' | 'masquerade' | 'redirect',
  o: JsonObject,
  construct: () => string,
  unsure: (u: Uncertainty) => void,
  finish: (a: Action, c?: Cond) => Piece[],
): Piece[] {
  const fam = o['family'];
  // In an inet table `dnat ip to …` does nothing to IPv6 packets (and the reverse).
  if ((fam === 'ip' && env.family !== 'ipv4') || (fam === 'ip6' && env.family !== 'ipv6')) {
    return [{ cond, action: { type: 'continue', note: `${construct()} (other family)` } }];
  }
  if (key === 'snat' || key === 'masquerade') return finish({ type: 'snat' });
  const addrExpr = key === 'dnat' ? o['addr'] : undefined;
  const portExpr = o['port'];
  const addrMap = mapOf(addrExpr);
  const portMap = mapOf(portExpr);
  if (addrMap && portMap) {
    unsure({ construct: construct(), kind: 'unmodelled', detail: 'address and port both chosen by maps' });
    return finish({ type: 'dnat' });
  }
  const map = addrMap ?? portMap;
  if (!map) return finish(natTarget(env, key, construct, addrExpr, portExpr, cond.uncertain));
  const groups = groupElements(env, map['data'] ?? null, unsure, construct);
  if (groups === null) return finish({ type: 'dnat' });
  const pieces: Piece[] = [];
  for (const g of groups) {
    const c = cloneCond(cond);
    applyMatch(env, c, '==', map['key'] ?? null, { set: g.keys }, construct);
    let addr: Json | undefined = addrMap ? g.data : addrExpr;
    let port: Json | undefined = portMap ? g.data : portExpr;
    // `dnat ip addr . port to … map { k : a . p }`: the data is a concatenation.
    if (addrMap && isObject(g.data) && soleKey(g.data) === 'concat' && Array.isArray(g.data['concat']) && g.data['concat'].length === 2) {
      addr = g.data['concat'][0]!;
      port = g.data['concat'][1]!;
    }
    pieces.push(...finish(natTarget(env, key, construct, addr, port, c.uncertain), c));
  }
  return pieces.length > 0 ? pieces : [{ cond: { ...cloneCond(cond), empty: true }, action: { type: 'continue', note: 'empty NAT map' } }];
}

/** The chain of a `{"jump": {"target": "x"}}` or `{"goto": …}` verdict, else null. */
export function targetOf(v: Json): string | null {
  const name = soleKey(v);
  if ((name !== 'jump' && name !== 'goto') || !isObject(v)) return null;
  const b = v[name];
  if (!isObject(b) || soleKey(b) !== 'target') return null;
  const target = b['target'];
  return typeof target === 'string' ? target : null;
}
