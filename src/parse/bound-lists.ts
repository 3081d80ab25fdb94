/**
 * The entry bounds of an address-only ipset while its dump is read: IPv4 bounds in growing
 * Float64Arrays (a million fail2ban bans are two buffers, not two million pushes onto
 * arrays of boxed-size numbers), IPv6 bounds as bigint lists.
 *
 * @module
 */
import type { AddrValue } from '../model/addr.js';
import type { AddrEntries } from '../model/host-context.js';

export class BoundLists {
  private n = 0;
  private los4: Float64Array;
  private his4: Float64Array;
  private readonly los6: bigint[] = [];
  private readonly his6: bigint[] = [];

  constructor(private readonly v4: boolean) {
    this.los4 = new Float64Array(v4 ? 64 : 0);
    this.his4 = new Float64Array(v4 ? 64 : 0);
  }

  /** One IPv4 range [lo, hi); only for a list made with `v4` true. */
  push4(lo: number, hi: number): void {
    if (this.n === this.los4.length) this.grow();
    this.los4[this.n] = lo;
    this.his4[this.n] = hi;
    this.n++;
  }

  /** One range of the list's family. */
  push(lo: AddrValue, hi: AddrValue): void {
    if (this.v4) this.push4(lo as number, hi as number);
    else {
      this.los6.push(lo as bigint);
      this.his6.push(hi as bigint);
    }
  }

  /**
   * The bounds as the model keeps them (host-context `addrEntries`): views of the filled
   * part, not copies (the spare capacity is at most what was filled).
   */
  entries(): AddrEntries {
    if (!this.v4) return { los: this.los6, his: this.his6 };
    return { los: this.los4.subarray(0, this.n), his: this.his4.subarray(0, this.n) };
  }

  private grow(): void {
    const los = new Float64Array(this.los4.length * 2);
    const his = new Float64Array(this.his4.length * 2);
    los.set(this.los4);
    his.set(this.his4);
    this.los4 = los;
    this.his4 = his;
  }
}
