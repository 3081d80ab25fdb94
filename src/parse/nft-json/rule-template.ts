/**
 * Rules of one shape lowered once (issue 8). kube-proxy writes tens of thousands of rules that
 * differ only in constants: `ip daddr 10.96.0.10 tcp dport 6379 ip saddr != 10.244.0.0/16 jump
 * mark-for-masquerade`, `numgen random mod 3 vmap { 0 : goto endpoint-A, … }`, `meta l4proto
 * tcp dnat to 10.244.0.2:6379`. A rule's shape is its statements with those constants left out
 * (the holes); the second rule of a shape lowers the shape once, without its hole matches, into
 * a template, and every rule of that shape is then made from the template:
 *
 * - a hole match (`payload == literal` on an address or port field) is applied to each piece's
 *   condition after the rest: matches intersect, so the order does not change the set;
 * - a hole verdict (`jump`/`goto` a chain, the literal elements of a verdict map, `dnat to`
 *   a literal address and port) is lowered again with the rule's own constants.
 *
 * Whatever a template cannot say exactly falls back to the direct lowering ({@link lowerRule}):
 * a hole that adds an uncertainty (an unknown chain, a value not understood), two map elements
 * with one target (they would merge into one piece), a statement after the verdict, limits, or an
 * uncertainty whose words would name a constant. The rules made are deep-equal to the direct
 * lowering's (rule-template.test.ts lowers every dump of the repository both ways).
 *
 * @module
 */
import type { PacketSet } from '../../model/packet-set.js';
import type { Action, Rule, Uncertainty } from '../../model/ruleset.js';
import { type Cond, applyMatch, cloneCond, condToSet } from './match.js';
import { renderStatement } from './render.js';
import { type Found, type FoundAt, type Piece, type RuleEnv, type RuleSource, NO_UNCERTAINTY, constructOf, modelRule, natTarget, piecesOf, targetOf, verdict } from './statements.js';
import { type TextShape, samePieces, shapePieces } from './rule-text-shape.js';
import { type Json, type JsonObject, isObject, keyCount, soleKey } from './types.js';

/** What a rule's last statement is, as far as its holes go. */
type Terminal = 'fixed' | 'verdict' | 'vmap' | 'dnat';

/** One shape lowered once: its pieces without the hole matches, and where each piece's action comes from. */
export interface RuleTemplate {
  /** Indexes of the hole matches, applied to every piece. */
  matches: readonly number[];
  terminal: Terminal;
  /** Each piece's condition before the hole matches, and its action when no hole makes it. */
  pieces: readonly Piece[];
  /** The uncertainties met, by statement; `render` when its construct is the rule's last statement as printed. */
  found: readonly { k: number; u: Uncertainty; render: boolean }[];
  /**
   * Each piece's packet set, made when first needed, for a shape without hole matches: every
   * rule of the shape then shares it (the model is read-only; kube-proxy's 14,727 `meta l4proto
   * tcp dnat to …` rules match one set: issue 8). Null when hole matches make each rule's own.
   */
  sets: (PacketSet | undefined)[] | null;
}

/** Templates by shape, per lowering environment; `once` for a shape seen once, null for one a template cannot serve. */
export type Templates = Map<string, RuleTemplate | 'once' | null>;

/** A text shape's pieces tied to its template, with the statements of the parsed rule that tied it (rule-text-shape.ts). */
export interface TextTie {
  pieces: readonly string[];
  t: RuleTemplate;
  proto: readonly Json[];
}

/** Text shapes tied to templates, by the hash of their pieces, per lowering environment. */
export type TextTies = Map<number, TextTie[]>;

const ADDR_PORT_FIELDS: ReadonlySet<string> = new Set(['saddr', 'daddr', 'sport', 'dport']);
const HOLE_PROTOCOLS: ReadonlySet<string> = new Set(['ip', 'ip6', 'tcp', 'udp', 'sctp', 'dccp', 'udplite', 'th']);
/** Literal sets longer than this are not worth a shape key (and would make a long one). */
const MAX_LITERAL_ELEMENTS = 64;

/**
 * The rule lowered from its shape's template, or null when it must be lowered directly. `text`:
 * the rule's text shape, tied to the template when its cut holes are the template's.
 */
export function lowerFromTemplate(env: RuleEnv, templates: Templates, src: RuleSource, position: number, found: Found[], text?: { shape: TextShape; ties: TextTies }): Rule[] | null {
  const rule = src.rule;
  const expr = rule.expr;
  const matches: number[] = [];
  const key = shapeKey(expr, matches);
  if (key === null) return null;
  let t = templates.get(key);
  if (t === undefined) {
    // A shape seen once is lowered directly: a template pays from its second rule on.
    templates.set(key, 'once');
    return null;
  }
  if (t === 'once') {
    t = makeTemplate(env, expr, matches);
    templates.set(key, t);
  }
  if (t === null) return null;
  if (text !== undefined) tieText(text.ties, text.shape, t, expr);
  return instantiate(env, t, src, expr, null, expr[expr.length - 1]!, rule.handle, rule.comment, position, found);
}

/**
 * Ties a text shape's key to the template of its parsed rule, when the holes the text cut are
 * exactly the template's: the hole matches at the same statements, the same kind of last
 * statement. Every rule of that key then has these statements but for the constants cut.
 */
function tieText(ties: TextTies, shape: TextShape, t: RuleTemplate, expr: readonly Json[]): void {
  if (shape.count !== expr.length || shape.terminal !== t.terminal) return;
  if (shape.matches.length !== t.matches.length || shape.matches.some((m, k) => m !== t.matches[k])) return;
  if (tiedTo(ties, shape) !== null) return;
  let bucket = ties.get(shape.hash);
  if (bucket === undefined) ties.set(shape.hash, (bucket = []));
  bucket.push({ pieces: shapePieces(shape), t, proto: expr });
}

/** The tie of the shape's pieces, or null. */
function tiedTo(ties: TextTies, shape: TextShape): TextTie | null {
  const bucket = ties.get(shape.hash);
  if (bucket !== undefined) for (const tie of bucket) if (samePieces(shape, tie.pieces)) return tie;
  return null;
}

/**
 * The rule made from the template its text shape's key is tied to, without parsing it; null when
 * no template is tied yet or one of its constants needs the direct lowering (then it is parsed).
 */
export function lowerFromText(env: RuleEnv, ties: TextTies, shape: TextShape, src: RuleSource, position: number, found: Found[]): Rule[] | null {
  const tie = tiedTo(ties, shape);
  if (tie === null) return null;
  return instantiate(env, tie.t, src, tie.proto, shape.rights, lastStatementOf(tie, shape), shape.handle, undefined, position, found);
}

/**
 * The rule's last statement as its parse would give it: the tied rule's, but for the holes, made
 * with this rule's constants (members in the tied rule's order). Its hole matches need no
 * statements of their own: instantiate reads their constants from the shape (a copy of the
 * statements and two objects per hole match were garbage of 40,000 rules: issue 8).
 */
function lastStatementOf(tie: TextTie, shape: TextShape): Json {
  const expr = tie.proto;
  const last = expr.length - 1;
  const s = expr[last]!;
  const t = shape.targets;
  switch (shape.terminal) {
    case 'verdict':
      return { [soleKey(s)!]: { target: t[0]! } };
    case 'vmap': {
      const o = (s as JsonObject)['vmap'] as JsonObject;
      const elements = vmapElements(s).map((e, k) => [(e as Json[])[0]!, { [soleKey((e as Json[])[1]!)!]: { target: t[k]! } }]);
      return { vmap: { key: o['key']!, data: { set: elements } } };
    }
    case 'dnat': {
      const o = (s as JsonObject)['dnat'] as JsonObject;
      const made: JsonObject = {};
      for (const k in o) made[k] = k === 'addr' ? t[0]! : k === 'port' ? t[1]! : o[k]!;
      return { dnat: made };
    }
  }
  return s;
}

/**
 * The rule's shape: its statements as JSON, the hole constants left out (`matches` receives the
 * indexes of the hole matches). Null when the rule is not worth a template.
 */
export function shapeKey(expr: readonly Json[], matches: number[]): string | null {
  let key = '';
  for (let k = 0; k < expr.length; k++) {
    const s = expr[k]!;
    const part = holePart(s);
    if (part === 'match') {
      matches.push(k);
      const p = ((s as JsonObject)['match'] as JsonObject)['left'] as JsonObject;
      const payload = p['payload'] as JsonObject;
      key += `\u0001m ${payload['protocol'] as string} ${payload['field'] as string}`;
    } else if (part !== null) key += part;
    else {
      if (tooLong(s)) return null;
      key += '\u0001' + JSON.stringify(s);
    }
  }
  return key;
}

/** A hole statement's part of the shape key ('match' for a hole match), or null for a statement without holes. */
function holePart(s: Json): string | null {
  const name = soleKey(s);
  if (name === null || !isObject(s)) return null;
  const o = s[name];
  if (!isObject(o)) return null;
  switch (name) {
    case 'match':
      return isHoleMatch(o) ? 'match' : null;
    case 'jump':
    case 'goto':
      return targetOf(s) !== null ? `\u0001${name}` : null;
    case 'vmap': {
      const data = o['data'];
      if (keyCount(o) !== 2 || o['key'] === undefined || !isObject(data) || soleKey(data) !== 'set') return null;
      const elements = data['set'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX_LITERAL_ELEMENTS) return null;
      let part = `\u0001vmap ${JSON.stringify(o['key'])}`;
      for (const e of elements) {
        if (!Array.isArray(e) || e.length !== 2 || targetOf(e[1]!) === null) return null;
        part += ` ${JSON.stringify(e[0])}:${soleKey(e[1]!)!}`;
      }
      return part;
    }
    case 'dnat': {
      let part = '\u0001dnat';
      for (const k in o) {
        const v = o[k];
        if (k === 'family' && typeof v === 'string') part += ` ${v}`;
        else if ((k === 'addr' || k === 'port') && (typeof v === 'string' || typeof v === 'number')) part += ` ${k}`;
        else return null;
      }
      return part;
    }
  }
  return null;
}

/** `ADDRESS-OR-PORT-FIELD == literal` (or an address prefix): a match whose constant is a hole. */
function isHoleMatch(o: JsonObject): boolean {
  if (o['op'] !== '==' || keyCount(o) !== 3) return false;
  const right = o['right']!;
  if (typeof right !== 'number' && (typeof right !== 'string' || right.startsWith('@')) && prefixText(right) === null) return false;
  const left = o['left'];
  if (!isObject(left) || soleKey(left) !== 'payload') return false;
  const p = left['payload'];
  if (!isObject(p) || keyCount(p) !== 2) return false;
  return typeof p['protocol'] === 'string' && HOLE_PROTOCOLS.has(p['protocol']) && typeof p['field'] === 'string' && ADDR_PORT_FIELDS.has(p['field']);
}

/**
 * `addr/len` of a prefix constant as nft prints it (exactly `addr` and an integer `len`), else
 * null. The template applies it as the direct lowering would, and falls back to that lowering
 * when it adds an uncertainty (a prefix on a port, a length past the family's), so a hole here
 * only has to be a value of this form, not a valid one.
 */
function prefixText(v: Json): string | null {
  if (!isObject(v) || soleKey(v) !== 'prefix') return null;
  const p = v['prefix'];
  if (!isObject(p) || keyCount(p) !== 2) return null;
  const addr = p['addr'];
  const len = p['len'];
  return typeof addr === 'string' && !addr.startsWith('@') && typeof len === 'number' && Number.isInteger(len) ? `${addr}/${len}` : null;
}

/** Whether a statement holds a literal set too long to key a shape by. */
function tooLong(s: Json): boolean {
  if (Array.isArray(s)) return s.length > MAX_LITERAL_ELEMENTS || s.some(tooLong);
  if (!isObject(s)) return false;
  for (const k in s) if (tooLong(s[k]!)) return true;
  return false;
}

/** The shape of `expr` lowered once without its hole matches; null when a template cannot serve it. */
function makeTemplate(env: RuleEnv, expr: readonly Json[], matches: readonly number[]): RuleTemplate | null {
  const last = expr.length - 1;
  if (last < 0 || matches.includes(last)) return null;
  const at: FoundAt[] = [];
  const pieces = piecesOf(env, expr, matches.length > 0 ? new Set(matches) : null, at);
  const terminal = terminalOf(expr[last]!);
  if (terminal === null) return null;
  for (const p of pieces) if (p.cond.limits !== undefined) return null;
  if (terminal === 'vmap') {
    // Piece k is element k's verdict only when no two elements share a target (they would merge).
    const elements = vmapElements(expr[last]!);
    if (pieces.length !== elements.length || !distinctTargets(elements)) return null;
  } else if (terminal !== 'fixed') {
    const action = pieces[pieces.length - 1]!.action;
    if (action.type !== (terminal === 'dnat' ? 'dnat' : soleKey(expr[last]!))) return null;
  }
  const constants = holeConstants(expr, matches, terminal);
  const found: { k: number; u: Uncertainty; render: boolean }[] = [];
  for (const f of at) {
    const u = f.uncertainty;
    if (f.k !== last || terminal === 'fixed') {
      found.push({ k: f.k, u, render: false });
      continue;
    }
    // An uncertainty of a statement with holes: its construct is the statement as printed, redone per rule.
    if (u.construct !== renderStatement(expr[last]!)) return null;
    if (u.detail !== undefined && constants.some((c) => u.detail!.includes(c))) return null;
    found.push({ k: f.k, u, render: true });
  }
  // A piece's own uncertainties are all among those found (a verdict's hole adding one falls back, below).
  const seen = new Set(found.map((f) => f.u));
  for (const p of pieces) for (const u of p.cond.uncertain) if (!seen.has(u)) return null;
  if (!endsAtLast(expr, pieces, terminal)) return null;
  return { matches, terminal, pieces, found, sets: matches.length === 0 ? [] : null };
}

/** How the last statement makes the actions; null for a verdict this module does not fill. */
function terminalOf(s: Json): Terminal | null {
  const part = holePart(s);
  if (part === null) return 'fixed';
  if (part === 'match') return null;
  const name = soleKey(s);
  return name === 'vmap' ? 'vmap' : name === 'dnat' ? 'dnat' : 'verdict';
}

/**
 * Whether the pieces are the last statement's: a statement before it that ends the rule (a
 * verdict in the middle) leaves the last unread, and the holes would not be where they seem.
 */
function endsAtLast(expr: readonly Json[], pieces: readonly Piece[], terminal: Terminal): boolean {
  for (let k = 0; k < expr.length - 1; k++) {
    const name = soleKey(expr[k]!);
    if (name !== null && ENDS_RULE.has(name)) return false;
    if (name === null && typeof expr[k] === 'string') return false;
  }
  return terminal === 'fixed' || pieces.length > 0;
}

/** Statements that may end a rule's lowering before its last. */
const ENDS_RULE: ReadonlySet<string> = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'reject', 'queue', 'vmap', 'dnat', 'snat', 'masquerade', 'redirect']);

/** The constants of a rule's holes as text (to keep them out of a template's words). */
function holeConstants(expr: readonly Json[], matches: readonly number[], terminal: Terminal): string[] {
  const out: string[] = [];
  for (const m of matches) {
    const right = ((expr[m] as JsonObject)['match'] as JsonObject)['right']!;
    out.push(prefixText(right) ?? String(right));
  }
  const s = expr[expr.length - 1]!;
  if (terminal === 'verdict') out.push(targetOf(s)!);
  else if (terminal === 'vmap') for (const e of vmapElements(s)) out.push(targetOf((e as Json[])[1]!)!);
  else if (terminal === 'dnat') {
    const o = (s as JsonObject)['dnat'] as JsonObject;
    if (o['addr'] !== undefined) out.push(String(o['addr']));
    if (o['port'] !== undefined) out.push(String(o['port']));
  }
  return out;
}

/** The `[key, verdict]` elements of a hole verdict map (checked by {@link holePart}). */
function vmapElements(s: Json): Json[] {
  return (((s as JsonObject)['vmap'] as JsonObject)['data'] as JsonObject)['set'] as Json[];
}

function distinctTargets(elements: readonly Json[]): boolean {
  const targets = new Set<string>();
  for (const e of elements) targets.add(targetOf((e as Json[])[1]!)!);
  return targets.size === elements.length;
}

/**
 * The rule made from its shape's template; null when one of its constants needs the direct
 * lowering. `expr`: statements whose hole matches hold the field matched and, unless `rights`
 * gives them by hole (in `t.matches` order), the constants; `lastStatement`: the rule's own.
 */
function instantiate(env: RuleEnv, t: RuleTemplate, src: RuleSource, expr: readonly Json[], rights: readonly Json[] | null, lastStatement: Json, handle: number | null, comment: string | undefined, position: number, found: Found[]): Rule[] | null {
  const rule = src.rule;
  let elements: Json[] | null = null;
  if (t.terminal === 'vmap') {
    elements = vmapElements(lastStatement);
    if (!distinctTargets(elements)) return null;
  }
  const construct = constructOf(lastStatement);
  // The template's uncertainties as this rule has them: one object each, shared by its pieces as a direct lowering shares them.
  let mine: Map<Uncertainty, Uncertainty> | null = null;
  if (t.found.length > 0) {
    mine = new Map();
    for (const f of t.found) mine.set(f.u, f.render ? redone(f.u, construct()) : f.u);
  }
  // What a hole verdict adds (an unknown chain, a target not read): then the direct lowering reports it.
  const added = ADDED;
  added.length = 0;
  const n = t.pieces.length;
  // At its size: a list grown by push takes room for 17 (garbage of 40,000 rules: issue 8).
  const out = new Array<Rule>(n);
  for (let i = 0; i < n; i++) {
    const p = t.pieces[i]!;
    let match: PacketSet;
    let uncertain: readonly Uncertainty[];
    if (t.sets !== null) {
      // No hole match: the piece's packets are the template's, one set for every rule of the shape.
      match = t.sets[i] ??= condToSet(p.cond, env.family, env.oneRangeSets);
      uncertain = p.cond.uncertain.length === 0 ? NO_UNCERTAINTY : p.cond.uncertain.map((u) => mine!.get(u)!);
    } else {
      const c: Cond = cloneCond(p.cond);
      if (mine !== null) for (let u = 0; u < c.uncertain.length; u++) c.uncertain[u] = mine.get(c.uncertain[u]!)!;
      const before = c.uncertain.length;
      for (let k = 0; k < t.matches.length; k++) {
        const o = (expr[t.matches[k]!] as JsonObject)['match'] as JsonObject;
        applyMatch(env, c, '==', o['left']!, rights === null ? o['right']! : rights[k]!, UNNAMED);
      }
      if (c.uncertain.length !== before) return null;
      match = condToSet(c, env.family, env.oneRangeSets);
      uncertain = before === 0 ? NO_UNCERTAINTY : c.uncertain;
    }
    const action = actionOf(env, t, i, p.action, lastStatement, elements, construct, added);
    if (added.length > 0) return null;
    const r = modelRule(src, position, match, uncertain, action);
    if (comment !== undefined) r.comment = comment;
    if (handle !== null) r.handle = handle;
    out[i] = r;
  }
  if (mine !== null) for (const f of t.found) found.push({ path: `${rule.path}.expr[${f.k}]`, uncertainty: mine.get(f.u)! });
  return out;
}

/** Piece `i`'s action: its own verdict for a hole, else the template's (shared: the model is read-only). */
function actionOf(env: RuleEnv, t: RuleTemplate, i: number, fixed: Action, s: Json, elements: Json[] | null, construct: () => string, added: Uncertainty[]): Action {
  if (t.terminal === 'vmap') return verdict(env, (elements![i] as Json[])[1]!, unsure);
  if (i === t.pieces.length - 1) {
    if (t.terminal === 'verdict') return verdict(env, s, unsure);
    if (t.terminal === 'dnat') {
      const o = (s as JsonObject)['dnat'] as JsonObject;
      return natTarget(env, 'dnat', construct, o['addr'], o['port'], added);
    }
  }
  return fixed;
}

/**
 * What a hole verdict adds, for the rule being made: one list and one function for every rule
 * (instantiate is never re-entered; a list and a closure per rule were garbage of 40,000 rules: issue 8).
 */
const ADDED: Uncertainty[] = [];
/**
 * A hole match's construct: a hole match that adds an uncertainty sends its rule to the direct
 * lowering (below), which names its own; so no closure per match to render a name never kept.
 */
const UNNAMED = (): string => '';
const unsure = (u: Uncertainty): void => {
  ADDED.push(u);
};

function redone(u: Uncertainty, construct: string): Uncertainty {
  return u.detail === undefined ? { construct, kind: u.kind } : { construct, kind: u.kind, detail: u.detail };
}
