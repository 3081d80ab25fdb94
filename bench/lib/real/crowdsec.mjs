/**
 * A server behind CrowdSec's firewall bouncer in nftables mode (cs-firewall-bouncer's
 * default, not set-only): its own `table ip crowdsec` and `table ip6 crowdsec6`, each with
 * a `flags timeout` set of banned addresses and a base chain per hook (`crowdsec-chain-input`,
 * priority -10) dropping them, beside the host's own `inet filter` table. Bans carry their
 * decision's remaining time, as the bouncer adds them (4 h for a local ban, up to a week
 * for the community blocklist), so `nft -j` lists each as an `elem` object with
 * `timeout` and `expires`, not as a bare address.
 *
 * @module
 */
import { v4ToString } from '../addresses.mjs';
import { scatteredAddrs } from './save-text.mjs';

/** Decision durations, in the form `nft -f` reads: local bans (4 h) and community blocklist entries. */
const DURATIONS = ['4h', '4h', '24h', '48h', '167h'];

/** One IPv6 ban for every this many IPv4 ones (the community blocklist is mostly IPv4). */
const V6_SHARE = 20;

/** `count` distinct IPv6 addresses in 2a00::/12 and 2400::/12 (RIPE and APNIC space), sorted. */
function scatteredV6(rng, count) {
  const seen = new Set();
  while (seen.size < count) {
    const hex = () => Math.floor(rng.next() * 0x10000).toString(16);
    const top = rng.next() < 0.5 ? '2a0' : '240';
    seen.add(`${top}${Math.floor(rng.next() * 16).toString(16)}:${hex()}:${hex()}:${hex()}::${hex()}`);
  }
  return [...seen].sort();
}

/** One of the bouncer's tables: `set` of `setType` holding `addrs`, dropped by `saddr @set` in `${table}-chain-input`. */
function bouncerTable(family, table, set, setType, saddr, addrs, rng) {
  const elems = addrs.map((a) => `${a} timeout ${rng.pick(DURATIONS)}`);
  return [
    `table ${family} ${table} {`,
    `\tset ${set} {`, `\t\ttype ${setType}`, '\t\tflags timeout',
    ...(elems.length > 0 ? [`\t\telements = { ${elems.join(',\n\t\t\t     ')} }`] : []), '\t}',
    `\tchain ${table}-chain-input {`, '\t\ttype filter hook input priority -10; policy accept;',
    `\t\t${saddr} @${set} counter drop`, '\t}',
    '}',
  ];
}

/** CrowdSec's bouncer with `bans` IPv4 bans (and a twentieth as many IPv6 ones) on an nftables host. */
export function crowdsecNft(rng, bans) {
  const v4 = scatteredAddrs(rng, bans).map(v4ToString);
  rng.shuffle(v4);
  const v6 = scatteredV6(rng, Math.floor(bans / V6_SHARE));
  return { nft: [
    'table inet filter {',
    '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept', '\t\tct state invalid drop', '\t\tiif "lo" accept',
    '\t\tip protocol icmp accept', '\t\tmeta l4proto ipv6-icmp accept',
    '\t\ttcp dport { 22, 80, 443 } accept', '\t\tip saddr 198.51.100.0/24 tcp dport { 5432, 6379 } accept', '\t\tudp dport 53 accept', '\t}',
    '\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '\t}',
    '}',
    ...bouncerTable('ip', 'crowdsec', 'crowdsec-blacklists', 'ipv4_addr', 'ip saddr', v4, rng),
    ...bouncerTable('ip6', 'crowdsec6', 'crowdsec6-blacklists', 'ipv6_addr', 'ip6 saddr', v6, rng),
    '',
  ].join('\n') };
}
