/**
 * A one-line progress display on a terminal (stderr): bytes read, throughput, time left.
 * Silent when stderr is not a terminal or the input is small.
 *
 * @module
 */

const MB = 1 << 20;

export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(out.isTTY) && total >= 64 * MB;
  }

  add(bytes: number): void {
    this.done += bytes;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const secs = (now - this.started) / 1000;
    const rate = this.done / Math.max(secs, 0.001);
    const left = this.total > this.done ? (this.total - this.done) / rate : 0;
    const pct = this.total > 0 ? Math.min(100, (this.done / this.total) * 100) : 0;
    this.out.write(`\r\x1b[Kreading ${(this.done / MB).toFixed(0)} of ${(this.total / MB).toFixed(0)} MB (${pct.toFixed(0)}%), ${(rate / MB).toFixed(0)} MB/s, ${left.toFixed(0)} s left`);
  }

  end(): void {
    if (this.enabled) this.out.write('\r\x1b[K');
  }
}
