/**
 * The audit against the kernel: for every probed flow, the audit report of the same snapshot
 * must list exactly one service admitting it (proto, port, the address the client connected
 * to, the client's address among its sources) when the kernel opened it, and none when the
 * kernel did not. Catches what per-flow `explain` cannot: a published port reported twice,
 * on the wrong port or on every address.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { cidrsToSet, parseAddr } from '../../../src/model/addr.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { contains, type IntervalSet, type Ordinal } from '../../../src/model/interval-set.js';
import type { AuditedService, AuditReport } from '../../../src/analyze/audit/types.js';
import type { ProbeAnswer } from './compare.js';
import { runAsync } from './exec.js';
import { PORTCULLIS_BIN } from './scenario.js';

const WILDCARDS = new Set(['*', '0.0.0.0', '::']);

function admits(s: AuditedService, p: ProbeAnswer): boolean {
  const from = parseAddr(p.from)!;
  const family = from.family;
  if (s.proto !== p.proto || s.port !== p.port) return false;
  if (s.family !== family && !(s.dualStack && family === 'ipv4')) return false;
  if (!WILDCARDS.has(s.address) && !s.address.split(',').includes(p.to)) return false;
  return contains(cidrsToSet(s.sources[family], family) as IntervalSet<Ordinal>, from.value);
}

/** `portcullis audit --format json` of the snapshot, checked against every probe; the disagreements as text. */
export async function auditDisagreements(snapshot: string, probes: readonly ProbeAnswer[]): Promise<string[]> {
  const r = await runAsync([process.execPath, PORTCULLIS_BIN, 'audit', '--snapshot', snapshot, '--format', 'json', '--fail-on', 'none']);
  if (r.code !== 0) throw new Error(`portcullis audit failed (exit ${r.code}):\n${r.stderr}`);
  const services = (JSON.parse(r.stdout) as AuditReport).hosts.flatMap((h) => h.services);
  // The audit lists the host's services: flows aimed past the host (at a container's own
  // address) are explain's alone.
  const snap = JSON.parse(readFileSync(snapshot, 'utf8')) as Snapshot;
  const hostAddrs = new Set((snap.interfaces ?? []).flatMap((i) => i.addresses.map((a) => a.address)));
  const out: string[] = [];
  for (const p of probes) {
    if (!hostAddrs.has(p.to)) continue;
    const matching = services.filter((s) => admits(s, p));
    const flow = `${p.proto} ${p.from} -> ${p.to}:${p.port}`;
    if (matching.length > 1) out.push(`${flow}: audit lists ${matching.length} services admitting it (${matching.map((s) => `${s.address}:${s.port} ${s.path.kind}`).join('; ')})`);
    else if (p.result === 'open' && matching.length === 0) out.push(`${flow}: kernel open, no audit service admits it`);
    else if (p.result !== 'open' && matching.length > 0) out.push(`${flow}: kernel ${p.result}, audit service ${matching[0]!.address}:${matching[0]!.port} admits it`);
  }
  return out;
}
