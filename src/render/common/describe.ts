/**
 * Short phrases shared by the text and HTML renderers: rule references, listeners, paths.
 * Their parts come from the host (chain names, process names), so each phrase is made
 * {@link printable} here, once for every renderer (issue 9).
 *
 * @module
 */
import type { AuditedService } from '../../analyze/audit/types.js';
import type { RuleRef } from '../../analyze/types.js';
import type { ProcessInfo } from '../../model/snapshot.js';
import { printable } from './printable.js';

/** "filter ufw-user-input #7", "inet filter input policy" (a chain policy has no position). */
export function ruleRefLabel(r: RuleRef): string {
  const where = `${printable(r.table)} ${printable(r.chain)}`;
  return r.position === null ? `${where} policy` : `${where} #${r.position}`;
}

/** "[2001:db8::1]:22", "0.0.0.0:80", "*:8080". */
export function hostPort(address: string, port: number | string): string {
  const a = printable(address);
  return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`;
}

/** "sshd (pid 812, root)", or null when the process is unknown. */
export function processLabel(p: ProcessInfo | null): string | null {
  if (p === null) return null;
  return p.user === null ? `${printable(p.name)} (pid ${p.pid})` : `${printable(p.name)} (pid ${p.pid}, ${printable(p.user)})`;
}

/** "Redis (redis-server)" or just the label when the process name adds nothing. */
export function serviceLabel(s: AuditedService): string {
  const proc = s.process?.name;
  if (!proc || s.service.label.toLowerCase().includes(proc.toLowerCase())) return printable(s.service.label);
  return `${printable(s.service.label)} (${printable(proc)})`;
}

/** Where the connection ends up, when NAT moves it: "→ 172.17.0.2:80", "→ :3000 (redirect)". */
export function natTarget(s: AuditedService): string | null {
  if (s.path.kind === 'forward') return `forwarded to ${forwardTargets(s)}`;
  if (s.path.kind === 'redirect') return `redirected from port ${printable(s.path.hostPorts)} to ${hostPort(s.address, s.port)}`;
  return null;
}

/** A published port's targets: "172.17.0.2:80", or every endpoint it spreads over. */
export function forwardTargets(s: AuditedService): string {
  if (s.path.kind !== 'forward') return '';
  return (s.path.targets ?? [s.path.target]).map((t) => hostPort(t.address, t.port)).join(', ');
}

/** The address column: the bind address, with the family note for dual-stack sockets. */
export function addressLabel(s: AuditedService): string {
  if (s.dualStack) return `${printable(s.address)} (v4+v6)`;
  return printable(s.address);
}
