/**
 * The pure half of the harden proof: the engine's answer for the host as it will be (the
 * new rules plus every table and backend that stays) against the plan's intent. Every
 * listener, per family: the sources that can open a connection must be exactly the intended
 * ones (`missing`: the policy wants them in, the rules keep them out; `extra`: the rules let
 * them in, the policy does not). Listeners the plan keeps closed must have no remote source.
 *
 * @module
 */
import { type AddrSet, type Family, FAMILIES, cidrsToSet, parseAddr, toCidrs, addrPointSet } from '../../model/addr.js';
import { intersect, isEmpty, isSubset, type IntervalSet } from '../../model/interval-set.js';
import { formatLocation } from '../../model/diagnostics.js';
import { minus, servesFamily, sourceSet } from '../audit/exposure.js';
import type { HostAnalysis, ServiceReach } from '../types.js';
import { isLoopbackAddress } from './plan.js';
import type { HardenPlan, PlannedService } from './types.js';

export interface ProofDifference {
  proto: 'tcp' | 'udp';
  port: number;
  /** Bind address of the socket ("0.0.0.0", "::", "*" for a published port). */
  address: string;
  path: 'local' | 'forward';
  family: Family;
  /** `missing`: intended but not reachable; `extra`: reachable but not intended. */
  kind: 'missing' | 'extra';
  sources: string[];
  /** What the plan says about this port: the policy entry, or "closed (not in the policy)". */
  intent: string;
}

type AnySet = IntervalSet<number>;

function pathOf(s: ServiceReach): 'local' | 'forward' {
  return s.path.kind === 'forward' ? 'forward' : 'local';
}

/**
 * Who could reach a socket with no firewall at all: the same host with empty rulesets. A
 * firewall cannot let in what routing keeps out (no route back to a source, an address the
 * socket does not take), so the intent is read within it.
 */
export interface Unfiltered {
  analysis: HostAnalysis;
  /** The port of a wildcard dual-stack TCP socket added for published ports (they have no socket of their own). */
  probePort: number;
}

function unfilteredSources(unfiltered: Unfiltered | null, s: ServiceReach, family: Family): AddrSet | null {
  if (!unfiltered) return null;
  const same = (o: ServiceReach) => o.proto === s.proto && o.port === s.port && o.address === s.address && o.family === s.family && pathOf(o) === 'local';
  const socket = (pathOf(s) === 'local' ? unfiltered.analysis.services.find(same) : undefined) ?? unfiltered.analysis.services.find((o) => o.proto === 'tcp' && o.port === unfiltered.probePort && o.address === '::');
  return socket ? sourceSet(socket.sources, family) : null;
}

function intended(planned: PlannedService | undefined, s: ServiceReach, family: Family, unfiltered: Unfiltered | null): AddrSet {
  if (!planned || !servesFamily(s, family) || isLoopbackAddress(s.address)) return [] as AddrSet;
  const want = cidrsToSet(planned.sources[family], family);
  const reachable = unfilteredSources(unfiltered, s, family);
  return reachable ? (intersect(want as AnySet, reachable as AnySet) as AddrSet) : want;
}

/** Every difference between what the rules admit and what the plan intends (empty: the proof holds). */
export function compareWithPlan(plan: HardenPlan, after: HostAnalysis, unfiltered: Unfiltered | null = null): ProofDifference[] {
  const out: ProofDifference[] = [];
  for (const s of after.services) {
    const path = pathOf(s);
    const planned = plan.open.find((p) => p.proto === s.proto && p.port === s.port && p.path === path);
    const intent = planned ? planned.because.text : 'closed (not in the policy)';
    for (const family of FAMILIES) {
      const want = intended(planned, s, family, unfiltered);
      const got = sourceSet(s.sources, family);
      const missing = minus(want, got);
      const extra = minus(got, want);
      if (!isEmpty(missing as AnySet)) out.push({ proto: s.proto, port: s.port, address: s.address, path, family, kind: 'missing', sources: toCidrs(missing, family), intent });
      if (!isEmpty(extra as AnySet)) out.push({ proto: s.proto, port: s.port, address: s.address, path, family, kind: 'extra', sources: toCidrs(extra, family), intent });
    }
  }
  return out;
}

/** The current SSH session as the lockout check needs it. */
export interface SessionEndpoint {
  client: string;
  server: string | null;
  serverPort: number;
}

export interface LockoutCheck {
  /** True when the session's client can still open a connection to the SSH port. */
  reachable: boolean;
  /** Why not, and the policy entry to add. */
  message?: string;
}

function covers(s: ServiceReach, server: string | null, family: Family): boolean {
  if (!servesFamily(s, family)) return false;
  if (server === null) return true;
  // A wildcard socket takes the session's server address; a bound one only its own.
  return s.address === '0.0.0.0' || s.address === '::' || s.address === '*' || s.address === server;
}

/**
 * Would the session's client still reach sshd after the change? `null` when the session is
 * not to this host (its server address is not one of the host's) or not over TCP to a
 * listener of the analysis: nothing to protect here.
 */
export function checkLockout(plan: HardenPlan, after: HostAnalysis, session: SessionEndpoint, hostAddresses: readonly string[]): LockoutCheck | null {
  const client = parseAddr(session.client);
  if (!client) return null;
  if (session.server !== null && !hostAddresses.includes(session.server)) return null;
  const family = client.family;
  const sockets = after.services.filter((s) => s.proto === 'tcp' && s.port === session.serverPort && pathOf(s) === 'local' && covers(s, session.server, family));
  if (sockets.length === 0) return null;
  const point = addrPointSet(client) as AnySet;
  if (sockets.some((s) => isSubset(point, sourceSet(s.sources, family) as AnySet))) return { reachable: true };
  const port = `${session.serverPort}/tcp`;
  const cidr = `${session.client}/${family === 'ipv4' ? 32 : 128}`;
  const entry = plan.open.find((p) => p.proto === 'tcp' && p.port === session.serverPort && p.path === 'local');
  const fix =
    entry && entry.because.kind === 'allow'
      ? `add ${cidr} (or a trusted list that holds it) to the from list of allow[${entry.because.index}]${entry.because.location ? ` (${formatLocation(entry.because.location)})` : ''}`
      : `add to the policy:\n  allow:\n    - hosts: ["${plan.host}"]\n      ports: [${port}]\n      from: [${cidr}]`;
  return {
    reachable: false,
    message: `the new rules would lock out this SSH session: ${session.client} could no longer reach ${port}${session.server ? ` on ${session.server}` : ''}; ${fix}`,
  };
}
