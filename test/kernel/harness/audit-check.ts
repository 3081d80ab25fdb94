/**
 * The audit must agree too: a predictor that answers with `explain --flows` (compared with
 * the kernel by the harness) and also runs `portcullis audit --format json` on the same
 * snapshot, then checks, for every flow, that the audit lists the flow's source among the
 * sources of the service it enters by exactly when explain says the flow is open to a local
 * listener or forwarded. Explain agrees with the kernel, so the audit does as well.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { runAsync } from './exec.js';
import { type Predictor, PORTCULLIS_BIN, portcullisPredictor } from './scenario.js';
import type { Flow } from './flows.js';
import type { EngineAnswer } from './compare.js';

interface AuditService {
  proto: string;
  port: number;
  address: string;
  path: { kind: 'local' | 'redirect' | 'forward'; hostPorts?: string };
  sources: { ipv4: string[]; ipv6: string[] };
  laterConnections?: string[];
}

/** Ports a client connects to for this service: the listener's, or the published/redirected ones. */
function entryPorts(s: AuditService): number[] {
  if (s.path.kind === 'local' || s.path.hostPorts === undefined) return [s.port];
  const out: number[] = [];
  for (const part of s.path.hostPorts.split(',')) {
    const [lo, hi] = part.split('-').map(Number);
    for (let p = lo!; p <= (hi ?? lo!); p++) out.push(p);
  }
  return out;
}

function addressMatches(s: AuditService, to: string): boolean {
  if (s.path.kind !== 'local') return true;
  return ['*', '::', '0.0.0.0'].includes(s.address) || ipaddr.parse(s.address).toString() === ipaddr.parse(to).toString();
}

function listed(s: AuditService, from: string): boolean {
  const a = ipaddr.parse(from);
  const list = a.kind() === 'ipv4' ? s.sources.ipv4 : s.sources.ipv6;
  return list.some((c) => {
    const [net, len] = ipaddr.parseCIDR(c.includes('/') ? c : `${c}/${a.kind() === 'ipv4' ? 32 : 128}`);
    return net.kind() === a.kind() && a.match(net, len);
  });
}

/**
 * Flows whose audit reading disagrees with explain's answers, as readable lines. The audit
 * reports per service, over every address of the host: a flow explain finds open must have
 * its source listed; a listed source must have an open flow wherever the flows of that
 * source and port cover every server address of its family (else it may enter by another).
 */
export function auditDisagreements(services: AuditService[], flows: Flow[], answers: EngineAnswer[]): string[] {
  const out: string[] = [];
  const family = (a: string) => ipaddr.parse(a).kind();
  const serverAddrs = new Map<string, Set<string>>();
  for (const f of flows) serverAddrs.set(family(f.to), new Set([...(serverAddrs.get(family(f.to)) ?? []), f.to]));
  const groups = new Map<string, { flows: Flow[]; answers: EngineAnswer[] }>();
  flows.forEach((f, i) => {
    const k = `${f.proto}|${f.port}|${f.from}`;
    const g = groups.get(k) ?? { flows: [], answers: [] };
    g.flows.push(f);
    g.answers.push(answers[i]!);
    groups.set(k, g);
  });
  for (const g of groups.values()) {
    const f0 = g.flows[0]!;
    const covering = [...serverAddrs.get(family(f0.from))!].every((a) => g.flows.some((f) => f.to === a));
    g.flows.forEach((f, i) => {
      const a = g.answers[i]!;
      if (a.state !== 'open') return;
      const candidates = services.filter((s) => s.proto === f.proto && entryPorts(s).includes(f.port) && addressMatches(s, f.to));
      if (!candidates.some((s) => listed(s, f.from))) out.push(`${f.proto} ${f.from} -> ${f.to}:${f.port}: explain open, audit does not list the source`);
    });
    if (!covering) continue;
    const anyOpen = g.answers.some((a) => a.state === 'open');
    const wildcard = services.filter((s) => s.proto === f0.proto && entryPorts(s).includes(f0.port) && (s.path.kind !== 'local' || ['*', '::', '0.0.0.0'].includes(s.address)));
    if (!anyOpen && wildcard.some((s) => listed(s, f0.from))) out.push(`${f0.proto} ${f0.from} -> every server address:${f0.port}: explain filtered or closed everywhere, audit lists the source`);
  }
  return out;
}

/**
 * {@link portcullisPredictor} plus the audit check; throws (failing the scenario) on any
 * disagreement but those `knownGap` names (each with its reason in the caller).
 */
export function auditCheckingPredictor(onServices?: (services: AuditService[]) => void, knownGap?: (line: string) => boolean): Predictor {
  return async (flows, ctx) => {
    const answers = await portcullisPredictor(flows, ctx);
    const snap = join(ctx.dir, 'snapshot.json');
    const out = join(ctx.dir, 'audit.json');
    const r = await runAsync([process.execPath, PORTCULLIS_BIN, 'audit', '--snapshot', snap, '--format', 'json', '--out', out]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`portcullis audit failed (exit ${r.code}):\n${r.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { hosts: Array<{ services: AuditService[] }> };
    const services = report.hosts.flatMap((h) => h.services);
    const bad = auditDisagreements(services, flows, answers).filter((l) => !knownGap?.(l));
    if (bad.length > 0) throw new Error(`audit disagrees with explain (and so with the kernel) on ${bad.length} flows:\n${bad.slice(0, 20).join('\n')}`);
    onServices?.(services);
    return answers;
  };
}
