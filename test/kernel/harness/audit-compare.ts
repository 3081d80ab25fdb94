/**
 * The audit against the kernel: for every service and every probed source, the audit lists
 * the source (and on the link the client sits on) exactly when the kernel let that source
 * open at least one probed connection to the service. Two cases check one direction only:
 * - UDP is probed to the client's own link address only (a wildcard UDP socket answers from
 *   the address routing picks), while the audit's sources are the union over every address
 *   of the host: "connected ⇒ listed";
 * - a link-scoped service lists on-link sources only: "listed ⇒ connected".
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cidrsToSet, parseAddr } from '../../../src/model/addr.js';
import * as I from '../../../src/model/interval-set.js';
import { runAsync } from './exec.js';
import type { Flow } from './flows.js';
import type { ProbeAnswer } from './compare.js';
import { PORTCULLIS_BIN, portcullisPredictor, type Predictor } from './scenario.js';

interface AuditService {
  proto: string;
  port: number;
  address: string;
  family: 'ipv4' | 'ipv6';
  dualStack: boolean;
  exposure: string;
  sources: { ipv4: string[]; ipv6: string[] };
  interfaces?: Array<{ name: string; sources: { ipv4: string[]; ipv6: string[] } }>;
  linkScoped?: string[];
}

export interface AuditCheck {
  services: AuditService[];
  disagree: string[];
  /** (service, source) pairs compared. */
  pairs: number;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

function bare(addr: string): string {
  return addr.includes('%') ? addr.slice(0, addr.indexOf('%')) : addr;
}

function familyOf(addr: string): 'ipv4' | 'ipv6' {
  return bare(addr).includes(':') ? 'ipv6' : 'ipv4';
}

/** The service whose socket takes this flow (bind address, dual stack). */
function serviceFor(services: AuditService[], f: Flow): AuditService | undefined {
  const fam = familyOf(f.to);
  return services.find((s) => {
    if (s.proto !== f.proto || s.port !== f.port || s.interfaces === undefined && s.sources === undefined) return false;
    if (s.family === fam) return WILDCARD.has(s.address) || s.address === bare(f.to);
    return fam === 'ipv4' && s.dualStack;
  });
}

function listed(cidrs: string[], addr: string): boolean {
  const a = parseAddr(bare(addr));
  if (!a) return false;
  return I.contains(cidrsToSet(cidrs, a.family) as I.IntervalSet<I.Ordinal>, a.value);
}

/** Compares an audit report with the probes; `linkOf` names the server interface of a source. */
export function compareAudit(services: AuditService[], flows: Flow[], probes: ProbeAnswer[], linkOf: (from: string) => string): AuditCheck {
  const groups = new Map<string, { svc: AuditService; from: string; open: boolean }>();
  flows.forEach((f, i) => {
    const svc = serviceFor(services, f);
    if (!svc) return;
    const k = `${services.indexOf(svc)} ${bare(f.from)}`;
    const g = groups.get(k) ?? { svc, from: f.from, open: false };
    g.open ||= probes[i]!.result === 'open';
    groups.set(k, g);
  });
  const disagree: string[] = [];
  for (const { svc, from, open } of groups.values()) {
    const fam = familyOf(from);
    const link = linkOf(from);
    const onLink = svc.interfaces?.find((x) => x.name === link);
    const inUnion = listed(svc.sources[fam], from);
    const inLink = onLink !== undefined && listed(onLink.sources[fam], from);
    const name = `${svc.proto}/${svc.port} on ${svc.address} from ${from}`;
    if (svc.interfaces === undefined) disagree.push(`${name}: the audit lists no interfaces`);
    else if (inUnion !== inLink) disagree.push(`${name}: in sources ${inUnion}, under ${link} ${inLink}`);
    else if (svc.linkScoped?.includes(fam)) {
      if (inUnion && !open) disagree.push(`${name}: listed (link-scoped), kernel did not connect`);
    } else if (svc.proto === 'udp') {
      if (open && !inUnion) disagree.push(`${name}: kernel connected, audit does not list it`);
    } else if (inUnion !== open) disagree.push(`${name}: audit ${inUnion ? 'lists it' : 'does not list it'}, kernel ${open ? 'connected' : 'did not connect'}`);
  }
  return { services, disagree, pairs: groups.size };
}

/**
 * `explain --flows` as usual, plus `audit --format json` on the same snapshot compared with
 * the probes (written before prediction); the result goes to `sink`.
 */
export function auditingPredictor(linkOf: (from: string) => string, sink: (c: AuditCheck) => void): Predictor {
  return async (flows, ctx) => {
    const answers = await portcullisPredictor(flows, ctx);
    const audit = await runAsync([process.execPath, PORTCULLIS_BIN, 'audit', '--snapshot', join(ctx.dir, 'snapshot.json'), '--format', 'json']);
    if (audit.code !== 0 && audit.code !== 1) throw new Error(`portcullis audit failed (exit ${audit.code}):\n${audit.stderr}`);
    const report = JSON.parse(audit.stdout) as { hosts: Array<{ services: AuditService[] }> };
    const probes = readFileSync(join(ctx.dir, 'probes.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ProbeAnswer);
    sink(compareAudit(report.hosts[0]!.services, flows, probes, linkOf));
    return answers;
  };
}
