/**
 * The audit end-to-end scenarios: each is one server namespace with real Debian daemons,
 * a real ruleset and per-namespace sysctls. scripts/record-snapshots.mjs records each as
 * test/fixtures/snapshots/<name>.json; live.test.ts builds some of them again and probes
 * them from the client namespace. `expect` says which checks must (`fires`) and must not
 * (`silent`) report what, as recorded.test.ts asserts.
 *
 * Documentation addresses only (see harness/topology.mjs): 198.51.100.0/24 is "the
 * office", 203.0.113.5 and 2001:db8:2::5 are "the world".
 *
 * @module
 */

/** Hardening sysctls turned off (kernel-hardening must fire) or on (it must not). */
export const SYSCTLS_WEAK = {
  'net.ipv4.tcp_syncookies': '0',
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  'net.ipv4.conf.all.accept_redirects': '1',
  'net.ipv4.conf.default.accept_redirects': '1',
  'net.ipv4.conf.all.accept_source_route': '1',
  'net.ipv4.conf.default.accept_source_route': '1',
  'net.ipv4.conf.all.log_martians': '0',
  'net.ipv4.conf.default.log_martians': '0',
};
export const SYSCTLS_HARDENED = {
  'net.ipv4.tcp_syncookies': '1',
  'net.ipv4.conf.all.rp_filter': '1',
  'net.ipv4.conf.default.rp_filter': '1',
  'net.ipv4.conf.all.accept_redirects': '0',
  'net.ipv4.conf.default.accept_redirects': '0',
  'net.ipv6.conf.all.accept_redirects': '0',
  'net.ipv6.conf.default.accept_redirects': '0',
  'net.ipv4.conf.all.accept_source_route': '0',
  'net.ipv4.conf.default.accept_source_route': '0',
  'net.ipv4.conf.all.log_martians': '1',
  'net.ipv4.conf.default.log_martians': '1',
};

/** A host with datastores that must stay local and a few public services (ufw scenarios). */
const UFW_DAEMONS = [
  { kind: 'sshd', port: 22 },
  { kind: 'nginx', ports: [80, 443] },
  { kind: 'redis', port: 6379, bind: '0.0.0.0' },
  { kind: 'redis', port: 6380, bind: '127.0.0.1' },
  { kind: 'socat', port: 8080, listen: 'dual' },
];
const UFW_RULES = [
  ['default', 'deny', 'incoming'],
  ['limit', 'proto', 'tcp', 'from', '198.51.100.0/24', 'to', 'any', 'port', '22'],
  ['allow', '80/tcp'],
  ['allow', '443/tcp'],
  // IPv6 only: the dual-stack socket on 8080 is world-reachable over IPv6 alone.
  ['allow', 'proto', 'tcp', 'from', '::/0', 'to', 'any', 'port', '8080'],
  ['logging', 'low'],
];

/** iptables-save text for both families: DROP policy, office SSH, web, then a catch-all reject and rules it shadows. */
function dropRules(family, logged) {
  const v6 = family === 'ipv6';
  return [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    v6 ? '-A INPUT -p ipv6-icmp -j ACCEPT' : '-A INPUT -p icmp -j ACCEPT',
    `-A INPUT -s ${v6 ? '2001:db8:100::/48' : '198.51.100.0/24'} -p tcp -m tcp --dport 22 -j ACCEPT`,
    '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT',
    // Business hours only: xt_time is not modelled, so 8081 is an upper bound (uncertain-exposure).
    '-A INPUT -p tcp -m tcp --dport 8081 -m time --timestart 09:00:00 --timestop 17:00:00 -j ACCEPT',
    ...(logged ? ['-A INPUT -m limit --limit 5/min -j LOG --log-prefix "input drop: "'] : []),
    '-A INPUT -p tcp -j REJECT --reject-with tcp-reset',
    // After the catch-all reject: never reached (shadowed-rule).
    '-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 23 -j DROP',
    'COMMIT',
    '',
  ].join('\n');
}

export const SCENARIOS = [
  {
    name: 'bare-host',
    description: 'No firewall at all; datastores, FTP, SSH, a Docker-API look-alike and an ephemeral-port listener on every address; hardening sysctls off.',
    sysctls: SYSCTLS_WEAK,
    firewall: [],
    daemons: [
      { kind: 'redis', port: 6379, bind: '0.0.0.0' },
      { kind: 'redis', port: 6380, bind: '127.0.0.1' },
      { kind: 'memcached', port: 11211 },
      { kind: 'vsftpd', port: 21 },
      { kind: 'nginx', ports: [80, 443] },
      { kind: 'sshd', port: 22 },
      { kind: 'socat', port: 2375, name: 'docker-api-lookalike' },
      { kind: 'socat', port: 40000, name: 'ephemeral-listener' },
    ],
  },
  {
    name: 'ufw-allowlist',
    // Same host name as ufw-redis-open: `portcullis diff` pairs hosts by name.
    hostname: 'web-1',
    description: "Debian's ufw: deny incoming, SSH limited to 198.51.100.0/24, web open, 8080 open over IPv6 only, logging low; redis on 0.0.0.0 but filtered; hardening on.",
    sysctls: SYSCTLS_HARDENED,
    firewall: [{ ufw: [...UFW_RULES, ['--force', 'enable']] }],
    daemons: UFW_DAEMONS,
  },
  {
    name: 'ufw-redis-open',
    hostname: 'web-1',
    description: 'ufw-allowlist after someone ran `ufw allow 6379/tcp`.',
    sysctls: SYSCTLS_HARDENED,
    firewall: [{ ufw: [...UFW_RULES, ['allow', '6379/tcp'], ['--force', 'enable']] }],
    daemons: UFW_DAEMONS,
  },
  {
    name: 'iptables-drop-nolog',
    description: 'iptables (nft backend) DROP policy, no LOG rule; a catch-all reject with rules after it; 8081 open in business hours (xt_time).',
    sysctls: SYSCTLS_HARDENED,
    firewall: [
      { iptables: dropRules('ipv4', false), backend: 'nft', family: 'ipv4' },
      { iptables: dropRules('ipv6', false), backend: 'nft', family: 'ipv6' },
    ],
    daemons: [
      { kind: 'sshd', port: 22 },
      { kind: 'nginx', ports: [80, 443] },
      { kind: 'socat', port: 8081, listen: 'dual' },
    ],
  },
  {
    name: 'iptables-drop-logged',
    description: 'iptables-drop-nolog with a rate-limited LOG rule before the catch-all reject.',
    sysctls: SYSCTLS_HARDENED,
    firewall: [
      { iptables: dropRules('ipv4', true), backend: 'nft', family: 'ipv4' },
      { iptables: dropRules('ipv6', true), backend: 'nft', family: 'ipv6' },
    ],
    daemons: [
      { kind: 'sshd', port: 22 },
      { kind: 'nginx', ports: [80, 443] },
      { kind: 'socat', port: 8081, listen: 'dual' },
    ],
  },
  {
    name: 'mixed-backends',
    description: 'iptables-nft accepts 9000/tcp, iptables-legacy drops it (both tables hook into the kernel; the drop wins); 9001 accepted by both.',
    sysctls: SYSCTLS_HARDENED,
    firewall: [
      {
        backend: 'nft',
        family: 'ipv4',
        iptables: ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -p tcp -m tcp --dport 9000 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 9001 -j ACCEPT', 'COMMIT', ''].join('\n'),
      },
      {
        backend: 'legacy',
        family: 'ipv4',
        iptables: ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -p tcp -m tcp --dport 9000 -j DROP', 'COMMIT', ''].join('\n'),
      },
    ],
    daemons: [
      { kind: 'socat', port: 9000 },
      { kind: 'socat', port: 9001 },
    ],
  },
];

export function scenarioByName(name) {
  return SCENARIOS.find((s) => s.name === name);
}
