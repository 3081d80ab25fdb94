/**
 * sysctl.conf for /etc/sysctl.d/: the plan's ephemeral range with listening ports inside it
 * reserved (so an outgoing connection never takes a service's port), SYN cookies, strict
 * reverse-path filtering, no redirects or source routing, martians logged.
 *
 * @module
 */
import type { HardenPlan } from '../../analyze/harden/types.js';
import { commentText } from './rule-parts.js';

/** Collapse sorted ports into "a,b-c" as ip_local_reserved_ports takes them. */
function portList(ports: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j]! + 1) j++;
    parts.push(i === j ? String(ports[i]) : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function renderHardenSysctl(plan: HardenPlan): string {
  const lines = [
    `# portcullis harden for ${commentText(plan.host)}: copy to /etc/sysctl.d/90-portcullis.conf, then sysctl --system`,
    '# Outgoing connections take local ports from this range; listeners inside it are reserved.',
    `net.ipv4.ip_local_port_range = ${plan.ephemeralPorts.from} ${plan.ephemeralPorts.to}`,
    `net.ipv4.ip_local_reserved_ports = ${portList(plan.reservedPorts)}`,
    '# SYN flood: answer with cookies when the backlog is full.',
    'net.ipv4.tcp_syncookies = 1',
    '# Reverse-path filtering (RFC 3704 strict): drop packets that could not have come in this way.',
    'net.ipv4.conf.all.rp_filter = 1',
    'net.ipv4.conf.default.rp_filter = 1',
    '# No ICMP redirects accepted or sent, no source-routed packets.',
    'net.ipv4.conf.all.accept_redirects = 0',
    'net.ipv4.conf.default.accept_redirects = 0',
    'net.ipv4.conf.all.secure_redirects = 0',
    'net.ipv4.conf.default.secure_redirects = 0',
    'net.ipv4.conf.all.send_redirects = 0',
    'net.ipv4.conf.default.send_redirects = 0',
    'net.ipv6.conf.all.accept_redirects = 0',
    'net.ipv6.conf.default.accept_redirects = 0',
    'net.ipv4.conf.all.accept_source_route = 0',
    'net.ipv4.conf.default.accept_source_route = 0',
    'net.ipv6.conf.all.accept_source_route = 0',
    'net.ipv6.conf.default.accept_source_route = 0',
    '# Log packets with impossible source addresses.',
    'net.ipv4.conf.all.log_martians = 1',
    'net.ipv4.conf.default.log_martians = 1',
    'net.ipv4.icmp_echo_ignore_broadcasts = 1',
    '',
  ];
  return lines.join('\n');
}
