/**
 * A server protected by ufw and fail2ban, in the three ways fail2ban bans (its
 * action.d files): `iptables-multiport` (one `-s X/32 -j REJECT --reject-with
 * icmp-port-unreachable` per ban in chain f2b-sshd, newest first, ending in RETURN),
 * `iptables-ipset` (`banaction = iptables-ipset`: one rule `-m set --match-set f2b-sshd
 * src -j REJECT` and a `hash:ip` set holding the bans) and `nftables` (its own `table inet
 * f2b-table` with a named set per jail). Bans are scattered over the IPv4 space, as real
 * attackers are.
 *
 * @module
 */
import { v4ToString } from '../addresses.mjs';
import { restoreText, scatteredAddrs, tableText } from './save-text.mjs';

const UFW_CHAINS = ['ufw-after-input', 'ufw-after-logging-input', 'ufw-after-output', 'ufw-before-forward', 'ufw-before-input',
  'ufw-before-logging-input', 'ufw-before-output', 'ufw-logging-deny', 'ufw-not-local', 'ufw-reject-input', 'ufw-skip-to-policy-input',
  'ufw-track-output', 'ufw-user-forward', 'ufw-user-input', 'ufw-user-limit', 'ufw-user-limit-accept', 'ufw-user-output'];

/** ufw's rules (before.rules, after.rules, user.rules) for the given allowed ports, as iptables-save prints them. */
function ufwRules(allowed) {
  return [
    '-A INPUT -j ufw-before-logging-input', '-A INPUT -j ufw-before-input', '-A INPUT -j ufw-after-input',
    '-A INPUT -j ufw-after-logging-input', '-A INPUT -j ufw-reject-input',
    '-A FORWARD -j ufw-before-forward', '-A OUTPUT -j ufw-before-output', '-A OUTPUT -j ufw-track-output',
    '-A ufw-after-input -p udp -m udp --dport 137 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -p udp -m udp --dport 138 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -p tcp -m tcp --dport 139 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -p tcp -m tcp --dport 445 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -p udp -m udp --dport 67 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -p udp -m udp --dport 68 -j ufw-skip-to-policy-input',
    '-A ufw-after-input -m addrtype --dst-type BROADCAST -j ufw-skip-to-policy-input',
    '-A ufw-after-logging-input -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "',
    '-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A ufw-before-forward -p icmp -m icmp --icmp-type 3 -j ACCEPT',
    '-A ufw-before-forward -p icmp -m icmp --icmp-type 8 -j ACCEPT',
    '-A ufw-before-forward -j ufw-user-forward',
    '-A ufw-before-input -i lo -j ACCEPT',
    '-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny',
    '-A ufw-before-input -m conntrack --ctstate INVALID -j DROP',
    '-A ufw-before-input -p icmp -m icmp --icmp-type 3 -j ACCEPT',
    '-A ufw-before-input -p icmp -m icmp --icmp-type 11 -j ACCEPT',
    '-A ufw-before-input -p icmp -m icmp --icmp-type 12 -j ACCEPT',
    '-A ufw-before-input -p icmp -m icmp --icmp-type 8 -j ACCEPT',
    '-A ufw-before-input -p udp -m udp --sport 67 --dport 68 -j ACCEPT',
    '-A ufw-before-input -j ufw-not-local',
    '-A ufw-before-input -d 224.0.0.251/32 -p udp -m udp --dport 5353 -j ACCEPT',
    '-A ufw-before-input -d 239.255.255.250/32 -p udp -m udp --dport 1900 -j ACCEPT',
    '-A ufw-before-input -j ufw-user-input',
    '-A ufw-before-output -o lo -j ACCEPT',
    '-A ufw-before-output -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A ufw-before-output -j ufw-user-output',
    '-A ufw-logging-deny -m conntrack --ctstate INVALID -m limit --limit 3/min --limit-burst 10 -j RETURN',
    '-A ufw-logging-deny -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "',
    '-A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN',
    '-A ufw-not-local -m addrtype --dst-type MULTICAST -j RETURN',
    '-A ufw-not-local -m addrtype --dst-type BROADCAST -j RETURN',
    '-A ufw-not-local -m limit --limit 3/min --limit-burst 10 -j ufw-logging-deny',
    '-A ufw-not-local -j DROP',
    '-A ufw-skip-to-policy-input -j DROP',
    '-A ufw-track-output -p tcp -m conntrack --ctstate NEW -j ACCEPT',
    '-A ufw-track-output -p udp -m conntrack --ctstate NEW -j ACCEPT',
    ...allowed.map((a) => `-A ufw-user-input${a.from ? ` -s ${a.from}` : ''} -p ${a.proto} -m ${a.proto} --dport ${a.port} -j ACCEPT`),
    '-A ufw-user-limit -m limit --limit 3/min -j LOG --log-prefix "[UFW LIMIT BLOCK] "',
    '-A ufw-user-limit -j REJECT --reject-with icmp-port-unreachable',
    '-A ufw-user-limit-accept -j ACCEPT',
  ];
}

/** What this server's ufw allows: ssh and the web from anywhere, the databases from the office. */
const ALLOWED = [
  { proto: 'tcp', port: 22 }, { proto: 'tcp', port: 80 }, { proto: 'tcp', port: 443 },
  { proto: 'tcp', port: 5432, from: '198.51.100.0/24' }, { proto: 'tcp', port: 6379, from: '198.51.100.0/24' },
  { proto: 'udp', port: 53 },
];

/** ufw + fail2ban `iptables-multiport`: `bans` REJECT rules in f2b-sshd. */
export function fail2banReject(rng, bans) {
  const addrs = scatteredAddrs(rng, bans);
  rng.shuffle(addrs);
  const rules = ['-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd', ...ufwRules(ALLOWED),
    ...addrs.map((a) => `-A f2b-sshd -s ${v4ToString(a)}/32 -j REJECT --reject-with icmp-port-unreachable`), '-A f2b-sshd -j RETURN'];
  return { iptables: restoreText([tableText('filter', { policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' }, chains: [...UFW_CHAINS, 'f2b-sshd'], rules })]) };
}

/** ufw + fail2ban `iptables-ipset`: one rule, `bans` entries in a hash:ip set. */
export function fail2banIpset(rng, bans) {
  const addrs = scatteredAddrs(rng, bans);
  rng.shuffle(addrs);
  const maxelem = Math.max(65536, 2 ** Math.ceil(Math.log2(bans + 1)));
  const ipset = [`create f2b-sshd hash:ip family inet hashsize 1024 maxelem ${maxelem} timeout 0`, ...addrs.map((a) => `add f2b-sshd ${v4ToString(a)} timeout 0`), ''].join('\n');
  const rules = ['-A INPUT -p tcp -m multiport --dports 22 -m set --match-set f2b-sshd src -j REJECT --reject-with icmp-port-unreachable', ...ufwRules(ALLOWED)];
  return { ipset, iptables: restoreText([tableText('filter', { policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' }, chains: UFW_CHAINS, rules })]) };
}

/**
 * fail2ban's `nftables` action (table inet f2b-table, a set per jail, a base chain at
 * priority filter - 1) on an nftables-only host with its own inet filter table.
 */
export function fail2banNftSet(rng, bans) {
  const addrs = scatteredAddrs(rng, bans).map(v4ToString);
  rng.shuffle(addrs);
  return { nft: [
    'table inet filter {',
    '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept', '\t\tct state invalid drop', '\t\tiif "lo" accept',
    '\t\tip protocol icmp accept', '\t\tmeta l4proto ipv6-icmp accept',
    '\t\ttcp dport { 22, 80, 443 } accept', '\t\tip saddr 198.51.100.0/24 tcp dport { 5432, 6379 } accept', '\t\tudp dport 53 accept',
    '\t\tlimit rate 3/minute log prefix "[nft drop] "', '\t}',
    '\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '\t}',
    '}',
    'table inet f2b-table {',
    '\tset addr-set-sshd {', '\t\ttype ipv4_addr',
    ...(addrs.length > 0 ? [`\t\telements = { ${addrs.join(',\n\t\t\t     ')} }`] : []), '\t}',
    '\tchain f2b-chain {', '\t\ttype filter hook input priority filter - 1; policy accept;',
    '\t\tmeta l4proto tcp tcp dport 22 ip saddr @addr-set-sshd reject with icmp port-unreachable', '\t}',
    '}', '',
  ].join('\n') };
}
