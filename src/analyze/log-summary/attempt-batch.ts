/**
 * Attempts held back by the fold and handed over grouped by source, in log order within each
 * source. The fold's per-source work is memory-bound: a log of tens of thousands of sources
 * visits a different source on almost every line, and each visit is a chain of dependent
 * cache and TLB misses (the source, its port Map, its spans: issue 12). A source's state
 * depends only on its own attempts in their order, so a batch applied source by source gives
 * the same state, and pays those misses once per source per batch instead of once per line.
 *
 * Rows are written in log order into plain typed arrays (sequential), then moved to their
 * source's place by a counting sort (independent writes, which the memory system overlaps).
 *
 * @module
 */

export class AttemptBatch {
  /** Rows added since the last sort. */
  size = 0;
  private readonly ids: Int32Array;
  private readonly times: Float64Array;
  /** Per row: port key (or a protocol code), count, mark; three numbers. */
  private readonly ints: Int32Array;
  /** The rows grouped by source after sort(): times and ints as above. */
  readonly sortedTimes: Float64Array;
  readonly sortedInts: Int32Array;
  /** Sources with rows in this batch, ascending after sort(); the first `touchedCount` count. */
  touched: Int32Array;
  touchedCount = 0;
  /** Per source id: rows in the batch while adding; after sort(), the end of its rows (the start is the previous touched source's end). */
  ends: Int32Array;

  constructor(readonly capacity: number) {
    this.ids = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.ints = new Int32Array(capacity * 3);
    this.sortedTimes = new Float64Array(capacity);
    this.sortedInts = new Int32Array(capacity * 3);
    this.touched = new Int32Array(Math.min(capacity, 1024));
    this.ends = new Int32Array(1024);
  }

  /** Add one attempt of source `id`; `count` and `mark` must be int32. Returns true when the batch is full. */
  add(id: number, time: number, key: number, count: number, mark: number): boolean {
    if (id >= this.ends.length) this.ends = grown(this.ends, id + 1);
    if (this.ends[id]!++ === 0) {
      if (this.touchedCount === this.touched.length) this.touched = grown(this.touched, this.touchedCount + 1);
      this.touched[this.touchedCount++] = id;
    }
    const n = this.size;
    this.ids[n] = id;
    this.times[n] = time;
    const at = n * 3;
    this.ints[at] = key;
    this.ints[at + 1] = count;
    this.ints[at + 2] = mark;
    this.size = n + 1;
    return this.size === this.capacity;
  }

  /** Group the rows by source (stable: log order within a source) into sortedTimes and sortedInts; sets `ends`. */
  sort(): void {
    const touched = this.touched.subarray(0, this.touchedCount).sort();
    const ends = this.ends;
    // Each source's start, kept in `ends` while rows are placed; afterwards it is the source's end.
    let at = 0;
    for (let k = 0; k < touched.length; k++) {
      const id = touched[k]!;
      const n = ends[id]!;
      ends[id] = at;
      at += n;
    }
    const { ids, times, ints, sortedTimes, sortedInts } = this;
    for (let i = 0; i < this.size; i++) {
      const j = ends[ids[i]!]!++;
      sortedTimes[j] = times[i]!;
      sortedInts[j * 3] = ints[i * 3]!;
      sortedInts[j * 3 + 1] = ints[i * 3 + 1]!;
      sortedInts[j * 3 + 2] = ints[i * 3 + 2]!;
    }
  }

  /** Empty the batch after its sorted rows were used. */
  clear(): void {
    for (let k = 0; k < this.touchedCount; k++) this.ends[this.touched[k]!] = 0;
    this.touchedCount = 0;
    this.size = 0;
  }
}

function grown(a: Int32Array, min: number): Int32Array {
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}
