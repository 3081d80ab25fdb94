/**
 * The rule lines of a deferred chain, kept as where they lie in the dump's text rather than
 * as one string and one object per line: a one-flow explain sets aside every user chain's
 * lines and reads a few, and on a 100,000-rule dump the per-line strings and objects were
 * most of its load (issue 8). A chain's lines are listed together in a dump, so they are
 * held as runs of consecutive lines, four numbers a run.
 *
 * @module
 */
export class UnreadLines {
  /** Per run of consecutive lines: offset of its first line, end of its last (before the newline), first line number, line count. */
  private readonly runs: number[] = [];
  /** How many lines. */
  length = 0;

  constructor(private readonly text: string) {}

  /** Adds the line text[start, end) (no newline), numbered `lineNo`, after those added before. */
  add(start: number, end: number, lineNo: number): void {
    const runs = this.runs;
    const last = runs.length - 4;
    // The line right after the last run's: the text between them is exactly one newline.
    if (last >= 0 && runs[last + 2]! + runs[last + 3]! === lineNo) {
      runs[last + 1] = end;
      runs[last + 3]!++;
    } else {
      runs.push(start, end, lineNo, 1);
    }
    this.length++;
  }

  /** Calls `each` with every line, in order: its number and its text as written. */
  forEach(each: (lineNo: number, raw: string) => void): void {
    const { runs, text } = this;
    for (let r = 0; r < runs.length; r += 4) {
      const end = runs[r + 1]!;
      let at = runs[r]!;
      let lineNo = runs[r + 2]!;
      for (let k = runs[r + 3]!; k > 0; k--) {
        const eol = k === 1 ? end : text.indexOf('\n', at);
        each(lineNo++, text.slice(at, eol));
        at = eol + 1;
      }
    }
  }
}
