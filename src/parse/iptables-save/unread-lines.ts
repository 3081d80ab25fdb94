/**
 * The rule lines of a deferred chain, kept as where they lie in the dump's text rather than
 * as one string and one object per line: a one-flow explain sets aside every user chain's
 * lines and reads a few, and on a 100,000-rule dump the per-line strings and objects were
 * most of its load (issue 8). A chain's lines are listed together in a dump, so they are
 * held as runs of consecutive lines; the first run in fields of its own, since nearly every
 * chain has one (a kube-proxy node has 20,000 chains).
 *
 * @module
 */

export class UnreadLines {
  /** The first run: offset of its first line, end of its last (before the newline), first line number, line count. */
  private start = 0;
  private end = 0;
  private first = 0;
  private count = 0;
  /** Any later runs, four numbers each as above; null while there is one. */
  private more: number[] | null = null;
  /** How many lines. */
  length = 0;

  constructor(private readonly text: string) {}

  /** Adds the line text[start, end) (no newline), numbered `lineNo`, after those added before. */
  add(start: number, end: number, lineNo: number): void {
    this.length++;
    const more = this.more;
    if (more === null) {
      // The line right after the run's last: the text between them is exactly one newline.
      if (this.count > 0 && this.first + this.count !== lineNo) {
        this.more = [start, end, lineNo, 1];
        return;
      }
      if (this.count === 0) {
        this.start = start;
        this.first = lineNo;
      }
      this.end = end;
      this.count++;
      return;
    }
    const last = more.length - 4;
    if (more[last + 2]! + more[last + 3]! === lineNo) {
      more[last + 1] = end;
      more[last + 3]!++;
    } else {
      more.push(start, end, lineNo, 1);
    }
  }

  /** Calls `each` with every line, in order: its number and its text as written. */
  forEach(each: (lineNo: number, raw: string) => void): void {
    this.eachOfRun(this.start, this.end, this.first, this.count, each);
    const more = this.more;
    if (more !== null) for (let r = 0; r < more.length; r += 4) this.eachOfRun(more[r]!, more[r + 1]!, more[r + 2]!, more[r + 3]!, each);
  }

  private eachOfRun(start: number, end: number, lineNo: number, count: number, each: (lineNo: number, raw: string) => void): void {
    const text = this.text;
    let at = start;
    for (let k = count; k > 0; k--) {
      const eol = k === 1 ? end : text.indexOf('\n', at);
      each(lineNo++, text.slice(at, eol));
      at = eol + 1;
    }
  }
}
