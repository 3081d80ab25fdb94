/**
 * Recognise a listener: by its process first (redis-server on 7000 is Redis, sshd on 2222
 * is SSH), then by its port. Unknown services keep their port and are still reported.
 *
 * @module
 */
import type { ProcessInfo } from '../../model/snapshot.js';
import type { ServiceIdentity } from '../audit/types.js';
import { RELAY_PROCESSES, SERVICES, type PortSpec, type ServiceEntry } from './services.js';

export { RELAY_PROCESSES, SERVICES, type PortSpec, type RiskSpec, type ServiceEntry } from './services.js';

function portMatches(spec: PortSpec, proto: 'tcp' | 'udp', port: number): boolean {
  return spec.proto === proto && port >= spec.from && port <= (spec.to ?? spec.from);
}

function entryHasPort(entry: ServiceEntry, proto: 'tcp' | 'udp', port: number): boolean {
  return entry.ports.some((p) => portMatches(p, proto, port));
}

function processMatches(entry: ServiceEntry, process: ProcessInfo): boolean {
  if (entry.processes?.includes(process.name)) return true;
  // Interpreters (java, perl, beam.smp) say nothing by name: their command line does.
  return entry.cmdline !== undefined && entry.cmdline.test(process.cmdline.join(' '));
}

function toIdentity(entry: ServiceEntry, by: ServiceIdentity['by']): ServiceIdentity {
  const identity: ServiceIdentity = {
    name: entry.id,
    label: entry.label,
    by,
    risks: entry.risks.map((r) => ({ ...r })),
  };
  if (entry.localOnly !== undefined) identity.localOnly = entry.localOnly;
  return identity;
}

/** The catalog entry with this id (throws on a typo: ids are compile-time knowledge). */
export function serviceById(id: string): ServiceEntry {
  const entry = SERVICES.find((e) => e.id === id);
  if (!entry) throw new Error(`no service "${id}" in the catalog`);
  return entry;
}

/**
 * Which service listens here. Order: process and port agree; the process alone (preferring
 * the entry marked `fallback`); the port alone; otherwise "unknown" (named after the port).
 */
export function identifyService(proto: 'tcp' | 'udp', port: number, process: ProcessInfo | null): ServiceIdentity {
  const proc = process && !RELAY_PROCESSES.has(process.name) ? process : null;
  if (proc) {
    const byProcess = SERVICES.filter((e) => processMatches(e, proc));
    const both = byProcess.find((e) => entryHasPort(e, proto, port));
    if (both) return toIdentity(both, 'process');
    // memcached on 11211/udp and /tcp are two entries with one process: stay within the protocol.
    const sameProto = byProcess.filter((e) => e.ports.length === 0 || e.ports.some((p) => p.proto === proto));
    const chosen = sameProto.find((e) => e.fallback) ?? sameProto[0];
    if (chosen) return toIdentity(chosen, 'process');
  }
  const byPort = SERVICES.find((e) => entryHasPort(e, proto, port));
  if (byPort) return toIdentity(byPort, 'port');
  return { name: 'unknown', label: proc ? proc.name : 'Unknown service', by: 'unknown', risks: [] };
}
