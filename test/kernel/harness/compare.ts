/**
 * What the kernel must show for an engine answer, and the agreement report.
 *
 * @module
 */
import type { Flow } from './flows.js';

export type ProbeResult = 'open' | 'refused' | 'unreachable' | 'timeout' | 'error';

/** The part of a FlowAnswer (src/analyze/types.ts) the comparison reads. */
export interface EngineAnswer extends Flow {
  state: 'open' | 'closed' | 'filtered';
  firewall: 'accept' | 'drop' | 'reject';
  rejectWith?: string;
  trace?: Array<{ hook: string; rule: { table: string; chain: string; position: number | null; text: string; backend?: string }; verdict: string }>;
  uncertain?: unknown[];
  notes?: string[];
}

export interface ProbeAnswer extends Flow {
  result: ProbeResult;
  code: string | null;
}

/** Reject types whose reply the client reads as "connection refused" (RST, port unreachable). */
const REFUSING_REJECTS = new Set(['tcp-reset', 'port-unreachable']);

/**
 * ICMP types the kernel reports to a connected UDP socket only with IP_RECVERR (Node cannot
 * set it): "soft" errors in icmp_err_convert / icmpv6_err_convert. The client sees silence.
 */
const UDP_SILENT_REJECTS = new Set(['net-unreachable', 'host-unreachable', 'no-route', 'addr-unreachable']);

/**
 * The probe result an engine answer predicts: open ⇔ open; closed ⇒ refused (RST / ICMP
 * port unreachable); filtered by drop ⇒ timeout; filtered by reject ⇒ refused for tcp-reset
 * and port-unreachable, unreachable for every other ICMP type (timeout for UDP and the soft
 * types above, which the kernel does not pass to the application).
 */
export function expectedProbe(a: EngineAnswer): ProbeResult {
  if (a.state === 'open') return 'open';
  if (a.state === 'closed') return 'refused';
  if (a.firewall === 'reject') {
    const type = a.rejectWith ?? 'port-unreachable';
    if (REFUSING_REJECTS.has(type)) return 'refused';
    return a.proto === 'udp' && UDP_SILENT_REJECTS.has(type) ? 'timeout' : 'unreachable';
  }
  return 'timeout';
}

export interface Disagreement {
  flow: Flow;
  expected: ProbeResult;
  got: ProbeResult;
  code: string | null;
  engine: string;
  lastRule: string;
}

export interface Agreement {
  scenario: string;
  flows: number;
  agree: number;
  disagree: Disagreement[];
  /** Probe result counts, to show the scenario exercised every outcome it meant to. */
  byResult: Record<string, number>;
  /** With `Scenario.audit`: flows the audit report disagrees with the kernel on. */
  audit?: string[];
}

const key = (f: Flow): string => `${f.proto} ${f.from} -> ${f.to}:${f.port}`;

/** Pairs answers and probes (same order) and counts agreement. */
export function compare(scenario: string, answers: EngineAnswer[], probes: ProbeAnswer[]): Agreement {
  if (answers.length !== probes.length) throw new Error(`${scenario}: ${answers.length} engine answers for ${probes.length} probes`);
  const out: Agreement = { scenario, flows: probes.length, agree: 0, disagree: [], byResult: {} };
  probes.forEach((p, i) => {
    const a = answers[i]!;
    if (key(a) !== key(p)) throw new Error(`${scenario}: answer ${i} is for ${key(a)}, probe for ${key(p)}`);
    out.byResult[p.result] = (out.byResult[p.result] ?? 0) + 1;
    const expected = expectedProbe(a);
    if (expected === p.result) {
      out.agree++;
      return;
    }
    const last = a.trace?.at(-1);
    out.disagree.push({
      flow: { from: p.from, to: p.to, port: p.port, proto: p.proto, ...(p.iface ? { iface: p.iface } : {}) },
      expected,
      got: p.result,
      code: p.code,
      engine: `${a.state}/${a.firewall}${a.rejectWith ? `(${a.rejectWith})` : ''}`,
      lastRule: last ? `${last.hook} ${last.rule.table}/${last.rule.chain}#${last.rule.position ?? 'policy'}: ${last.rule.text} → ${last.verdict}` : '(no trace)',
    });
  });
  return out;
}

/** Prints the agreement table and every disagreement. */
export function printAgreement(rows: Agreement[]): void {
  const lines = ['', 'scenario                                  flows  agree  disagree  probe results'];
  for (const r of rows) {
    const results = Object.entries(r.byResult).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`${r.scenario.padEnd(40)}  ${String(r.flows).padStart(5)}  ${String(r.agree).padStart(5)}  ${String(r.disagree.length).padStart(8)}  ${results}`);
  }
  for (const r of rows) {
    for (const d of r.disagree) {
      lines.push(`  ✗ ${r.scenario}: ${key(d.flow)}${d.flow.iface ? ` in ${d.flow.iface}` : ''}: engine ${d.engine} ⇒ ${d.expected}, kernel ${d.got}${d.code ? ` (${d.code})` : ''}; last rule ${d.lastRule}`);
    }
  }
  console.log(lines.join('\n'));
}
