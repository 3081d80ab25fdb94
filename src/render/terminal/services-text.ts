/**
 * The services table of one host, worst first, with a dim note line under a row when NAT,
 * a rate limit or an uncertain rule changes how the row should be read.
 *
 * @module
 */
import type { AuditedHost, AuditedService, Finding } from '../../analyze/audit/types.js';
import { addressLabel, natTarget, ruleRefLabel, serviceLabel } from '../common/describe.js';
import { sortServices, worstSeverityByService } from '../common/order.js';
import { printable } from '../common/printable.js';
import { interfaceSources, serviceSources } from '../common/sources.js';
import { serviceCloudNote } from '../common/cloud-path.js';
import type { Column } from './layout.js';
import { table, truncate } from './layout.js';
import type { Palette } from './colors.js';

const COLUMNS: Column[] = [
  { header: 'EXPOSURE', min: 8 },
  { header: 'PORT', min: 9 },
  // The service name gives way first: the sources are what the reader came for.
  { header: 'ADDRESS', min: 9, shrink: 2 },
  { header: 'SERVICE', min: 10, shrink: 3 },
  { header: 'SOURCES', min: 12, shrink: 1 },
];

/** Notes that change how a row reads: NAT, rate limits, uncertain rules. */
function rowNotes(s: AuditedService): string[] {
  const notes: string[] = [];
  const cloud = serviceCloudNote(s);
  if (cloud) notes.push(cloud);
  const nat = natTarget(s);
  if (nat) notes.push(nat);
  const ifaces = interfaceSources(s);
  if (ifaces !== null && s.exposure !== 'local' && s.exposure !== 'closed') notes.push(`in on ${printable(ifaces)}`);
  if (s.linkScoped && s.linkScoped.length > 0) notes.push('link-scoped destinations only: reachable from the link alone');
  if (s.rateLimited) notes.push('admitted under a rate/connection limit');
  for (const l of s.laterConnections ?? []) notes.push(printable(l));
  for (const u of s.uncertain) notes.push(`may match: ${printable(u.construct)} (${ruleRefLabel(u.rule)})`);
  return notes;
}

/** Below this many columns the table cannot keep its columns readable: one block per service. */
const NARROW = 64;

/** Narrow terminals: exposure, port and name on one line; address and sources under it. */
function stacked(services: AuditedService[], labels: string[], p: Palette, width: number): string[] {
  const out: string[] = [];
  services.forEach((s, i) => {
    const head = truncate(`${`${s.proto}/${s.port}`.padEnd(9)} ${labels[i]}`, width - 14);
    out.push(`  ${p.exposure(s.exposure, s.exposure.padEnd(11))} ${head}`);
    out.push(truncate(`    ${printable(addressLabel(s))} ← ${serviceSources(s, width - 8)}`, width));
    for (const note of rowNotes(s)) out.push(p.dim(truncate(`    ↳ ${note}`, width)));
  });
  return out;
}

/** Table lines for one host's services (indented by two spaces). */
export function renderServices(host: AuditedHost, findings: readonly Finding[], p: Palette, width: number): string[] {
  if (host.services.length === 0) return ['  No listening services found.'];
  const services = sortServices(host.services, worstSeverityByService(findings, host.name));
  const fixed = (labels: string[]): number =>
    2 + 11 + 2 + 9 + 2 + Math.max(7, ...services.map((s) => printable(addressLabel(s)).length)) + 2 + Math.max(7, ...labels.map((l) => l.length)) + 2;
  // Full labels ("Redis (redis-server)") when they fit beside 24 columns of sources, else the
  // shorter process name: a cut "Redis (redi…" helps nobody.
  let labels = services.map((s) => printable(serviceLabel(s)));
  if (width - fixed(labels) < 24) labels = services.map((s) => printable(s.process?.name ?? s.service.label));
  const budget = Math.max(24, width - fixed(labels));
  const rows = services.map((s, i) => [
    { text: s.exposure, style: (t: string) => p.exposure(s.exposure, t) },
    { text: `${s.proto}/${s.port}` },
    { text: printable(addressLabel(s)) },
    { text: labels[i]! },
    { text: serviceSources(s, budget) },
  ]);
  if (width < NARROW) return stacked(services, labels, p, width);
  const t = table(COLUMNS, rows, width, '  ', p.dim);
  const out = [t.head];
  const noteAt = t.starts[1]!;
  services.forEach((s, i) => {
    out.push(t.rows[i]!);
    for (const note of rowNotes(s)) out.push(p.dim(' '.repeat(noteAt) + truncate('↳ ' + note, width - noteAt)));
  });
  return out;
}
