/**
 * Address material for synthetic rulesets. Only reserved space is used, so no generated
 * dump ever names a real host: documentation ranges (RFC 5737, RFC 3849), the benchmarking
 * range 198.18.0.0/15 (RFC 2544), private ranges (RFC 1918) and, for the 100,000-entry
 * blocklists that the small reserved ranges cannot hold, 240.0.0.0/5 (reserved, RFC 1112).
 * Cost in an interval-set engine depends on how many disjoint intervals there are, not on
 * where they lie, so these stand in for real blocklists.
 *
 * @module
 */
import ipaddr from 'ipaddr.js';

/** RFC 5952 text, as iptables-save and nft print IPv6 addresses. */
export const v6Canon = (s) => ipaddr.parse(s).toRFC5952String();

export const v4ToString = (n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
export const v4FromString = (s) => s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

/** Documentation and private IPv4 prefixes that allowlists draw from. */
const ALLOW_V4 = [
  ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['198.18.0.0', 15], ['10.0.0.0', 8], ['172.16.0.0', 12],
];

/** A random allowlist CIDR (IPv4): prefix length 16-32, inside reserved space. */
export function allowCidr4(rng) {
  const [base, len] = ALLOW_V4[rng.weighted({ 0: 2, 1: 2, 2: 2, 3: 2, 4: 1, 5: 1 })];
  const plen = Math.max(len, rng.pick([16, 22, 24, 24, 26, 28, 28, 29, 30, 32, 32, 32]));
  const span = 2 ** (32 - len);
  const off = rng.int(0, span - 1);
  const net = (v4FromString(base) + off) & ~(2 ** (32 - plen) - 1) >>> 0;
  return `${v4ToString(net >>> 0)}/${plen}`;
}

/** A random allowlist CIDR (IPv6) inside 2001:db8::/32, /48 to /128. */
export function allowCidr6(rng) {
  const plen = rng.pick([48, 56, 64, 64, 64, 128]);
  const h = () => rng.int(0, 0xffff).toString(16);
  const addr = plen === 128 ? `2001:db8:${h()}:${h()}::${h()}`
    : plen === 64 ? `2001:db8:${h()}:${h()}::`
    : plen === 56 ? `2001:db8:${h()}:${(rng.int(0, 255) << 8).toString(16)}::`
    : `2001:db8:${h()}::`;
  return `${v6Canon(addr)}/${plen}`;
}

/**
 * `count` distinct, pairwise non-adjacent IPv4 blocks in 240.0.0.0/5, ascending: mostly
 * single addresses, some /24-/30 networks and ranges (as blocklists mix them). Gaps keep
 * them from merging, so the count of intervals is exactly `count`.
 * @returns {{kind:'addr'|'prefix'|'range', lo:number, hi:number, len?:number}[]}
 */
export function blockedBlocks4(rng, count, { prefixes = true } = {}) {
  const start = v4FromString('240.0.0.0');
  const room = 2 ** 27;
  const avg = Math.floor(room / (count + 1));
  const out = [];
  let cur = start + 1;
  for (let i = 0; i < count; i++) {
    const kind = prefixes ? rng.weighted({ addr: 85, prefix: 10, range: 5 }) : 'addr';
    if (kind === 'prefix') {
      const len = rng.pick([24, 26, 28, 29, 30]);
      const size = 2 ** (32 - len);
      const lo = Math.ceil((cur + 1) / size) * size; // aligned, and a gap before it
      out.push({ kind, lo, hi: lo + size - 1, len });
      cur = lo + size;
    } else if (kind === 'range') {
      const lo = cur + 1;
      let hi = lo + rng.int(2, 40);
      // A power-of-two size could be aligned, and nft would print it as a prefix instead.
      if (((hi - lo + 1) & (hi - lo)) === 0) hi += 1;
      out.push({ kind, lo, hi });
      cur = hi + 1;
    } else {
      out.push({ kind, lo: cur, hi: cur });
      cur = cur + 1;
    }
    // At least one address of gap; at most what keeps the last block inside the /5.
    cur += rng.int(1, Math.max(1, avg - 600));
  }
  return out;
}

/** `count` distinct IPv6 /64 networks in 2001:db8:b000::/36, ascending, non-adjacent. */
export function blockedNets6(rng, count) {
  const out = [];
  let cur = 0;
  const avg = Math.max(2, Math.floor(2 ** 28 / (count + 1)));
  for (let i = 0; i < count; i++) {
    cur += rng.int(2, avg); // never past 2^28 /64s, so the words below never wrap
    // 2001:db8:bXXX:XXXX::/64 — 28 bits of /64 index under the /36.
    const w3 = 0xb000 | ((cur >>> 16) & 0x0fff);
    const w4 = cur & 0xffff;
    out.push(`${v6Canon(`2001:db8:${w3.toString(16)}:${w4.toString(16)}::`)}/64`);
  }
  return out;
}
