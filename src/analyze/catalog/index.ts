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

/** Per protocol, port → 1 + the index in SERVICES of the first entry that lists it (0: none); built on first use. */
let byPortIndex: { tcp: Uint8Array; udp: Uint8Array } | null = null;

function portIndex(): { tcp: Uint8Array; udp: Uint8Array } {
  if (byPortIndex) return byPortIndex;
  if (SERVICES.length > 255) throw new Error('the catalog outgrew its port index (Uint8Array)');
  const index = { tcp: new Uint8Array(65536), udp: new Uint8Array(65536) };
  // Later entries never overwrite earlier ones: the first entry in catalog order wins, as a scan would find it.
  SERVICES.forEach((entry, i) => {
    for (const spec of entry.ports) {
      const ports = index[spec.proto];
      for (let port = spec.from; port <= (spec.to ?? spec.from); port++) if (ports[port] === 0) ports[port] = i + 1;
    }
  });
  return (byPortIndex = index);
}

/**
 * The first catalog entry that lists this port, found in an index rather than by scanning the
 * catalog: `portcullis logs` asks for every port a log saw (43,000 in the benchmark log).
 */
export function serviceOnPort(proto: 'tcp' | 'udp', port: number): ServiceEntry | undefined {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return SERVICES.find((e) => entryHasPort(e, proto, port));
  const i = portIndex()[proto][port]!;
  return i === 0 ? undefined : SERVICES[i - 1];
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
  const byPort = serviceOnPort(proto, port);
  if (byPort) return toIdentity(byPort, 'port');
  return { name: 'unknown', label: proc ? proc.name : 'Unknown service', by: 'unknown', risks: [] };
}
