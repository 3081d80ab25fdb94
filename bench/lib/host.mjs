/**
 * The host half of a synthetic snapshot: 1,000 listening sockets spread like a busy server
 * (TCP and UDP; IPv4, IPv6-only and dual-stack; wildcard, specific and loopback binds;
 * ports across 1-65535), interfaces with documentation addresses, and exposure sysctls.
 *
 * @module
 */

export const HOST_ADDRS = {
  eth0: { v4: '192.0.2.10', v6: '2001:db8:0:1::10' },
  eth1: { v4: '198.51.100.1', v6: '2001:db8:0:2::1' },
};

/** Daemons with their usual ports, so some listeners look like the real thing. */
const KNOWN = [
  { proto: 'tcp', port: 22, name: 'sshd', bind: 'pair' },
  { proto: 'tcp', port: 80, name: 'nginx', bind: 'pair' },
  { proto: 'tcp', port: 443, name: 'nginx', bind: 'pair' },
  { proto: 'tcp', port: 25, name: 'master', bind: 'v4any' },
  { proto: 'tcp', port: 53, name: 'named', bind: 'v4host' },
  { proto: 'udp', port: 53, name: 'named', bind: 'v4host' },
  { proto: 'udp', port: 123, name: 'chronyd', bind: 'v4any' },
  { proto: 'udp', port: 323, name: 'chronyd', bind: 'v4lo' },
  { proto: 'tcp', port: 3306, name: 'mysqld', bind: 'dual' },
  { proto: 'tcp', port: 5432, name: 'postgres', bind: 'v4lo' },
  { proto: 'tcp', port: 6379, name: 'redis-server', bind: 'v4any' },
  { proto: 'tcp', port: 9200, name: 'java', bind: 'dual' },
  { proto: 'tcp', port: 27017, name: 'mongod', bind: 'v4host' },
  { proto: 'udp', port: 11211, name: 'memcached', bind: 'v4any' },
  { proto: 'tcp', port: 2375, name: 'dockerd', bind: 'dual' },
  { proto: 'udp', port: 161, name: 'snmpd', bind: 'v4any' },
  { proto: 'tcp', port: 111, name: 'rpcbind', bind: 'pair' },
  { proto: 'udp', port: 111, name: 'rpcbind', bind: 'pair' },
];
const DAEMONS = ['node', 'java', 'python3', 'gunicorn', 'haproxy', 'envoy', 'consul', 'prometheus', 'grafana-server', 'etcd', 'vault', 'nats-server', 'rabbitmq-server', 'beam.smp', 'elasticsearch', 'minio', 'caddy', 'unbound', 'coredns'];

/** How a service binds: kinds and their weights for the random services. */
const BIND_WEIGHTS = { v4any: 30, dual: 12, pair: 12, v4host: 10, v6host: 5, v4lo: 15, v6lo: 6, v4eth1: 5, v6only: 5 };

/** Sockets for one bind kind. */
function sockets(bind, proto, port) {
  const s = (family, address, v6only = null) => ({ family, address, v6only, proto, port });
  switch (bind) {
    case 'v4any': return [s('ipv4', '0.0.0.0')];
    case 'dual': return [s('ipv6', '::', false)];
    case 'pair': return [s('ipv4', '0.0.0.0'), s('ipv6', '::', true)];
    case 'v4host': return [s('ipv4', HOST_ADDRS.eth0.v4)];
    case 'v6host': return [s('ipv6', HOST_ADDRS.eth0.v6, false)];
    case 'v4lo': return [s('ipv4', '127.0.0.1')];
    case 'v6lo': return [s('ipv6', '::1', false)];
    case 'v4eth1': return [s('ipv4', HOST_ADDRS.eth1.v4)];
    case 'v6only': return [s('ipv6', '::', true)];
    default: throw new Error(`unknown bind ${bind}`);
  }
}

/**
 * `count` listening sockets. Each port is used by one service per protocol (a service may
 * hold two sockets: 0.0.0.0 plus an IPv6-only ::), so every listener can really be
 * started side by side in a namespace.
 * @returns {import('../../src/model/snapshot.js').Socket[]}
 */
export function makeListeners(rng, count = 1000) {
  const used = { tcp: new Set(), udp: new Set() };
  const services = [];
  for (const k of KNOWN) { used[k.proto].add(k.port); services.push(k); }
  let total = services.reduce((n, k) => n + sockets(k.bind, k.proto, k.port).length, 0);
  while (total < count) {
    const proto = rng.next() < 0.7 ? 'tcp' : 'udp';
    // A tenth below 1024, the rest spread over 1024-65535.
    const port = rng.next() < 0.1 ? rng.int(1, 1023) : rng.int(1024, 65535);
    if (used[proto].has(port)) continue;
    let bind = rng.weighted(BIND_WEIGHTS);
    if (bind === 'pair' && total + 2 > count) bind = 'v4any';
    used[proto].add(port);
    services.push({ proto, port, name: rng.pick(DAEMONS), bind });
    total += sockets(bind, proto, port).length;
  }
  let pid = 400;
  let inode = 20000;
  const out = [];
  for (const svc of services) {
    pid += rng.int(1, 40);
    const uid = svc.name === 'sshd' || svc.name === 'master' ? 0 : rng.pick([0, 33, 101, 999, 1000]);
    for (const sk of sockets(svc.bind, svc.proto, svc.port)) {
      out.push({
        proto: sk.proto, family: sk.family, address: sk.address, port: sk.port, v6only: sk.v6only,
        device: null, uid, inode: inode++,
        process: { pid, name: svc.name, cmdline: [`/usr/bin/${svc.name}`, `--port=${svc.port}`], user: uid === 0 ? 'root' : `u${uid}` },
      });
    }
  }
  return out;
}

export function makeInterfaces() {
  return [
    { name: 'lo', index: 1, up: true, loopback: true, addresses: [
      { family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
      { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' },
    ] },
    { name: 'eth0', index: 2, up: true, loopback: false, addresses: [
      { family: 'ipv4', address: HOST_ADDRS.eth0.v4, prefixLength: 24, scope: 'global', broadcast: '192.0.2.255' },
      { family: 'ipv6', address: HOST_ADDRS.eth0.v6, prefixLength: 64, scope: 'global' },
      { family: 'ipv6', address: 'fe80::5054:ff:fe12:3456', prefixLength: 64, scope: 'link' },
    ] },
    { name: 'eth1', index: 3, up: true, loopback: false, addresses: [
      { family: 'ipv4', address: HOST_ADDRS.eth1.v4, prefixLength: 24, scope: 'global', broadcast: '198.51.100.255' },
      { family: 'ipv6', address: HOST_ADDRS.eth1.v6, prefixLength: 64, scope: 'global' },
    ] },
  ];
}

/** Typical values of a hardened-ish server (keys as in src/model/snapshot.ts EXPOSURE_SYSCTLS). */
export const SYSCTLS = {
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.ip_local_reserved_ports': '',
  'net.ipv4.tcp_syncookies': '1',
  'net.ipv4.ip_forward': '0',
  'net.ipv4.conf.all.rp_filter': '2',
  'net.ipv4.conf.default.rp_filter': '2',
  'net.ipv4.conf.all.accept_redirects': '0',
  'net.ipv4.conf.default.accept_redirects': '0',
  'net.ipv4.conf.all.secure_redirects': '1',
  'net.ipv4.conf.all.send_redirects': '1',
  'net.ipv4.conf.all.accept_source_route': '0',
  'net.ipv4.conf.default.accept_source_route': '0',
  'net.ipv4.conf.all.log_martians': '0',
  'net.ipv4.conf.default.log_martians': '0',
  'net.ipv4.conf.all.route_localnet': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.ipv6.conf.all.forwarding': '0',
  'net.ipv6.conf.all.accept_redirects': '0',
  'net.ipv6.conf.default.accept_redirects': '0',
  'net.ipv6.conf.all.accept_source_route': '0',
  'net.ipv6.conf.default.accept_source_route': '0',
  'net.ipv6.conf.all.accept_ra': '1',
  'net.ipv6.bindv6only': '0',
  'net.bridge.bridge-nf-call-iptables': null,
  'net.bridge.bridge-nf-call-ip6tables': null,
};

/** Wraps host facts and firewall sources into a `Snapshot` (src/model/snapshot.ts). */
export function makeSnapshot({ hostname, sockets, firewall }) {
  return {
    format: 'portcullis-snapshot',
    version: 1,
    collectedAt: '2026-11-01T12:00:00.000Z',
    tool: { name: 'portcullis', version: '0.1.0' },
    host: { hostname, kernel: '6.1.0-bench' },
    privileges: { uid: 0, euid: 0, root: true },
    interfaces: makeInterfaces(),
    sockets,
    firewall,
    sysctls: { ...SYSCTLS },
    unreadable: [],
  };
}
