/**
 * Judging a probe: findings from what answered, the comparison with the engine's
 * prediction, and the report that renderers read.
 *
 * @module
 */
import type { ProbedPort, ProbeObservation } from '../../model/probe.js';
import { SEVERITIES, type Severity } from '../audit/types.js';
import { type FindingContext, probeFindings } from './findings.js';
import type { CollapsedPorts, ProbeComparison, ProbeReport, ProbeReportTarget } from './types.js';

export { comparePrediction, type ComparisonInput, type PredictQuery } from './compare.js';
export { passwordLike, probeFindings, type FindingContext } from './findings.js';
export type * from './types.js';

/** More ports than this in one state are counted, not listed (nmap collapses at 26). */
const COLLAPSE_OVER = 25;

function collapse(ports: readonly ProbedPort[]): { ports: ProbedPort[]; otherPorts: CollapsedPorts[] } {
  const counts = new Map<string, number>();
  for (const p of ports) if (p.state !== 'open') counts.set(`${p.proto} ${p.state}`, (counts.get(`${p.proto} ${p.state}`) ?? 0) + 1);
  const collapsed = new Set([...counts].filter(([, n]) => n > COLLAPSE_OVER).map(([k]) => k));
  return {
    ports: ports.filter((p) => !collapsed.has(`${p.proto} ${p.state}`)),
    otherPorts: [...collapsed].map((k) => {
      const [proto, state] = k.split(' ') as [CollapsedPorts['proto'], CollapsedPorts['state']];
      return { proto, state, count: counts.get(k)! };
    }),
  };
}

export interface ProbeReportInput {
  observation: ProbeObservation;
  comparison: ProbeComparison | null;
  context: FindingContext;
  now: Date;
  toolVersion: string;
}

export function buildProbeReport(input: ProbeReportInput): ProbeReport {
  const { observation, comparison, now } = input;
  const findings = probeFindings(observation, comparison?.disagreements ?? [], input.context, now).sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id),
  );
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) summary[f.severity]++;
  const targets: ProbeReportTarget[] = observation.targets.map((t) => ({ address: t.address, hostname: t.hostname, vantage: observation.vantage[t.address] ?? null, ...collapse(t.ports) }));
  return {
    format: 'portcullis-probe',
    version: 1,
    generatedAt: now.toISOString(),
    tool: { name: 'portcullis', version: input.toolVersion },
    origin: observation.origin,
    startedAt: observation.startedAt,
    finishedAt: observation.finishedAt,
    targets,
    comparison,
    findings,
    summary,
  };
}

/** Exit 1 when a finding is at or above the threshold. */
export function probeHasFindingsAtOrAbove(report: ProbeReport, threshold: Severity): boolean {
  const limit = SEVERITIES.indexOf(threshold);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
