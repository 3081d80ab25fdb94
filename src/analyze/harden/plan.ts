/**
 * Policy + the host's listeners → {@link HardenPlan}. Pure: the same analysis and policy
 * always give the same plan. Each listening port is opened to the policy's sources (public:
 * everyone; `allow`: its `from` lists), per family the listener takes; loopback-only
 * listeners need no rule; anything else stays closed and is listed.
 *
 * Refused (error diagnostics): a port both public (an explicit `public` entry) and in an
 * `allow` entry for this host; a single public port of an explicit entry with no listener.
 *
 * @module
 */
import { type Family, FAMILIES, cidrsToSet, parseAddr, toCidrs, blockSet, addrPointSet } from '../../model/addr.js';
import { type Diagnostic, type Location, type Parsed, formatLocation } from '../../model/diagnostics.js';
import { isSubset, union, type IntervalSet } from '../../model/interval-set.js';
import type { AllowEntry, ConnectionLimit, Policy } from '../../model/policy.js';
import { identifyService } from '../catalog/index.js';
import { DEFAULT_PUBLIC_PORTS, formatPortRange, globMatches, portInRanges } from '../audit/policy-view.js';
import type { HostAnalysis, ServiceReach, SourceLists } from '../types.js';
import type { HardenPlan, PlannedService, PolicyRef, UnopenedListener } from './types.js';

export const DEFAULT_ADMIN_RATE_LIMIT: ConnectionLimit = { connections: 6, seconds: 30 };
/** Linux's default `net.ipv4.ip_local_port_range`. */
export const DEFAULT_EPHEMERAL_PORTS = { from: 32768, to: 60999 };
/** Short enough for iptables' LOG (29 characters); no ALLOW/ACCEPT word, so `logs` counts it as a drop. */
export const HARDEN_LOG_PREFIX = '[portcullis drop] ';

const WORLD: SourceLists = { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] };
const LOOPBACK = { ipv4: blockSet('ipv4', ['loopback']), ipv6: blockSet('ipv6', ['loopback']) };

export function isLoopbackAddress(text: string): boolean {
  const a = parseAddr(text);
  return a !== null && isSubset(addrPointSet(a) as IntervalSet<number>, LOOPBACK[a.family] as IntervalSet<number>);
}

function familiesOf(sockets: readonly ServiceReach[]): Family[] {
  const out = new Set<Family>();
  for (const s of sockets) {
    out.add(s.family);
    if (s.dualStack) out.add('ipv4');
  }
  return FAMILIES.filter((f) => out.has(f));
}

/** Minimal CIDR lists of the given families (empty lists for the others). */
function normalise(lists: SourceLists, families: readonly Family[]): SourceLists {
  const out: SourceLists = { ipv4: [], ipv6: [] };
  for (const f of families) out[f] = toCidrs(cidrsToSet(lists[f], f), f);
  return out;
}

function mergeLists(a: SourceLists, b: SourceLists): SourceLists {
  const out: SourceLists = { ipv4: [], ipv6: [] };
  for (const f of FAMILIES) out[f] = toCidrs(union(cidrsToSet(a[f], f) as IntervalSet<number>, cidrsToSet(b[f], f) as IntervalSet<number>) as never, f);
  return out;
}

function where(location: Location | undefined): string {
  const text = formatLocation(location);
  return text ? ` (${text})` : '';
}

function allowRef(entry: AllowEntry, index: number): PolicyRef {
  const ref: PolicyRef = { kind: 'allow', index, text: `allow[${index}] from ${entry.from.names.join(', ')}${where(entry.location)}` };
  if (entry.location) ref.location = entry.location;
  return ref;
}

interface Group {
  proto: 'tcp' | 'udp';
  port: number;
  path: 'local' | 'forward';
  sockets: ServiceReach[];
}

function groupListeners(services: readonly ServiceReach[]): Group[] {
  const groups = new Map<string, Group>();
  for (const s of services) {
    const path = s.path.kind === 'forward' ? 'forward' : 'local';
    const key = `${s.proto}/${s.port}/${path}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { proto: s.proto, port: s.port, path, sockets: [] }));
    g.sockets.push(s);
  }
  return [...groups.values()].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto) || a.path.localeCompare(b.path));
}

function isAdmin(g: Group, policy: Policy | null): boolean {
  const listed = policy?.harden?.adminPorts ?? null;
  if (listed !== null) return portInRanges(listed, g.proto, g.port);
  const process = g.sockets.find((s) => s.process)?.process ?? null;
  return identifyService(g.proto, g.port, process).risks.some((r) => r.class === 'remote-admin');
}

function ephemeralRange(analysis: HostAnalysis, policy: Policy | null): { from: number; to: number } {
  const fromPolicy = policy?.harden?.ephemeralPorts;
  if (fromPolicy) return fromPolicy;
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(analysis.sysctls?.['net.ipv4.ip_local_port_range'] ?? '');
  return m ? { from: Number(m[1]), to: Number(m[2]) } : DEFAULT_EPHEMERAL_PORTS;
}

/** Build the plan; `value` is null when the policy cannot be applied to this host (see the diagnostics). */
export function planHarden(analysis: HostAnalysis, policy: Policy | null): Parsed<HardenPlan | null> {
  const host = analysis.name;
  const diagnostics: Diagnostic[] = [];
  const explicitPublic = (policy?.publicPorts ?? []).map((p, index) => ({ p, index })).filter(({ p }) => p.hosts.some((g) => globMatches(g, host)));
  const allows = (policy?.allow ?? []).map((a, index) => ({ a, index })).filter(({ a }) => a.hosts.some((g) => globMatches(g, host)));
  const groups = groupListeners(analysis.services);

  const publicRef = (proto: 'tcp' | 'udp', port: number): PolicyRef | null => {
    if (explicitPublic.length === 0) {
      return portInRanges(DEFAULT_PUBLIC_PORTS, proto, port) ? { kind: 'default-public', index: null, text: `the default public ports (${DEFAULT_PUBLIC_PORTS.map(formatPortRange).join(', ')}; the policy has no public entry for ${host})` } : null;
    }
    const hit = explicitPublic.find(({ p }) => portInRanges(p.ports, proto, port));
    if (!hit) return null;
    const ref: PolicyRef = { kind: 'public', index: hit.index, text: `public[${hit.index}]${where(hit.p.location)}` };
    if (hit.p.location) ref.location = hit.p.location;
    return ref;
  };

  const open: PlannedService[] = [];
  const closed: UnopenedListener[] = [];
  const loopbackOnly: UnopenedListener[] = [];
  for (const g of groups) {
    const process = g.sockets.find((s) => s.process)?.process ?? null;
    const listener: UnopenedListener = {
      proto: g.proto,
      port: g.port,
      addresses: [...new Set(g.sockets.map((s) => s.address))].sort(),
      process: process?.name ?? null,
      service: identifyService(g.proto, g.port, process).name,
      path: g.path,
    };
    if (g.path === 'local' && g.sockets.every((s) => isLoopbackAddress(s.address))) {
      loopbackOnly.push(listener);
      continue;
    }
    const families = familiesOf(g.sockets);
    const pub = publicRef(g.proto, g.port);
    const allowed = allows.filter(({ a }) => portInRanges(a.ports, g.proto, g.port));
    if (pub && pub.kind === 'public' && allowed.length > 0) {
      const first = allowed[0]!;
      const d: Diagnostic = {
        code: 'harden.contradiction',
        severity: 'error',
        message: `${g.port}/${g.proto} is public (${pub.text}) and also allowed only from named sources (${allowRef(first.a, first.index).text}) on ${host}`,
        expected: 'each port either in public (open to all) or in allow (open to the listed sources), not both',
      };
      if (first.a.location) d.location = first.a.location;
      diagnostics.push(d);
      continue;
    }
    let sources: SourceLists;
    let because: PolicyRef;
    if (allowed.length > 0) {
      // An allow entry is explicit: it narrows even the default public ports.
      sources = allowed.reduce<SourceLists>((acc, { a }) => mergeLists(acc, a.from), { ipv4: [], ipv6: [] });
      because = allowed.length === 1 ? allowRef(allowed[0]!.a, allowed[0]!.index) : { ...allowRef(allowed[0]!.a, allowed[0]!.index), text: allowed.map(({ a, index }) => allowRef(a, index).text).join('; ') };
    } else if (pub) {
      sources = WORLD;
      because = pub;
    } else {
      closed.push(listener);
      continue;
    }
    const planned: PlannedService = {
      proto: g.proto,
      port: g.port,
      service: listener.service,
      process: listener.process,
      path: g.path,
      families,
      sources: normalise(sources, families),
      public: allowed.length === 0,
      rateLimited: isAdmin(g, policy),
      because,
    };
    if (g.path === 'forward') {
      planned.targets = g.sockets.flatMap((s) => (s.path.kind === 'forward' ? (s.path.targets ?? [s.path.target]) : []));
    }
    open.push(planned);
  }

  for (const { p, index } of explicitPublic) {
    for (const r of p.ports) {
      if (r.from !== r.to || groups.some((g) => g.proto === r.proto && g.port === r.from)) continue;
      const d: Diagnostic = {
        code: 'harden.public-without-listener',
        severity: 'error',
        message: `public[${index}] opens ${formatPortRange(r)} on ${host}, but nothing listens there`,
        expected: 'public ports that a service of this host listens on (remove the port, or start the service first)',
        input: formatPortRange(r),
      };
      if (p.location) d.location = p.location;
      diagnostics.push(d);
    }
  }
  for (const { a, index } of allows) {
    for (const r of a.ports) {
      if (groups.some((g) => g.proto === r.proto && g.port >= r.from && g.port <= r.to)) continue;
      const d: Diagnostic = { code: 'harden.allow-without-listener', severity: 'warning', message: `allow[${index}]: nothing listens on ${formatPortRange(r)} on ${host}; no rule is written for it` };
      if (a.location) d.location = a.location;
      diagnostics.push(d);
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { value: null, diagnostics };

  const ephemeralPorts = ephemeralRange(analysis, policy);
  const reservedPorts = [...new Set(groups.filter((g) => g.path === 'local' && g.port >= ephemeralPorts.from && g.port <= ephemeralPorts.to).map((g) => g.port))].sort((a, b) => a - b);
  return {
    value: {
      format: 'portcullis-harden-plan',
      version: 1,
      host,
      policy: policy ? { file: policy.file } : null,
      open,
      closed,
      loopbackOnly,
      adminRateLimit: policy?.harden?.adminRateLimit ?? DEFAULT_ADMIN_RATE_LIMIT,
      ephemeralPorts,
      reservedPorts,
      logPrefix: HARDEN_LOG_PREFIX,
    },
    diagnostics,
  };
}

