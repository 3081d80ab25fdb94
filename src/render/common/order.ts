/**
 * One order for every renderer: worst exposure first, then the worst finding on the
 * service, then protocol and port, so the terminal, HTML and SARIF agree on "worst".
 *
 * @module
 */
import { EXPOSURES, SEVERITIES } from '../../analyze/audit/types.js';
import type { AuditedService, Exposure, Finding, Severity } from '../../analyze/audit/types.js';

/** 0 for the worst exposure ("world"), rising to "closed". */
export function exposureRank(e: Exposure): number {
  return EXPOSURES.indexOf(e);
}

/** 0 for "critical", rising to "info". */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Key that identifies a service within a host, as findings name it: "tcp/6379". */
export function serviceKey(s: { proto: string; port: number }): string {
  return `${s.proto}/${s.port}`;
}

/** The worst severity among the unsuppressed findings for each service of one host. */
export function worstSeverityByService(findings: readonly Finding[], host: string): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const f of findings) {
    if (f.host !== host || f.service === null || f.suppressed) continue;
    const key = serviceKey(f.service);
    const prev = out.get(key);
    if (prev === undefined || severityRank(f.severity) < severityRank(prev)) out.set(key, f.severity);
  }
  return out;
}

/** Services worst first (a new array). */
export function sortServices(services: readonly AuditedService[], worst: ReadonlyMap<string, Severity> = new Map()): AuditedService[] {
  const sevOf = (s: AuditedService): number => {
    const sev = worst.get(serviceKey(s));
    return sev === undefined ? SEVERITIES.length : severityRank(sev);
  };
  return [...services].sort(
    (a, b) =>
      exposureRank(a.exposure) - exposureRank(b.exposure) ||
      sevOf(a) - sevOf(b) ||
      a.proto.localeCompare(b.proto) ||
      a.port - b.port,
  );
}

/** Findings worst first; suppressed ones last; then host, then port (a new array). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(Boolean(a.suppressed)) - Number(Boolean(b.suppressed)) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      a.host.localeCompare(b.host) ||
      (a.service?.port ?? 0) - (b.service?.port ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
