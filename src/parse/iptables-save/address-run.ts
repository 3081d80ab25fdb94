/**
 * Runs of rule lines that differ only in the address of a leading `-s` or `-d`, as a blocklist
 * or a country filter writes 50,000 of them (`-A f2b-sshd -s 192.0.2.7/32 -j REJECT
 * --reject-with icmp-port-unreachable`). A line of the run is read by comparing the rest of
 * the line with the run's first, not by tokenizing it: its rule shares that first rule's
 * parsed options, modules and target (the same objects), so lowering can also tell that only
 * the address changed (issue 8).
 *
 * @module
 */
import type { IptOption, IptRule } from './ast.js';
import { isOptionWord } from './options.js';

export class AddressRun {
  /** The run's first rule, read the long way, and its line; null while there is no run. */
  private model: IptRule | null = null;
  private line = '';
  /** Where the model's address starts and ends in its line; -1 until a next line asks (most rules start no run). */
  private from = -1;
  private end = 0;

  /** Forget the run: the next line is read the long way. */
  stop(): void {
    this.model = null;
  }

  /** The next run may start at `rule`, read the long way from `line` without any problem. */
  start(rule: IptRule, line: string): void {
    this.model = rule;
    this.line = line;
    this.from = -1;
  }

  /** The run's first rule, whose parts a follower shares; null while there is no run. */
  get leader(): IptRule | null {
    return this.model;
  }

  /** The address of `line` when it continues the run (the model's line with another address); else null. */
  addressOf(line: string): string | null {
    const model = this.model;
    if (model === null || (this.from < 0 && !this.shaped(model))) return null;
    const modelLine = this.line;
    const from = this.from;
    const end = addressEnd(line, from);
    const tail = modelLine.length - this.end;
    if (end < 0 || line.length - end !== tail || !sameText(line, 0, modelLine, 0, from) || !sameText(line, end, modelLine, this.end, tail)) return null;
    const address = line.slice(from, end);
    // "!" or an option word there would be grouped differently by the rule parser.
    if (address === '!' || isOptionWord(address, false)) return null;
    return address;
  }

  /** Whether the model's line is a plain `-A CHAIN -s|-d ADDRESS …` (then where its address lies); if not, no run. */
  private shaped(model: IptRule): boolean {
    const line = this.line;
    const first = model.generic[0];
    this.model = null;
    if (model.counters !== null || model.text !== line || first === undefined || first.negated || first.args.length !== 1) return false;
    if (first.flag !== '-s' && first.flag !== '-d') return false;
    const chain = model.chain;
    const at = 4 + chain.length; // "-A " chain " "
    if (!line.startsWith('-A ') || !line.startsWith(chain, 3) || line.charCodeAt(at - 1) !== 32 || !line.startsWith(first.flag, at) || line.charCodeAt(at + 2) !== 32) return false;
    const from = at + 3;
    const end = addressEnd(line, from);
    // The word read must be the address as written (no quotes or escapes changed it).
    if (end < 0 || end - from !== first.args[0]!.length || !line.startsWith(first.args[0]!, from)) return false;
    this.model = model;
    this.from = from;
    this.end = end;
    return true;
  }
}

/** The rule of a run's line: its leader's with `address` in the leading -s/-d (the other parts the same objects). */
export function followerRule(leader: IptRule, address: string, line: string, lineNo: number, position: number): IptRule {
  const first = leader.generic[0]!;
  const option: IptOption = { name: first.name, flag: first.flag, args: [address], negated: false };
  const generic = leader.generic.slice();
  generic[0] = option;
  return { chain: leader.chain, position, line: lineNo, text: line, counters: null, generic, matches: leader.matches, target: leader.target };
}

/** Whether a[aFrom, aFrom + n) and b[bFrom, bFrom + n) hold the same characters (no slices made). */
function sameText(a: string, aFrom: number, b: string, bFrom: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a.charCodeAt(aFrom + k) !== b.charCodeAt(bFrom + k)) return false;
  return true;
}

/** Where the word starting at `from` ends (a blank or the end of the line); -1 when it is empty or has a quote or backslash. */
function addressEnd(line: string, from: number): number {
  const n = line.length;
  let i = from;
  for (; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) break;
    if (c === 34 /* " */ || c === 92 /* \ */) return -1;
  }
  return i === from ? -1 : i;
}
