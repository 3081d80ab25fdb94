/**
 * The second half of a deferred parse (`parseIptablesSave(…, {deferUserChains: true})`):
 * the rule lines of one chain, read when something first needs them. Same words, same
 * diagnostics as reading them up front; only the moment differs.
 *
 * @module
 */
import { type Diagnostic, excerpt } from '../../model/diagnostics.js';
import type { IptChain, IptCounters, IptTable } from './ast.js';
import { checkJumps, parseCounters, ruleOf } from './parse.js';
import { TokenBuffer, tokenizeInto } from './tokenize.js';

/** Whether a chain still holds rule lines that were not read. */
export function isDeferred(chain: IptChain): boolean {
  return chain.unread !== undefined;
}

/**
 * Read a deferred chain's rule lines into `chain.rules` (once; later calls return nothing),
 * with the parse errors they hold, including jumps to nowhere.
 */
export function readDeferredRules(table: IptTable, chain: IptChain, file: string): Diagnostic[] {
  const unread = chain.unread;
  if (!unread) return [];
  delete chain.unread;
  const diagnostics: Diagnostic[] = [];
  const words = new TokenBuffer();
  for (const { line: lineNo, raw } of unread) {
    const line = raw.trim();
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
      continue;
    }
    // The scan that set the line aside checked its head: optional counters, -A, this chain.
    let k = 0;
    let counters: IptCounters | null = null;
    if (!words.quoted[0] && words.values[0]!.startsWith('[')) {
      counters = parseCounters(words.values[0]!);
      k = 1;
    }
    const rule = ruleOf(words, k, line, chain.name, chain.rules.length + 1, lineNo, counters, (p) =>
      diagnostics.push({ code: p.code, severity: 'error', message: p.message, location: { file, line: lineNo }, expected: p.expected, input: excerpt(p.input) }),
    );
    chain.rules.push(rule);
  }
  checkJumps(table, chain, file, diagnostics);
  return diagnostics;
}
