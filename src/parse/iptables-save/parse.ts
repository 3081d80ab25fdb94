/**
 * iptables-save / ip6tables-save text to its AST. Pure; never throws: every problem is a
 * located diagnostic and the value holds whatever could be read.
 *
 * Accepted: `# comments`, blank lines, `*table`, `:CHAIN POLICY [p:b]`, `[p:b] -A chain …`
 * (`iptables-save -c`), `-A chain …`, `COMMIT`; trailing blanks (iptables 1.4.8) and CRLF;
 * the old `--opt ! value` negation (iptables 1.2/1.3).
 *
 * @module
 */
import { type Diagnostic, type Parsed, excerpt } from '../../model/diagnostics.js';
import { IPTABLES_TABLES, type IptChain, type IptCounters, type IptRule, type IptTable, type IptTableName, type IptablesDump } from './ast.js';
import { parseRuleBody } from './parse-rule.js';
import { KNOWN_TARGETS } from './targets.js';
import { TokenBuffer, tokenizeInto } from './tokenize.js';
import { UnreadLines } from './unread-lines.js';

const BUILTIN_CHAINS: Record<IptTableName, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Built-in chains of a table, in hook order. */
export function builtinChains(table: IptTableName): readonly string[] {
  return BUILTIN_CHAINS[table];
}

const COUNTERS = /^\[(\d+):(\d+)\]$/;
const CHAIN_LINE = /^:(\S+)\s+(\S+)(?:\s+(\S+))?\s*$/;

export interface ParseOptions {
  /**
   * Keep the rules of user chains as text (`IptChain.unread`) for `readDeferredRules` to read
   * on first use: a one-flow explain on a kube-proxy node meets a few hundred of its 20,000
   * chains (issue 8). The structure (tables, chains, which chain each line appends to) is
   * still checked here; a rule's own words are checked only when it is read.
   */
  deferUserChains?: boolean;
}

/** Parse a whole dump; `file` names it in diagnostics. */
export function parseIptablesSave(text: string, file: string, options: ParseOptions = {}): Parsed<IptablesDump> {
  const defer = options.deferUserChains === true;
  const diagnostics: Diagnostic[] = [];
  const tables: IptTable[] = [];
  const replaced: IptTable[] = [];
  let table: IptTable | null = null;
  // Lines of a table with an unknown name are skipped quietly after its one error.
  let skipping = false;
  const words = new TokenBuffer();
  // The chain the last deferred line went to, and how its lines start ("-A NAME ").
  let lastPrefix = '';
  let lastUnread: UnreadLines | null = null;
  // Lines are walked by offset, not split: a deferred line is kept as where it lies (issue 8).
  const size = text.length;
  let next = 0;
  let lineNo = 0;
  // Where the last line lies, for the message of a dump cut short.
  let lastStart = 0;
  let lastEnd = 0;

  const error = (line: number, code: string, message: string, expected: string, input: string) =>
    diagnostics.push({ code, severity: 'error', message, location: { file, line }, expected, input: excerpt(input) });
  const warning = (line: number, code: string, message: string, input: string) =>
    diagnostics.push({ code, severity: 'warning', message, location: { file, line }, input: excerpt(input) });

  const closeTable = (t: IptTable) => {
    for (const chain of t.chains.values()) if (!chain.unread) checkJumps(t, chain, file, diagnostics);
  };

  // A final newline ends the last line; it does not start one.
  while (next < size) {
    const start = next;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? size : newline;
    next = end + 1;
    lineNo++;
    lastStart = start;
    lastEnd = end;
    // The common "-A CHAIN …" of a deferred chain is set aside without reading its words;
    // a dump lists a chain's rules together, so most lines start like the one before.
    if (lastUnread !== null && text.startsWith(lastPrefix, start)) {
      lastUnread.add(start, end, lineNo);
      continue;
    }
    const raw = text.slice(start, end);
    const line = raw.trim();
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
    const c0 = line.charCodeAt(0);

    if (c0 === 42 /* * */) {
      lastUnread = null;
      const name = line.slice(1).trim();
      if (table) {
        error(table.line, 'parse.truncated', `table ${table.name} has no COMMIT before the next table`, `COMMIT before line ${lineNo}`, `*${table.name}`);
        closeTable(table);
      }
      if (!(IPTABLES_TABLES as readonly string[]).includes(name)) {
        error(lineNo, 'parse.unknown-table', `unknown table "${name}"`, `one of ${IPTABLES_TABLES.join(', ')}`, raw);
        table = null;
        skipping = true;
        continue;
      }
      skipping = false;
      const prev = tables.findIndex((t) => t.name === name);
      if (prev >= 0) {
        // iptables-restore flushes and refills a table named twice: the later one wins.
        warning(lineNo, 'parse.duplicate-table', `table ${name} appears again (first at line ${tables[prev]!.line}); the later one replaces it, as iptables-restore does`, raw);
        const [gone] = tables.splice(prev, 1);
        if ([...gone!.chains.values()].some((c) => c.unread)) replaced.push(gone!);
      }
      table = { name: name as IptTableName, line: lineNo, commitLine: null, chains: new Map() };
      tables.push(table);
      continue;
    }

    if (line === 'COMMIT') {
      lastUnread = null;
      if (!table) {
        if (!skipping) error(lineNo, 'parse.outside-table', 'COMMIT outside any table', 'a "*table" line before COMMIT', raw);
      } else {
        table.commitLine = lineNo;
        closeTable(table);
      }
      table = null;
      skipping = false;
      continue;
    }

    if (c0 === 58 /* : */) {
      if (!table) {
        if (!skipping) error(lineNo, 'parse.outside-table', 'chain declaration before any table', 'a "*table" line first', raw);
        continue;
      }
      const m = CHAIN_LINE.exec(line);
      const counters = m?.[3] === undefined ? null : parseCounters(m[3]);
      if (!m || (m[3] !== undefined && !counters)) {
        error(lineNo, 'parse.bad-chain', 'malformed chain declaration', '":CHAIN POLICY [packets:bytes]", e.g. ":INPUT DROP [0:0]" or ":my-chain - [0:0]"', raw);
        continue;
      }
      const name = m[1]!;
      const policyWord = m[2]!;
      const builtin = BUILTIN_CHAINS[table.name].includes(name);
      let policy: string | null = null;
      if (policyWord === '-') {
        if (builtin) warning(lineNo, 'parse.builtin-without-policy', `built-in chain ${name} has no policy; read as ACCEPT`, raw);
      } else if (policyWord === 'ACCEPT' || policyWord === 'DROP') {
        if (builtin) policy = policyWord;
        else warning(lineNo, 'parse.policy-on-user-chain', `${name} is not a built-in chain of table ${table.name}; its policy ${policyWord} has no effect`, raw);
      } else {
        error(lineNo, 'parse.bad-policy', `unknown policy "${policyWord}" for chain ${name}`, 'ACCEPT, DROP, or "-" for a user chain', raw);
        continue;
      }
      if (table.chains.has(name)) {
        warning(lineNo, 'parse.duplicate-chain', `chain ${name} declared twice in table ${table.name} (first at line ${table.chains.get(name)!.line})`, raw);
        continue;
      }
      table.chains.set(name, defer && !builtin ? { name, policy, counters, line: lineNo, rules: [], unread: new UnreadLines(text) } : { name, policy, counters, line: lineNo, rules: [] });
      continue;
    }

    // The first line of a run (or one the check above cannot place: leading blanks).
    if (defer && table) {
      const name = appendedChain(line);
      const deferred = name === undefined ? undefined : table.chains.get(name)?.unread;
      if (deferred) {
        deferred.add(start, end, lineNo);
        lastPrefix = `-A ${name} `;
        lastUnread = deferred;
        continue;
      }
    }

    // A rule: "[p:b] -A chain …" or "-A chain …".
    const badQuote = tokenizeInto(line, words);
    if (badQuote >= 0) {
      error(lineNo, 'parse.unbalanced-quote', `unterminated quote at column ${badQuote + (raw.length - raw.trimStart().length)}`, 'a closing " for every opening "', raw);
      continue;
    }
    let k = 0;
    let counters: IptCounters | null = null;
    if (words.length > 0 && !words.quoted[0] && words.values[0]!.startsWith('[')) {
      counters = parseCounters(words.values[0]!);
      if (!counters) {
        error(lineNo, 'parse.bad-counters', 'malformed counters before a rule', '"[packets:bytes] -A chain …"', raw);
        continue;
      }
      k = 1;
    }
    const verb = k < words.length ? words.values[k] : undefined;
    if (verb !== '-A' && verb !== '--append') {
      error(lineNo, 'parse.unrecognised-line', 'not a line iptables-save writes', 'a comment, "*table", ":CHAIN POLICY [p:b]", "-A chain …" or "COMMIT"', raw);
      continue;
    }
    if (!table) {
      if (!skipping) error(lineNo, 'parse.outside-table', 'rule before any table', 'a "*table" line before the rules', raw);
      continue;
    }
    const chainName = k + 1 < words.length ? words.values[k + 1] : undefined;
    if (chainName === undefined) {
      error(lineNo, 'parse.missing-argument', '-A needs a chain name', '"-A CHAIN options…"', raw);
      continue;
    }
    const chain = table.chains.get(chainName);
    if (!chain) {
      error(lineNo, 'parse.undeclared-chain', `rule appended to chain ${chainName}, which table ${table.name} does not declare`, `":${chainName} - [0:0]" before its rules`, raw);
      continue;
    }
    if (chain.unread) {
      chain.unread.add(start, end, lineNo);
      continue;
    }
    chain.rules.push(ruleOf(words, k, line, chainName, chain.rules.length + 1, lineNo, counters, (p) => error(lineNo, p.code, p.message, p.expected, p.input)));
  }
  if (table) {
    error(lineNo, 'parse.truncated', `the dump ends inside table ${table.name} (opened at line ${table.line}) without COMMIT`, 'COMMIT at the end of every table', text.slice(lastStart, lastEnd));
    closeTable(table);
  }
  if (tables.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ code: 'parse.empty', severity: 'warning', message: 'no table in the dump (empty ruleset)', location: { file }, input: excerpt(text) });
  }
  return { value: replaced.length === 0 ? { tables } : { tables, replaced }, diagnostics };
}

export function parseCounters(text: string): IptCounters | null {
  // What every user chain and most rules carry (20,000 chains on a kube-proxy node): no regex for it.
  if (text === '[0:0]') return { packets: '0', bytes: '0' };
  const m = COUNTERS.exec(text);
  return m ? { packets: m[1]!, bytes: m[2]! } : null;
}

/**
 * The chain a plain `-A CHAIN …` line appends to, read without tokenizing the line; undefined
 * for any other form (counters, `--append`, quotes, a backslash), which the full reading handles.
 */
function appendedChain(line: string): string | undefined {
  if (line.charCodeAt(0) !== 45 /* - */ || line.charCodeAt(1) !== 65 /* A */ || line.charCodeAt(2) !== 32) return undefined;
  let end = 3;
  const n = line.length;
  while (end < n) {
    const c = line.charCodeAt(end);
    if (c === 32 || c === 9 || c === 13) break;
    if (c === 34 /* " */ || c === 92 /* \ */) return undefined;
    end++;
  }
  return end > 3 ? line.slice(3, end) : undefined;
}

/** A located problem in one rule's words, `input` being the rule text. */
export interface RuleIssue {
  code: string;
  message: string;
  expected: string;
  input: string;
}

/** The rule whose `-A` verb is word `k` of `words` (tokenized from `line`). */
export function ruleOf(words: TokenBuffer, k: number, line: string, chain: string, position: number, lineNo: number, counters: IptCounters | null, report: (issue: RuleIssue) => void): IptRule {
  const ruleText = line.slice(words.starts[k]!);
  const { body, problems } = parseRuleBody(words, k + 2, line);
  for (const p of problems) report({ code: p.code, message: p.message, expected: p.expected, input: ruleText });
  return { chain, position, line: lineNo, text: ruleText, counters, generic: body.generic, matches: body.matches, target: body.target };
}

/** Every -j/-g must name a chain of the table or a target extension; -g only a chain. */
function checkJumps(table: IptTable, chain: IptChain, file: string, diagnostics: Diagnostic[]): void {
  for (const rule of chain.rules) checkJump(table, rule, file, diagnostics);
}

export function checkJump(table: IptTable, rule: IptRule, file: string, diagnostics: Diagnostic[]): void {
  const t = rule.target;
  if (!t || table.chains.has(t.name)) return;
  if (t.goto || (!KNOWN_TARGETS.has(t.name) && t.options.length === 0)) {
    diagnostics.push({
      code: 'parse.unknown-jump-target',
      severity: 'error',
      message: `${t.goto ? '-g' : '-j'} ${t.name}: no chain of that name in table ${table.name}${t.goto ? '' : ' and no such target'}`,
      location: { file, line: rule.line },
      expected: t.goto ? 'a chain declared in the table' : 'a declared chain or a target such as ACCEPT, DROP, REJECT, LOG',
      input: excerpt(rule.text),
    });
  }
}

