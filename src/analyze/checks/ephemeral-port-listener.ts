/**
 * A listener inside the kernel's ephemeral port range (net.ipv4.ip_local_port_range, which
 * IPv6 shares) and not reserved (net.ipv4.ip_local_reserved_ports): an outgoing connection
 * can take the port first, so the service may fail to start after a reboot, and stateless
 * "allow the ephemeral range" rules let strangers reach it. UDP sockets count only when
 * reachable from other hosts (clients bind random UDP ports all the time).
 *
 * @module
 */
import { isRemote } from '../audit/exposure.js';
import type { Finding } from '../audit/types.js';
import { hostFinding, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';

/** "32768\t60999" → [32768, 60999]; null when unreadable. */
export function parsePortRange(text: string | null | undefined): [number, number] | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text ?? '');
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return lo <= hi && hi <= 65535 ? [lo, hi] : null;
}

/** "8080,9000-9100" → ranges; "" → none; null when malformed. */
export function parseReservedPorts(text: string | null | undefined): [number, number][] | null {
  const t = (text ?? '').trim();
  if (t === '') return [];
  const out: [number, number][] = [];
  for (const part of t.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) return null;
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

export const ephemeralPortListener: Check = {
  id: 'ephemeral-port-listener',
  title: 'Listener inside the ephemeral port range',
  severity: 'low',
  description:
    'A service listens on a port inside net.ipv4.ip_local_port_range that is not in net.ipv4.ip_local_reserved_ports. The kernel may hand the port to an outgoing connection before the service starts, and firewall rules that open the ephemeral range for replies expose it.',
  remediation: 'Move the service below the range, or reserve its port: sysctl -w net.ipv4.ip_local_reserved_ports=PORT (persist it in /etc/sysctl.d/).',
  run(ctx) {
    const sysctls = ctx.host.sysctls;
    if (!sysctls) return [];
    const rangeText = sysctls['net.ipv4.ip_local_port_range'];
    const range = parsePortRange(rangeText);
    const reserved = parseReservedPorts(sysctls['net.ipv4.ip_local_reserved_ports']);
    if (!range) {
      if (rangeText === undefined || rangeText === null) return [];
      return [hostFinding(this, ctx, 'unreadable', { severity: 'info', title: 'net.ipv4.ip_local_port_range could not be read', facts: [`net.ipv4.ip_local_port_range = ${rangeText}`], summary: 'Check the sysctl value.', commands: ['sysctl net.ipv4.ip_local_port_range'] })];
    }
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      if (svc.path.kind === 'forward') continue;
      if (svc.proto === 'udp' && !isRemote(svc.exposure)) continue;
      if (svc.exposure === 'closed') continue;
      if (svc.port < range[0] || svc.port > range[1]) continue;
      if ((reserved ?? []).some(([lo, hi]) => svc.port >= lo && svc.port <= hi)) continue;
      const current = (sysctls['net.ipv4.ip_local_reserved_ports'] ?? '').trim();
      const next = current === '' ? String(svc.port) : `${current},${svc.port}`;
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: this.severity,
          title: `${serviceName(svc)} listens inside the ephemeral port range ${range[0]}-${range[1]}`,
          facts: [`net.ipv4.ip_local_port_range = ${range[0]} ${range[1]}`, `net.ipv4.ip_local_reserved_ports = ${current === '' ? '(empty)' : current}`],
          summary: `Reserve ${svc.port} so the kernel never gives it to an outgoing connection, or move the service below ${range[0]}.`,
          commands: [`sysctl -w net.ipv4.ip_local_reserved_ports=${next}`, `echo 'net.ipv4.ip_local_reserved_ports = ${next}' > /etc/sysctl.d/60-reserved-ports.conf`],
        }),
      );
    }
    return out;
  },
};
