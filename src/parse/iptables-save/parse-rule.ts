/**
 * One rule's words (after `-A chain`) to generic options, match modules and a target.
 * Grouping follows iptables: options belong to the last `-m`; after `-p proto` without
 * `-m proto` they belong to the protocol's implicit module; after `-j`/`-g`, to the target.
 *
 * @module
 */
import type { IptMatch, IptOption, IptTarget } from './ast.js';
import { GENERIC_ARITY, GENERIC_OPTIONS, MODULE_OPTIONS, implicitModule, isOptionWord, optionArity } from './options.js';
import type { Token } from './tokenize.js';

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

/** Group option words; `line` is the rule text the tokens' offsets refer to. */
export function parseRuleBody(tokens: readonly Token[], from: number, line: string): { body: RuleBody; problems: RuleProblem[] } {
  const body: RuleBody = { generic: [], matches: [], target: null };
  const problems: RuleProblem[] = [];
  let current: IptMatch | null = null; // last `-m` module
  let implicit: IptMatch | null = null; // module loaded by `-p proto`, created on first use
  let implicitName: string | null = null;
  let target: IptTarget | null = null;
  const pieces = new Map<object, string[]>(); // owner → its option texts, in order
  const addPiece = (owner: object, a: number, b: number) => {
    const text = line.slice(tokens[a]!.start, tokens[b]!.end);
    const list = pieces.get(owner);
    if (list) list.push(text);
    else pieces.set(owner, [text]);
  };

  let i = from;
  while (i < tokens.length) {
    const optStart = i;
    let negated = false;
    let tok = tokens[i]!;
    if (tok.value === '!' && !tok.quoted) {
      negated = true;
      i++;
      if (i >= tokens.length) {
        problems.push({ code: 'parse.dangling-negation', message: '"!" at the end of the rule', expected: 'an option after "!"', word: '!' });
        break;
      }
      tok = tokens[i]!;
    }
    if (!isOptionWord(tok.value, tok.quoted)) {
      problems.push({ code: 'parse.unexpected-word', message: `unexpected word "${tok.value}" where an option was expected`, expected: 'an option such as -s, -p, -m or -j', word: tok.value });
      i++;
      continue;
    }
    i++;
    const genericName = GENERIC_OPTIONS.get(tok.value);
    // Decide the option's owner and arity.
    let owner: 'generic' | IptMatch | IptTarget;
    let moduleName: string;
    let name: string;
    if (genericName !== undefined) {
      owner = 'generic';
      moduleName = '';
      name = genericName;
    } else {
      name = tok.value.replace(/^--?/, '');
      if (target) owner = target;
      else if (current && !(implicitName && belongsToImplicit(current.module, implicitName, name))) owner = current;
      else if (implicitName) {
        if (!implicit) {
          implicit = { module: implicitName, implicit: true, options: [], text: '' };
          body.matches.push(implicit);
        }
        owner = implicit;
      } else {
        problems.push({ code: 'parse.orphan-option', message: `option ${tok.value} outside any match module`, expected: `"-m <module>" or "-p <protocol>" before ${tok.value}`, word: tok.value });
        skipArgs();
        continue;
      }
      moduleName = owner === target ? target.name : (owner as IptMatch).module;
    }
    const arity = genericName !== undefined ? GENERIC_ARITY[genericName]! : optionArity(moduleName, name);
    // Arguments: the old negation form puts "!" between an option and its argument.
    const args: string[] = [];
    while (i < tokens.length && (arity === null || args.length < arity)) {
      const t = tokens[i]!;
      if (t.value === '!' && !t.quoted) {
        const next = tokens[i + 1];
        if (args.length === 0 && next && !isOptionWord(next.value, next.quoted) && arity !== 0) {
          negated = true;
          i++;
          continue;
        }
        break;
      }
      if (isOptionWord(t.value, t.quoted)) break;
      args.push(t.value);
      i++;
    }
    if (arity !== null && args.length < arity) {
      problems.push({
        code: 'parse.missing-argument',
        message: `option ${tok.value} needs ${arity === 1 ? 'an argument' : `${arity} arguments`}`,
        expected: `${arity} argument${arity === 1 ? '' : 's'} after ${tok.value}`,
        word: tok.value,
      });
    }
    if (arity !== null) {
      while (i < tokens.length && !isOptionWord(tokens[i]!.value, tokens[i]!.quoted) && !(tokens[i]!.value === '!' && !tokens[i]!.quoted)) {
        problems.push({ code: 'parse.unexpected-argument', message: `unexpected word "${tokens[i]!.value}" after ${tok.value}`, expected: `${arity} argument${arity === 1 ? '' : 's'} after ${tok.value}`, word: tokens[i]!.value });
        i++;
      }
    }
    const opt: IptOption = { name, flag: tok.value, args, negated };
    const last = i - 1;

    if (owner === 'generic') {
      if (name === 'm') {
        if (args[0] === undefined) continue;
        current = { module: args[0].toLowerCase(), implicit: false, options: [], text: '' };
        body.matches.push(current);
        addPiece(current, optStart, last);
        if (negated) problems.push({ code: 'parse.negated-module', message: `"!" before -m ${args[0]}`, expected: 'negation before a module option, not before -m', word: '!' });
      } else if (name === 'j' || name === 'g') {
        if (args[0] === undefined) continue;
        if (target) problems.push({ code: 'parse.duplicate-target', message: `second target ${tok.value} ${args[0]} in one rule`, expected: 'one -j or -g per rule', word: tok.value });
        target = { name: args[0], goto: name === 'g', options: [], text: '' };
        addPiece(target, optStart, last);
        current = null;
      } else {
        body.generic.push(opt);
        if (name === 'p' && args[0] !== undefined) {
          implicitName = implicitModule(args[0]);
          implicit = null;
        }
      }
      continue;
    }
    owner.options.push(opt);
    addPiece(owner, optStart, last);
  }

  for (const m of body.matches) m.text = (pieces.get(m) ?? []).join(' ');
  if (target) target.text = (pieces.get(target) ?? []).join(' ');
  body.target = target;
  return { body, problems };

  function skipArgs(): void {
    while (i < tokens.length && !isOptionWord(tokens[i]!.value, tokens[i]!.quoted) && tokens[i]!.value !== '!') i++;
  }
}

function belongsToImplicit(current: string, implicitName: string, option: string): boolean {
  if (current === implicitName) return false;
  const own = MODULE_OPTIONS[current];
  return own !== undefined && !own.includes(option) && (MODULE_OPTIONS[implicitName]?.includes(option) ?? false);
}
