/**
 * One rule's words (after `-A chain`) to generic options, match modules and a target.
 * Grouping follows iptables: options belong to the last `-m`; after `-p proto` without
 * `-m proto` they belong to the protocol's implicit module; after `-j`/`-g`, to the target.
 * Hot path (every rule of a 100,000-rule dump): no closures, no per-rule maps.
 *
 * @module
 */
import type { IptMatch, IptOption, IptTarget } from './ast.js';
import { GENERIC_ARITY, GENERIC_OPTIONS, MODULE_OPTIONS, implicitModule, isOptionWord, optionArity } from './options.js';
import type { TokenBuffer } from './tokenize.js';

export interface RuleBody {
  generic: IptOption[];
  matches: IptMatch[];
  target: IptTarget | null;
}

/** A problem in a rule's words: what was wrong, what was expected, the word concerned. */
export interface RuleProblem {
  code: string;
  message: string;
  expected: string;
  word: string;
}

/** Shared by every option without arguments; never mutated. */
const NO_ARGS: string[] = [];
const NO_OPTIONS: IptOption[] = [];
const NO_PROBLEMS: RuleProblem[] = [];
// Reused by every call (the parser is not reentrant): three slots, module / implicit / target.
const SPAN_START = [0, 0, 0];
const SPAN_END = [0, 0, 0];

// Option flags, their names and module names repeat millions of times in big dumps: one
// shared string each keeps the AST small. The caches live as long as the process, so each is
// bounded; interning changes no result, only memory.
const FLAGS = new Map<string, string>();
const NAMES = new Map<string, string>();
const MODULES = new Map<string, string>();
const INTERN_LIMIT = 10_000;

// Argument values repeat as well ("tcp", "NEW", "KUBE-MARK-MASQ").
const VALUES = new Map<string, string>();
const VALUE_LIMIT = 20_000;

function intern(value: string): string {
  // Addresses and numbers are mostly distinct (a blocklist's 50,000 sources): looking them up
  // only fills the cache and costs a hash each (issue 8).
  const c0 = value.charCodeAt(0);
  if (value.length > 64 || (c0 >= 48 && c0 <= 57)) return value;
  const hit = VALUES.get(value);
  if (hit !== undefined) return hit;
  if (VALUES.size < VALUE_LIMIT) VALUES.set(value, value);
  return value;
}

function internFlag(flag: string): string {
  const hit = FLAGS.get(flag);
  if (hit !== undefined) return hit;
  if (FLAGS.size < INTERN_LIMIT) FLAGS.set(flag, flag);
  return flag;
}

function optionName(flag: string): string {
  const hit = NAMES.get(flag);
  if (hit !== undefined) return hit;
  const name = flag.charCodeAt(1) === 45 ? flag.slice(2) : flag.slice(1);
  if (NAMES.size < INTERN_LIMIT) NAMES.set(flag, name);
  return name;
}

function internModule(text: string): string {
  const hit = MODULES.get(text);
  if (hit !== undefined) return hit;
  const name = text.toLowerCase();
  if (MODULES.size < INTERN_LIMIT) MODULES.set(text, name);
  return name;
}

/** Group option words from word `from` on; `line` is the text the words' offsets refer to. */
export function parseRuleBody(buf: TokenBuffer, from: number, line: string): { body: RuleBody; problems: RuleProblem[] } {
  const generic: IptOption[] = [];
  const matches: IptMatch[] = [];
  // Replaced on the first problem. No closures here (report, isBang…): the bundle names
  // every closure it creates (keepNames), a defineProperty per rule (issue 8).
  let problems: RuleProblem[] = NO_PROBLEMS;
  let current: IptMatch | null = null; // last `-m` module
  let implicit: IptMatch | null = null; // module loaded by `-p proto`, created on first use
  let implicitName: string | null = null;
  let target: IptTarget | null = null;
  // Where the texts of the current module, the implicit one and the target run in the line
  // (-2: not one slice); see where options join their owner.
  const spanStart = SPAN_START;
  const spanEnd = SPAN_END;

  const { values, starts, ends } = buf;
  const count = buf.length;
  let i = from;
  while (i < count) {
    const optStart = i;
    let negated = false;
    if (isBang(buf, i)) {
      negated = true;
      i++;
      if (i >= count) {
        problems = withProblem(problems, { code: 'parse.dangling-negation', message: '"!" at the end of the rule', expected: 'an option after "!"', word: '!' });
        break;
      }
    }
    const at = i;
    const word = values[at]!;
    i++;
    if (!isOption(buf, at)) {
      problems = withProblem(problems, { code: 'parse.unexpected-word', message: `unexpected word "${word}" where an option was expected`, expected: 'an option such as -s, -p, -m or -j', word });
      continue;
    }
    const genericName = GENERIC_OPTIONS.get(word);
    let owner: IptMatch | IptTarget | null = null;
    let slot = 0; // the owner's span: 0 current module, 1 implicit module, 2 target
    let name: string;
    let arity: number | null;
    if (genericName !== undefined) {
      name = genericName;
      arity = GENERIC_ARITY[genericName]!;
    } else {
      name = optionName(word);
      if (target) {
        owner = target;
        slot = 2;
      } else if (current && !(implicitName !== null && belongsToImplicit(current.module, implicitName, name))) owner = current;
      else if (implicitName !== null) {
        if (!implicit) {
          implicit = { module: implicitName, implicit: true, options: [], text: '' };
          matches.push(implicit);
        }
        owner = implicit;
        slot = 1;
      } else {
        problems = withProblem(problems, { code: 'parse.orphan-option', message: `option ${word} outside any match module`, expected: `"-m <module>" or "-p <protocol>" before ${word}`, word });
        while (i < count && !isOption(buf, i) && !isBang(buf, i)) i++;
        continue;
      }
      arity = optionArity(owner === target ? target.name : (owner as IptMatch).module, name);
    }
    // Arguments; the old negation form puts "!" between an option and its argument.
    let args: string[] = NO_ARGS;
    while (i < count && (arity === null || args.length < arity)) {
      if (isBang(buf, i)) {
        if (args.length === 0 && arity !== 0 && i + 1 < count && !isOption(buf, i + 1)) {
          negated = true;
          i++;
          continue;
        }
        break;
      }
      if (isOption(buf, i)) break;
      // Exact-size arrays: a growable one reserves 17 slots, and dumps have millions of options.
      // Quoted words are comments and log prefixes, nearly all distinct: not worth a lookup.
      const value = buf.quoted[i] ? values[i]! : intern(values[i]!);
      args = args.length === 0 ? [value] : [...args, value];
      i++;
    }
    if (arity !== null) {
      const plural = arity === 1 ? 'an argument' : `${arity} arguments`;
      if (args.length < arity) {
        problems = withProblem(problems, { code: 'parse.missing-argument', message: `option ${word} needs ${plural}`, expected: `${plural} after ${word}`, word });
      }
      while (i < count && !isOption(buf, i) && !isBang(buf, i)) {
        problems = withProblem(problems, { code: 'parse.unexpected-argument', message: `unexpected word "${values[i]}" after ${word}`, expected: `${plural} after ${word}`, word: values[i]! });
        i++;
      }
    }
    // Source text of this option, for its module's or target's text (generic options need none).
    const pieceStart = starts[optStart]!;
    const pieceEnd = ends[i - 1]!;
    const opt: IptOption = { name, flag: internFlag(word), args, negated };

    if (owner !== null) {
      owner.options.push(opt);
      // The text is the pieces joined by one blank: while they follow each other so in the
      // line, it is one slice of the line (no joined copy to build per rule).
      if (owner.text === '') {
        owner.text = line.slice(pieceStart, pieceEnd);
        spanStart[slot] = pieceStart;
      } else if (spanEnd[slot] === pieceStart - 1 && line.charCodeAt(pieceStart - 1) === 32) {
        owner.text = line.slice(spanStart[slot], pieceEnd);
      } else {
        owner.text = `${owner.text} ${line.slice(pieceStart, pieceEnd)}`;
        spanStart[slot] = -2; // no longer one slice
      }
      spanEnd[slot] = spanStart[slot] === -2 ? -2 : pieceEnd;
      continue;
    }
    const piece = name === 'm' || name === 'j' || name === 'g' ? line.slice(pieceStart, pieceEnd) : '';
    const arg = args[0];
    if (name === 'm') {
      if (arg === undefined) continue;
      if (negated) problems = withProblem(problems, { code: 'parse.negated-module', message: `"!" before -m ${arg}`, expected: 'negation before a module option, not before -m', word: '!' });
      current = { module: internModule(arg), implicit: false, options: [], text: piece };
      spanStart[0] = pieceStart;
      spanEnd[0] = pieceEnd;
      matches.push(current);
    } else if (name === 'j' || name === 'g') {
      if (arg === undefined) continue;
      if (target) problems = withProblem(problems, { code: 'parse.duplicate-target', message: `second target ${word} ${arg} in one rule`, expected: 'one -j or -g per rule', word });
      target = { name: arg, goto: name === 'g', options: [], text: piece };
      spanStart[2] = pieceStart;
      spanEnd[2] = pieceEnd;
      current = null;
    } else {
      generic.push(opt);
      if (name === 'p' && arg !== undefined) {
        implicitName = implicitModule(arg);
        implicit = null;
      }
    }
  }
  // Exact-size copies: growable arrays reserve 17 slots and die young; the copies are kept.
  for (const m of matches) m.options = m.options.slice();
  if (target) target.options = target.options.length === 0 ? NO_OPTIONS : target.options.slice();
  return { body: { generic: generic.slice(), matches: matches.slice(), target }, problems };
}

function belongsToImplicit(current: string, implicitName: string, option: string): boolean {
  if (current === implicitName) return false;
  const own = MODULE_OPTIONS[current];
  return own !== undefined && !own.includes(option) && (MODULE_OPTIONS[implicitName]?.includes(option) ?? false);
}

function withProblem(problems: RuleProblem[], p: RuleProblem): RuleProblem[] {
  if (problems === NO_PROBLEMS) return [p];
  problems.push(p);
  return problems;
}

function isBang(buf: TokenBuffer, k: number): boolean {
  return !buf.quoted[k] && buf.values[k] === '!';
}

function isOption(buf: TokenBuffer, k: number): boolean {
  return isOptionWord(buf.values[k]!, buf.quoted[k]!);
}
