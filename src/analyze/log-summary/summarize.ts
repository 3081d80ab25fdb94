/**
 * Fold state → the report: sorted lists, compressed IPv6 (RFC 5952), the catalog's service
 * and risk for each port, and the ports the host really exposes (exposedHits).
 *
 * @module
 */
import { formatAddr, parseAddr } from '../../model/addr.js';
import type { AuditedService, Exposure } from '../audit/types.js';
import { EXPOSURES, SEVERITIES } from '../audit/types.js';
import { type RiskSpec, serviceOnPort } from '../catalog/index.js';
import type { FoldResult } from './fold.js';
import { IsoTimes } from './iso-time.js';
import { PORT_KEYS, portKey, portOfKey } from './port-key.js';
import type { ScanParams } from './scan-window.js';
import type { ExposedHit, InterfaceShare, LogSummary, PortCount, Scanner, ServiceTag, SourceCount } from './types.js';

/** A port the host exposes beyond itself, as the audit judged it. */
export interface ExposedPort {
  proto: string;
  port: number;
  exposure: Exposure;
  service: ServiceTag | null;
}

export interface SummaryOptions {
  scan: ScanParams;
  now: Date;
  toolVersion: string;
  inputs: string[];
  since?: number;
  until?: number;
  /** The host's exposure; omitted when there is no snapshot or live host to join with. */
  exposure?: { host: string; ports: ExposedPort[] };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const TWO_DAYS = 2 * 86_400_000;

/** The catalog's name and worst risk for a port (null when the catalog does not know it). */
export function serviceTag(proto: string, port: number): ServiceTag | null {
  if (proto !== 'tcp' && proto !== 'udp') return null;
  // What identifyService(proto, port, null) answers (by port), without copying the entry's risks.
  const entry = serviceOnPort(proto, port);
  if (!entry) return null;
  let worst: RiskSpec | undefined;
  // The first of the most severe, as a stable sort by severity would put first.
  for (const r of entry.risks) if (!worst || SEVERITIES.indexOf(r.severity) < SEVERITIES.indexOf(worst.severity)) worst = r;
  return { label: entry.label, name: entry.id, risk: worst ? { class: worst.class, severity: worst.severity } : null };
}

/** Ports of an audited host reachable from beyond the host (world, wide, allowlisted, internal). */
export function exposedPorts(services: readonly AuditedService[]): ExposedPort[] {
  const byKey = new Map<string, ExposedPort>();
  for (const s of services) {
    if (s.exposure === 'local' || s.exposure === 'closed') continue;
    const key = `${s.proto}/${s.port}`;
    const seen = byKey.get(key);
    if (seen && EXPOSURES.indexOf(seen.exposure) <= EXPOSURES.indexOf(s.exposure)) continue;
    const tag: ServiceTag | null = s.service.by === 'unknown' ? null : { name: s.service.name, label: s.service.label, risk: null };
    const worst = [...s.service.risks].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))[0];
    if (tag && worst) tag.risk = { class: worst.class, severity: worst.severity };
    byKey.set(key, { proto: s.proto, port: s.port, exposure: s.exposure, service: tag });
  }
  return [...byKey.values()];
}

/** RFC 5952 form of an address as the kernel printed it (full IPv6 groups). */
function compress(address: string): string {
  if (!address.includes(':')) return address;
  if (address.length === 39 && !address.includes('.')) return compressFullV6(address);
  const parsed = parseAddr(address);
  return parsed ? formatAddr(parsed.value, parsed.family) : address;
}

/** `2001:0db8:0000:…` (eight 4-digit groups, as %pI6 prints) to RFC 5952, without parsing to numbers. */
function compressFullV6(full: string): string {
  const groups = full.toLowerCase().split(':').map((g) => g.replace(/^0{1,3}/, ''));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byAttempts = <T extends { attempts: number }>(a: T, b: T): number => b.attempts - a.attempts;

export function summarize(state: FoldResult, options: SummaryOptions): LogSummary {
  // Distinct sources per port, day, protocol and interface: each source lists each once.
  const table = state.sources;
  const portCounts = new Float64Array(PORT_KEYS);
  for (const k of table.ports.values) portCounts[k]!++;
  const daySources = new Map<number, number>();
  for (const d of table.days.values) daySources.set(d, (daySources.get(d) ?? 0) + 1);
  const countNames = (ids: Int32Array, names: string[]): Map<string, number> => {
    const counts = new Float64Array(names.length);
    for (const id of ids) counts[id]!++;
    return new Map(names.map((n, id) => [n, counts[id]!]));
  };
  const protoSources = countNames(table.protocols.values, table.protocolNames);
  const ifaceSources = countNames(table.interfaces.values, table.interfaceNames);
  // Every report object is built with its keys in sorted order: the JSON renderer then writes it as it is (logs-json.ts).
  const times = new IsoTimes();

  const days = [...state.days].sort((a, b) => a[0] - b[0]).map(([day, n]) => ({ attempts: n, date: iso(day * 86_400_000).slice(0, 10), sources: daySources.get(day) ?? 0 }));
  const hours =
    state.attempts > 0 && state.last - state.first < TWO_DAYS
      ? [...state.hours].sort((a, b) => a[0] - b[0]).map(([h, n]) => ({ attempts: n, hour: iso(h * 3_600_000).slice(0, 13) + ':00:00Z' }))
      : null;
  const ports: PortCount[] = [];
  const interfaceEntries = [...state.interfaces];
  for (let key = 0; key < state.ports.length; key++) {
    const n = state.ports[key]!;
    if (n === 0) continue;
    const { proto, port } = portOfKey(key);
    const interfaces: InterfaceShare[] = [];
    for (const [name, i] of interfaceEntries) {
      const m = i.ports.get(key);
      if (m) interfaces.push({ attempts: m, name });
    }
    if (interfaces.length > 1) interfaces.sort((a, b) => byAttempts(a, b) || byText(a.name, b.name));
    const tcp = proto === 'tcp' ? { other: n - state.tcpSyn[port]!, syn: state.tcpSyn[port]! } : null;
    ports.push({ attempts: n, interfaces, port, proto, service: serviceTag(proto, port), sources: portCounts[key]!, tcp });
  }
  ports.sort((a, b) => byAttempts(a, b) || a.port - b.port || a.proto.localeCompare(b.proto));
  const interfaces = interfaceEntries
    .map(([name, i]) => ({ attempts: i.attempts, name, ports: i.ports.size, sources: ifaceSources.get(name) ?? 0 }))
    .sort((a, b) => byAttempts(a, b) || byText(a.name, b.name));
  const protocols = [...state.protocols].map(([proto, n]) => ({ attempts: n, proto, sources: protoSources.get(proto) ?? 0 })).sort((a, b) => byAttempts(a, b) || a.proto.localeCompare(b.proto));

  const sources: SourceCount[] = [];
  const scanners: Scanner[] = [];
  const ifaceStart = table.interfaces.start;
  const ifaceIds = table.interfaces.values;
  for (let i = 0; i < table.addresses.length; i++) {
    const from = ifaceStart[i]!;
    const interfaces: string[] = new Array<string>(ifaceStart[i + 1]! - from);
    for (let k = 0; k < interfaces.length; k++) interfaces[k] = table.interfaceNames[ifaceIds[from + k]!]!;
    if (interfaces.length > 1) interfaces.sort(byText);
    const count: SourceCount = { address: compress(table.addresses[i]!), attempts: table.attempts[i]!, first: times.format(table.first[i]!), interfaces, last: times.format(table.last[i]!), ports: table.ports.start[i + 1]! - table.ports.start[i]! };
    sources.push(count);
    const detectedAt = table.detectedAt[i]!;
    if (Number.isNaN(detectedAt)) continue;
    scanners.push({ address: count.address, attempts: count.attempts, detectedAt: times.format(detectedAt), first: count.first, interfaces, last: count.last, ports: count.ports, tcp: { other: table.tcpOther[i]!, syn: table.tcpSyn[i]! } });
  }
  sources.sort((a, b) => b.attempts - a.attempts || byText(a.address, b.address));
  scanners.sort((a, b) => b.ports - a.ports || byText(a.detectedAt, b.detectedAt) || byText(a.address, b.address));

  let exposedHits: ExposedHit[] | null = null;
  if (options.exposure) {
    exposedHits = [];
    for (const e of options.exposure.ports) {
      const key = portKey(e.proto, e.port);
      if (key < 0 || !state.ports[key]) continue;
      exposedHits.push({ attempts: state.ports[key]!, exposure: e.exposure, port: e.port, proto: e.proto, service: e.service ?? serviceTag(e.proto, e.port), sources: portCounts[key]! });
    }
    exposedHits.sort((a, b) => EXPOSURES.indexOf(a.exposure) - EXPOSURES.indexOf(b.exposure) || byAttempts(a, b) || a.port - b.port);
  }

  return {
    format: 'portcullis-logs',
    version: 1,
    generatedAt: options.now.toISOString(),
    tool: { name: 'portcullis', version: options.toolVersion },
    inputs: options.inputs,
    lines: { ...state.lines },
    attempts: state.attempts,
    first: state.attempts > 0 ? iso(state.first) : null,
    last: state.attempts > 0 ? iso(state.last) : null,
    range: { since: options.since !== undefined ? iso(options.since) : null, until: options.until !== undefined ? iso(options.until) : null },
    scan: { ports: options.scan.ports, windowSeconds: options.scan.windowMs / 1000 },
    days,
    hours,
    ports,
    protocols,
    interfaces,
    sources,
    scanners,
    prefixes: [...state.prefixes].map(([prefix, lines]) => ({ lines, prefix })).sort((a, b) => b.lines - a.lines || a.prefix.localeCompare(b.prefix)),
    malformed: state.malformed,
    exposure: options.exposure ? { host: options.exposure.host } : null,
    exposedHits,
  };
}
