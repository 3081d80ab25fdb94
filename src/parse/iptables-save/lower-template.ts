/**
 * Rule templates: a line shape (line-shape.ts) parsed and lowered once, then each line of
 * that shape lowered by filling its holes (issue 8). A kube-proxy node's 76,000 rule lines
 * come in a dozen shapes (`-s IP -m comment --comment "…" -j KUBE-MARK-MASQ`, `-p tcp -m
 * comment --comment "…" -m tcp -j DNAT --to-destination IP:PORT`, the statistic jumps…);
 * tokenizing, grouping and lowering each of them was most of its load.
 *
 * A template is learnt from a line read the long way without any parse problem, and only
 * when every hole is a value whose meaning lowering reads alone: the address of `-s`/`-d`, a
 * port of `--dport`/`--sport` (tcp, udp, sctp, dccp, multiport), a comment, the chain of a
 * `-j`/`-g` without options, the `--to-destination` of DNAT, or an option of a module that
 * is not modelled (its text is the uncertainty's). A hole anywhere else (`-p 6`, `--limit
 * 5/s`, `--set-xmark 0x4000`), any other uncertain construct, a limit or a rule of several
 * cubes: no template. A line whose value would read differently (a malformed address, one
 * read as a superset, a bad port) takes the long way, which reports it as before.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Action, Rule, Uncertainty } from '../../model/ruleset.js';
import type { IptMatch, IptOption, IptRule } from './ast.js';
import { HOLE_CHAIN, HOLE_QUOTED, type KeptShape, LineShape, keepShape, sameShape } from './line-shape.js';
import type { LowerEnv } from './lower-env.js';
import type { MatchLowerer } from './lower-match.js';
import { dnatAction, natTarget } from './lower-target.js';
import { RATE_LIMIT_MODULES, UNMODELLED_MODULES } from './modules.js';
import { TokenBuffer, tokenizeInto } from './tokenize.js';
import { nameTable } from '../../model/name-table.js';

/** What a hole's value means to lowering. */
const Fill = {
  Address: 0,
  Port: 1,
  Comment: 2,
  Chain: 3,
  Dnat: 4,
  /** An option of an unmodelled module: it shows only in that module's text. */
  Text: 5,
} as const;
type Fill = (typeof Fill)[keyof typeof Fill];

/** An unmodelled module's uncertainty: its construct is the module's text, found in the line by offsets. */
interface Open {
  name: string;
  detail: string;
  start: number;
  end: number;
}

interface Template {
  shape: KeptShape;
  fills: Fill[];
  /** Per hole: the dimension (Address, Port), whether negated, goto (Chain). */
  dims: Dim[];
  negated: boolean[];
  /** The cube without the holes' dimensions (null: no hole restricts one; the template's match is every line's). */
  base: Cube | null;
  match: PacketSet;
  uncertain: readonly Uncertainty[];
  opens: Open[] | null;
  /** The comment's parts, joined by "; ": literal text, or the number of a hole; null when no comment. */
  comment: (string | number)[] | null;
  /** The action when no hole changes it. */
  action: Action;
  goto: boolean;
}

/** Shapes tried per hash before giving up on learning them (a shape that never fits costs a tokenize per try). */
const TRIES = 3;
/** Templates per table: kube-proxy needs about a dozen. */
const TEMPLATE_LIMIT = 1024;
/** Shapes remembered as met once; past that, new shapes are not learnt (a dump of that many shapes has no repeats to win). */
const MET_ONCE_LIMIT = 65_536;

const PORT_MODULES: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', 'dccp']);
const PORT_OPTIONS: Readonly<Record<string, Dim>> = nameTable({ sport: Dim.Sport, 'source-port': Dim.Sport, dport: Dim.Dport, 'destination-port': Dim.Dport });
const MULTIPORT_OPTIONS: Readonly<Record<string, Dim>> = nameTable({ sports: Dim.Sport, 'source-ports': Dim.Sport, dports: Dim.Dport, 'destination-ports': Dim.Dport });

const words = new TokenBuffer();

/** How many lines templates have lowered in this process: tests check that they ran. */
export const templateUse = { filled: 0 };

/** The templates of one table, for one lowering run. */
export class RuleTemplates {
  private readonly shape = new LineShape();
  /** The line last scanned, and whether its scan can teach a template. */
  private scanned = '';
  private scannedFrom = 0;
  private scanOk = false;
  private readonly byHash = new Map<number, Template[]>();
  private readonly tries = new Map<number, number>();
  /** Hashes of shapes met once: a shape is learnt when it comes again (a one-off line costs no second read). */
  private readonly metOnce = new Set<number>();
  private size = 0;

  constructor(
    private readonly env: LowerEnv,
    /** A MatchLowerer whose env reports nothing: for the conditions without the holes. */
    private readonly quiet: MatchLowerer,
    private readonly chains: ReadonlyMap<string, unknown>,
    private readonly chainAction: (name: string, goto: boolean) => Action | null,
    private readonly file: string,
  ) {}

  /** The rule of `line` (of `chain`, trimmed) from a template, or null: then read it the long way. */
  lower(line: string, chain: string, lineNo: number, position: number): Rule | null {
    const from = bodyStart(line, chain);
    const shape = this.shape;
    this.scanned = line;
    this.scannedFrom = from;
    this.scanOk = from > 0 && shape.scan(line, from, this.chains);
    if (!this.scanOk) return null;
    const list = this.byHash.get(shape.hash);
    if (list === undefined) return null;
    for (const t of list) if (sameShape(line, from, shape, t.shape)) return this.fill(t, line, from, lineNo, position);
    return null;
  }

  private fill(t: Template, line: string, from: number, lineNo: number, position: number): Rule | null {
    const shape = this.shape;
    const env = this.env;
    const values = env.values;
    let cube: DimSet[] | null = t.base === null ? null : t.base.slice();
    let action = t.action;
    let comment: string[] | null = null;
    const fills = t.fills;
    for (let k = 0; k < fills.length; k++) {
      const fill = fills[k]!;
      if (fill === Fill.Text) continue;
      if (fill === Fill.Chain) {
        const a = this.chainAction(shape.chain, t.goto);
        if (a === null) return null;
        action = a;
        continue;
      }
      const value = line.slice(shape.starts[k]!, shape.ends[k]!);
      switch (fill) {
        case Fill.Address: {
          const set = values.addresses(value);
          if (!set || values.isSuperset(value)) return null;
          const d = t.dims[k]!;
          cube![d] = t.negated[k] ? values.complement(d, set as DimSet) : (set as DimSet);
          break;
        }
        case Fill.Port: {
          const set = values.portList(value);
          if (!set) return null;
          const d = t.dims[k]!;
          cube![d] = t.negated[k] ? values.complement(d, set) : set;
          break;
        }
        case Fill.Comment:
          (comment ??= [])[k] = value;
          break;
        case Fill.Dnat: {
          const r = natTarget(value, env);
          if (!r) return null;
          action = dnatAction(r.addr, r.ports);
          break;
        }
      }
    }
    let uncertain = t.uncertain;
    if (t.opens !== null) {
      const opened: Uncertainty[] = [];
      for (const o of t.opens) {
        const u: Uncertainty = { construct: line.slice(mapOffset(o.start, t.shape, shape, from), mapOffset(o.end, t.shape, shape, from)), kind: 'unmodelled', detail: o.detail };
        opened.push(u);
        env.note(o.name, u, lineNo);
      }
      uncertain = opened;
    }
    const match = cube === null ? t.match : PacketSet.ofCube(env.family, cube as Cube);
    templateUse.filled++;
    const origin = { file: this.file, line: lineNo };
    if (t.comment === null) return { position, text: line, origin, match, uncertain, action };
    return { position, text: line, origin, match, uncertain, action, comment: joinComment(t.comment, comment) };
  }

  /**
   * Learn a template from `rule`, just read the long way without a parse problem from the
   * line last given to {@link lower} and lowered to `lowered`; `reports` is how many uncertain
   * constructs and bad values its lowering reported.
   */
  learn(rule: IptRule, lowered: Rule, reports: number): void {
    if (!this.scanOk || rule.text !== this.scanned || rule.counters !== null || lowered.limits !== undefined) return;
    this.scanOk = false;
    const shape = this.shape;
    const hash = shape.hash;
    if (!this.metOnce.has(hash)) {
      if (this.metOnce.size < MET_ONCE_LIMIT) this.metOnce.add(hash);
      return;
    }
    const tried = this.tries.get(hash) ?? 0;
    if (tried >= TRIES || this.size >= TEMPLATE_LIMIT) return;
    const t = this.templateOf(rule, lowered, reports);
    if (t === null) {
      this.tries.set(hash, tried + 1);
      return;
    }
    const list = this.byHash.get(hash);
    if (list === undefined) this.byHash.set(hash, [t]);
    else list.push(t);
    this.size++;
  }

  private templateOf(rule: IptRule, lowered: Rule, reports: number): Template | null {
    const shape = this.shape;
    const line = rule.text;
    const from = this.scannedFrom;
    const count = shape.count;
    // Each hole's value must be no other word of the line: then the rule's argument equal to it is that word.
    const holeOf = new Map<string, number>();
    for (let k = 0; k < count; k++) {
      const value = line.slice(shape.starts[k]!, shape.ends[k]!);
      if (holeOf.has(value)) return null;
      holeOf.set(value, k);
    }
    if (tokenizeInto(line, words) >= 0) return null;
    for (let w = 0; w < words.length; w++) {
      if (words.starts[w]! < from) continue;
      const k = holeOf.get(words.values[w]!);
      if (k === undefined) continue;
      const at = shape.kinds[k] === HOLE_QUOTED ? shape.starts[k]! - 1 : shape.starts[k]!;
      if (words.starts[w] !== at) return null;
    }

    const fills: Fill[] = new Array<Fill>(count);
    const dims: Dim[] = new Array<Dim>(count).fill(0 as Dim);
    const negated: boolean[] = new Array<boolean>(count).fill(false);
    const found: boolean[] = new Array<boolean>(count).fill(false);
    const holeOptions = new Set<IptOption>();
    let dimMask = 0;
    let goto = false;
    const place = (k: number, fill: Fill, opt: IptOption | null, dim: Dim = 0 as Dim): boolean => {
      if (found[k]) return false;
      found[k] = true;
      fills[k] = fill;
      if (fill === Fill.Address || fill === Fill.Port) {
        if ((dimMask & (1 << dim)) !== 0) return false; // two holes on one dimension
        dimMask |= 1 << dim;
        dims[k] = dim;
        negated[k] = opt!.negated;
        holeOptions.add(opt!);
      }
      return true;
    };
    // Every argument that is a hole, and what it means where it stands.
    for (const opt of rule.generic) {
      for (let a = 0; a < opt.args.length; a++) {
        const k = holeOf.get(opt.args[a]!);
        if (k === undefined) continue;
        if (!((opt.name === 's' || opt.name === 'd') && opt.args.length === 1 && place(k, Fill.Address, opt, opt.name === 's' ? Dim.Src : Dim.Dst))) return null;
      }
    }
    for (const m of rule.matches) {
      for (const opt of m.options) {
        for (let a = 0; a < opt.args.length; a++) {
          const k = holeOf.get(opt.args[a]!);
          if (k === undefined) continue;
          if (!this.placeInModule(m, opt, a, k, place)) return null;
        }
      }
    }
    const target = rule.target;
    if (target !== null) {
      const k = holeOf.get(target.name);
      if (k !== undefined) {
        if (shape.kinds[k] !== HOLE_CHAIN || target.options.length !== 0 || !place(k, Fill.Chain, null)) return null;
        goto = target.goto;
        if (lowered.action !== this.chainAction(target.name, goto)) return null;
      }
      for (const opt of target.options) {
        for (let a = 0; a < opt.args.length; a++) {
          const k = holeOf.get(opt.args[a]!);
          if (k === undefined) continue;
          const dnat = target.name === 'DNAT' && !target.goto && a === 0 && opt.name === 'to-destination' && lowered.action.type === 'dnat' && target.options.filter((o) => o.name === 'to-destination').length === 1;
          if (!dnat || !place(k, Fill.Dnat, null)) return null;
        }
      }
    }
    for (let k = 0; k < count; k++) if (!found[k]) return null;

    // The conditions without the holes: each hole's dimension must be left to it alone.
    const match = lowered.match;
    if (match.cubes.length !== 1) return null;
    let base: Cube | null = null;
    if (dimMask !== 0) {
      const rest = this.quiet.plainCube(withoutOptions(rule, holeOptions));
      if (rest === null) return null;
      const full = this.env.full;
      const own = match.cubes[0]!;
      for (let d = 0; d < full.length; d++) {
        const held = (dimMask & (1 << d)) !== 0;
        // The line's own match, as a check: the holes' sets where they are, the rest elsewhere.
        if (held ? rest[d] !== full[d] : !I.setsEqual(rest[d]!, own[d]!)) return null;
      }
      base = rest;
    }

    // Uncertainty only from unmodelled modules, each noted once.
    let opens: Open[] | null = null;
    if (lowered.uncertain.length > 0) {
      opens = [];
      for (const u of lowered.uncertain) {
        const m = rule.matches.find((x) => x.text === u.construct);
        if (m === undefined || !isUnmodelled(m) || u.kind !== 'unmodelled' || u.detail !== `${m.module} condition is not modelled`) return null;
        const start = moduleStart(line, from, m);
        if (start < 0) return null;
        opens.push({ name: `-m ${m.module}`, detail: u.detail, start, end: start + m.text.length });
      }
    }
    if (reports !== lowered.uncertain.length) return null;

    // The comment, as the match lowering joins it.
    let comment: (string | number)[] | null = null;
    for (const m of rule.matches) {
      if (m.module !== 'comment') continue;
      for (const opt of m.options) {
        const text = opt.args[0];
        if (opt.name !== 'comment' || text === undefined) continue;
        const k = holeOf.get(text);
        (comment ??= []).push(k !== undefined && fills[k] === Fill.Comment ? k : text);
      }
    }
    if ((comment === null ? undefined : joinComment(comment, holeValues(line, shape))) !== lowered.comment) return null;

    return {
      shape: keepShape(shape, line, from),
      fills,
      dims,
      negated,
      base,
      match,
      uncertain: lowered.uncertain,
      opens,
      comment,
      action: lowered.action,
      goto,
    };
  }

  private placeInModule(m: IptMatch, opt: IptOption, a: number, k: number, place: (k: number, fill: Fill, opt: IptOption | null, dim?: Dim) => boolean): boolean {
    if (a !== 0) return isUnmodelled(m) && place(k, Fill.Text, null);
    if (PORT_MODULES.has(m.module) && PORT_OPTIONS[opt.name] !== undefined) return place(k, Fill.Port, opt, PORT_OPTIONS[opt.name]);
    if (m.module === 'multiport' && MULTIPORT_OPTIONS[opt.name] !== undefined) return place(k, Fill.Port, opt, MULTIPORT_OPTIONS[opt.name]);
    if (m.module === 'comment' && opt.name === 'comment') return place(k, Fill.Comment, null);
    return isUnmodelled(m) && place(k, Fill.Text, null);
  }
}

/** Where the rule's words start after `-A CHAIN `, or -1 when the line does not start so. */
function bodyStart(line: string, chain: string): number {
  const at = 3 + chain.length;
  return line.startsWith('-A ') && line.startsWith(chain, 3) && line.charCodeAt(at) === 32 ? at + 1 : -1;
}

/** A module lowered by the default case as not modelled (never a rate limit). */
function isUnmodelled(m: IptMatch): boolean {
  return UNMODELLED_MODULES.has(m.module) && !RATE_LIMIT_MODULES.has(m.module);
}

/**
 * Where the module's text lies in the line: at its `-m NAME`, which must be the only one, and
 * the text must be written there as one piece (not options joined from apart).
 */
function moduleStart(line: string, from: number, m: IptMatch): number {
  const head = `-m ${m.module}`;
  if (m.implicit || !m.text.startsWith(head)) return -1;
  const at = line.indexOf(head, from);
  if (at < 0 || line.indexOf(head, at + 1) >= 0 || !line.startsWith(m.text, at)) return -1;
  const after = at + m.text.length;
  return after === line.length || line.charCodeAt(after) === 32 ? at : -1;
}

/** The offset in the new line of offset `o` of the template's line: shifted by how much the holes before it grew. */
function mapOffset(o: number, kept: KeptShape, shape: LineShape, from: number): number {
  let at = o - kept.from + from;
  for (let k = 0; k < kept.count && kept.ends[k]! <= o; k++) at += shape.ends[k]! - shape.starts[k]! - (kept.ends[k]! - kept.starts[k]!);
  return at;
}

function holeValues(line: string, shape: LineShape): string[] {
  const values: string[] = [];
  for (let k = 0; k < shape.count; k++) values.push(line.slice(shape.starts[k]!, shape.ends[k]!));
  return values;
}

function joinComment(parts: readonly (string | number)[], holes: readonly string[] | null): string {
  let text = '';
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const piece = typeof part === 'number' ? holes![part]! : part;
    text = p === 0 ? piece : `${text}; ${piece}`;
  }
  return text;
}

/** `rule` without the options in `drop` (the holes' own conditions). */
function withoutOptions(rule: IptRule, drop: ReadonlySet<IptOption>): IptRule {
  return {
    ...rule,
    generic: rule.generic.filter((o) => !drop.has(o)),
    matches: rule.matches.map((m) => (m.options.some((o) => drop.has(o)) ? { ...m, options: m.options.filter((o) => !drop.has(o)) } : m)),
  };
}
