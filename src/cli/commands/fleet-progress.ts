/**
 * Progress of a fleet run on stderr: per-host lines as hosts finish, and, on a terminal, a
 * status line kept below them ("[12/50] 10 running, 1 failed, 14 s").
 *
 * @module
 */

export class FleetProgress {
  private done = 0;
  private running = 0;
  private failed = 0;
  private readonly startedAt = Date.now();
  private readonly tty: boolean;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY);
    if (this.tty) this.timer = setInterval(() => this.draw(), 500).unref();
  }

  started(): void {
    this.running++;
    this.draw();
  }

  /** A host finished: its lines, printed above the status line. */
  line(text: string, ok: boolean): void {
    this.running--;
    this.done++;
    if (!ok) this.failed++;
    if (this.tty) this.out.write('\r\x1b[K');
    this.out.write(text);
    this.draw();
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.out.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.tty) return;
    const secs = Math.round((Date.now() - this.startedAt) / 1000);
    this.out.write(`\r\x1b[K[${this.done}/${this.total}] ${this.running} running${this.failed > 0 ? `, ${this.failed} failed` : ''}, ${secs} s`);
  }
}
