/**
 * Two more real-world shapes: a country blocklist (the prefixes of a few countries'
 * RIR delegations, as ipdeny/firehol lists give them) loaded as an nft interval set (IPv4 or IPv6) or as
 * one iptables rule per prefix or as a `hash:net` ipset, and a Docker host with hundreds of published ports
 * (Docker 24's nat DOCKER chain of DNATs, filter DOCKER accepts, isolation chains and
 * hairpin masquerades).
 *
 * @module
 */
import { v4ToString, v6Canon } from '../addresses.mjs';
import { restoreText, scatteredPrefixes, tableText } from './save-text.mjs';

const WEB_ALLOW = '\t\ttcp dport { 22, 80, 443 } accept';

/**
 * `table inet filter` dropping sources in the interval set `name` of `type` holding `prefixes`
 * (text), matched by `saddr`; `extra` rules go before the drop.
 */
function geoBlockTable(name, type, saddr, prefixes, extra = []) {
  return [
    'table inet filter {',
    `\tset ${name} {`, `\t\ttype ${type}`, '\t\tflags interval',
    ...(prefixes.length > 0 ? [`\t\telements = { ${prefixes.join(',\n\t\t\t     ')} }`] : []), '\t}',
    '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept', '\t\tiif "lo" accept', ...extra, `\t\t${saddr} @${name} counter drop`,
    WEB_ALLOW, '\t\tip saddr 198.51.100.0/24 tcp dport 5432 accept', '\t\tudp dport 53 accept', '\t}',
    '}', '',
  ].join('\n');
}

/** `table inet filter` dropping sources in an interval set of `count` prefixes. */
export function countryNft(rng, count) {
  return { nft: geoBlockTable('geo-block', 'ipv4_addr', 'ip saddr', scatteredPrefixes(rng, count).map((p) => `${p.addr}/${p.len}`)) };
}

/**
 * `count` disjoint, non-adjacent IPv6 prefixes (/29 to /48, as RIRs delegate them) spread over
 * 2400::/12 and 2a00::/12 (APNIC and RIPE space), one per equal slot, ascending, as text.
 */
function scatteredV6Prefixes(rng, count) {
  const half = 1n << 116n; // each /12 holds 2^116 addresses
  const slot = (2n * half) / BigInt(count);
  const out = [];
  for (let i = 0; i < count; i++) {
    const virtual = BigInt(i) * slot;
    const start = virtual < half ? (0x2400n << 112n) + virtual : (0x2a00n << 112n) + virtual - half;
    // The largest length that fits the slot with a gap after it, as the IPv4 lists do.
    let len = rng.pick([29, 32, 32, 32, 36, 40, 44, 48, 48]);
    while ((2n << BigInt(128 - len)) > slot) len++;
    const size = 1n << BigInt(128 - len);
    const base = ((start + size - 1n) / size) * size;
    out.push(`${v6Canon(base.toString(16).padStart(32, '0').replace(/(.{4})(?!$)/g, '$1:'))}/${len}`);
  }
  return out;
}

/** `table inet filter` dropping IPv6 sources in an interval set of `count` prefixes (a dual-stack host's IPv6 country list). */
export function countryNft6(rng, count) {
  return { nft: geoBlockTable('geo-block6', 'ipv6_addr', 'ip6 saddr', scatteredV6Prefixes(rng, count), ['\t\tmeta l4proto ipv6-icmp accept']) };
}

/** iptables: a `country-block` chain of `count` `-s PREFIX -j DROP` rules (each after its own LOG when `logged`), entered from INPUT (unless `jumped` is false). */
export function countryIptables(rng, count, { jumped = true, logged = false } = {}) {
  const prefixes = scatteredPrefixes(rng, count);
  rng.shuffle(prefixes);
  const rules = [
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -i lo -j ACCEPT', ...(jumped ? ['-A INPUT -j country-block'] : []),
    '-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT', '-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 5432 -j ACCEPT',
    '-A INPUT -p udp -m udp --dport 53 -j ACCEPT',
    ...prefixes.flatMap((p) => [
      ...(logged ? [`-A country-block -s ${p.addr}/${p.len} -j LOG --log-prefix "country-block: "`] : []),
      `-A country-block -s ${p.addr}/${p.len} -j DROP`,
    ]),
  ];
  return { iptables: restoreText([tableText('filter', { policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' }, chains: ['country-block'], rules })]) };
}

/**
 * The same blocklist chain, left behind: INPUT no longer jumps to it (a firewall script that
 * flushed INPUT and rebuilt it without the jump). No packet meets its rules, and the audit says
 * so: its shadowed-rule check once copied the chain's list of dead rules per rule (issue 8: 134 s
 * at 60,000 rules).
 */
export function countryIptablesOrphan(rng, count) {
  return countryIptables(rng, count, { jumped: false });
}

/**
 * The blocklist a shell script writes when it wants the drops in the kernel log: each prefix
 * twice, `-j LOG` then `-j DROP` (`count` prefixes, twice as many rules). Before the walk read
 * such pairs as two runs, it cut its sources pair by pair (issue 8: 119 s at 60,000 pairs).
 */
export function countryIptablesLogged(rng, count) {
  return countryIptables(rng, count, { logged: true });
}

/**
 * iptables + ipset: the prefixes in a `hash:net` set (as ipdeny's zone files are loaded with
 * `ipset restore`), dropped by one `-m set --match-set country-block src` rule in INPUT.
 */
export function countryIpset(rng, count) {
  const prefixes = scatteredPrefixes(rng, count);
  rng.shuffle(prefixes);
  const maxelem = Math.max(65536, 2 ** Math.ceil(Math.log2(count + 1)));
  const ipset = [`create country-block hash:net family inet hashsize 65536 maxelem ${maxelem}`,
    ...prefixes.map((p) => `add country-block ${p.addr}/${p.len}`), ''].join('\n');
  const rules = [
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m set --match-set country-block src -j DROP',
    '-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT', '-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 5432 -j ACCEPT',
    '-A INPUT -p udp -m udp --dport 53 -j ACCEPT',
  ];
  return { ipset, iptables: restoreText([tableText('filter', { policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' }, rules })]) };
}

/** A Docker host publishing `count` ports (host 8000+i → container port 80/443/…) on the default bridge. */
export function dockerHost(rng, count) {
  const natDocker = ['-A DOCKER -i docker0 -j RETURN'];
  const post = ['-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'];
  const filterDocker = [];
  for (let i = 0; i < count; i++) {
    const ip = v4ToString(0xac110002 + i); // 172.17.0.2 + i
    const inner = rng.pick([80, 443, 3000, 5432, 6379, 8080, 9200]);
    const proto = rng.next() < 0.9 ? 'tcp' : 'udp';
    const hostPort = 8000 + i;
    // Some services publish on the host's address only (-p 192.0.2.10:PORT:PORT).
    const only = rng.next() < 0.1 ? ' -d 192.0.2.10/32' : '';
    post.push(`-A POSTROUTING -s ${ip}/32 -d ${ip}/32 -p ${proto} -m ${proto} --dport ${inner} -j MASQUERADE`);
    natDocker.push(`-A DOCKER${only} ! -i docker0 -p ${proto} -m ${proto} --dport ${hostPort} -j DNAT --to-destination ${ip}:${inner}`);
    filterDocker.push(`-A DOCKER -d ${ip}/32 ! -i docker0 -o docker0 -p ${proto} -m ${proto} --dport ${inner} -j ACCEPT`);
  }
  const filter = [
    '-A FORWARD -j DOCKER-USER', '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
    '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -o docker0 -j DOCKER',
    '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT', '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', '-A INPUT -s 198.51.100.0/24 -j ACCEPT',
    ...filterDocker,
    '-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2', '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
    '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP', '-A DOCKER-ISOLATION-STAGE-2 -j RETURN',
    '-A DOCKER-USER -j RETURN',
  ];
  const nat = [
    '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
    ...post, ...natDocker,
  ];
  return { iptables: restoreText([
    tableText('filter', { policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' }, chains: ['DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER'], rules: filter }),
    tableText('nat', { policies: { PREROUTING: 'ACCEPT', INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', POSTROUTING: 'ACCEPT' }, chains: ['DOCKER'], rules: nat }),
  ]), forwarding: true };
}
