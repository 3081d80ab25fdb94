/**
 * IPv4 address (as an unsigned 32-bit number) → small integer, in an open-addressing table
 * of typed arrays: the fold looks a source up on every attempt, and a Map keyed by the
 * address string costs a fresh string's hash and compare each time.
 *
 * @module
 */

const EMPTY = -1;

export class Ipv4Index {
  private keys = new Uint32Array(1 << 12);
  private values = new Int32Array(1 << 12).fill(EMPTY);
  private mask = (1 << 12) - 1;
  size = 0;

  /** The value of `address`, or -1. */
  get(address: number): number {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let slot = Math.imul(address, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const v = values[slot]!;
      if (v === EMPTY || keys[slot] === address) return v;
      slot = (slot + 1) & mask;
    }
  }

  /** Set `address` (not yet present) to `value` (≥ 0). */
  add(address: number, value: number): void {
    if ((this.size + 1) * 2 > this.values.length) this.grow();
    this.place(address, value);
    this.size++;
  }

  private place(address: number, value: number): void {
    const mask = this.mask;
    let slot = Math.imul(address, 0x9e3779b1) >>> 0 & mask;
    while (this.values[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.keys[slot] = address;
    this.values[slot] = value;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2).fill(EMPTY);
    this.mask = keys.length * 2 - 1;
    for (let i = 0; i < keys.length; i++) if (values[i] !== EMPTY) this.place(keys[i]!, values[i]!);
  }
}
