/**
 * The second half of a deferred parse (`parseIptablesSave(…, {deferUserChains: true})`):
 * the rule lines of one chain, read when something first needs them. Same words, same
 * diagnostics as reading them up front; only the moment differs.
 *
 * @module
 */
import { type Diagnostic, excerpt } from '../../model/diagnostics.js';
import { AddressRun, followerRule } from './address-run.js';
import type { IptChain, IptCounters, IptRule, IptTable } from './ast.js';
import { checkJump, parseCounters, ruleOf } from './parse.js';
import { TokenBuffer, tokenizeInto } from './tokenize.js';

/** Whether a chain still holds rule lines that were not read. */
export function isDeferred(chain: IptChain): boolean {
  return chain.unread !== undefined;
}

/**
 * A line of an address run (address-run.ts): the run's first rule `leader`, read the long way,
 * and what differs, the address of the leading -s/-d. `followerRule` gives its rule.
 */
export type EachFollower = (leader: IptRule, address: string, line: string, lineNo: number, position: number) => void;

/**
 * Offered each line (trimmed) before it is tokenized: true when the caller read it by other
 * means (a lowering template, lower-template.ts), then no rule is made for it.
 */
export type EachLine = (line: string, lineNo: number, position: number) => boolean;

/**
 * Read a deferred chain's rule lines (once; later calls return nothing), with the parse
 * errors they hold, including jumps to nowhere. Each rule goes to `each` as soon as it is
 * read, or by default into `chain.rules`: a caller that lowers rule by rule lets each AST
 * die young instead of holding 50,000 of them (a fail2ban chain) through the collector.
 * A line of an address run goes to `eachFollower` when given, without a rule made for it: a
 * caller that lowers the run's lines as its leader with another address needs none (issue 8).
 * `each` learns whether the rule's line was read without a problem; `eachLine` may take a
 * line before it is tokenized.
 */
export function readDeferredRules(
  table: IptTable,
  chain: IptChain,
  file: string,
  each: (rule: IptRule, clean: boolean) => void = (rule) => chain.rules.push(rule),
  eachFollower: EachFollower = (leader, address, line, lineNo, position) => each(followerRule(leader, address, line, lineNo, position), false),
  eachLine?: EachLine,
): Diagnostic[] {
  const unread = chain.unread;
  if (!unread) return [];
  delete chain.unread;
  const diagnostics: Diagnostic[] = [];
  const words = new TokenBuffer();
  let position = chain.rules.length;
  const run = new AddressRun();
  unread.forEach((lineNo, raw) => {
    const line = raw.trim();
    const address = run.addressOf(line);
    if (address !== null) {
      // Its target is its leader's, checked (without a problem, or no run) when the leader was read.
      eachFollower(run.leader!, address, line, lineNo, ++position);
      return;
    }
    if (eachLine !== undefined && eachLine(line, lineNo, position + 1)) {
      position++;
      run.stop(); // no rule to lead a run
      return;
    }
    const badQuote = tokenizeInto(line, words);
    if (badQuote >= 0) {
      diagnostics.push({
        code: 'parse.unbalanced-quote',
        severity: 'error',
        message: `unterminated quote at column ${badQuote + (raw.length - raw.trimStart().length)}`,
        location: { file, line: lineNo },
        expected: 'a closing " for every opening "',
        input: excerpt(raw),
      });
      run.stop();
      return;
    }
    // The scan that set the line aside checked its head: optional counters, -A, this chain.
    let k = 0;
    let counters: IptCounters | null = null;
    if (!words.quoted[0] && words.values[0]!.startsWith('[')) {
      counters = parseCounters(words.values[0]!);
      k = 1;
    }
    const before = diagnostics.length;
    const rule = ruleOf(words, k, line, chain.name, ++position, lineNo, counters, (p) =>
      diagnostics.push({ code: p.code, severity: 'error', message: p.message, location: { file, line: lineNo }, expected: p.expected, input: excerpt(p.input) }),
    );
    checkJump(table, rule, file, diagnostics);
    // Only a rule read without a problem leads a run: its followers would need its diagnostics.
    const clean = diagnostics.length === before;
    if (clean) run.start(rule, line);
    else run.stop();
    each(rule, clean);
  });
  return diagnostics;
}
