/**
 * SARIF locations of a finding: logical (host, then service) always; physical where a
 * deciding rule has an origin file and line.
 *
 * @module
 */
import type { Location, PhysicalLocation } from 'sarif';
import type { AuditReport, Finding } from '../../analyze/audit/types.js';
import type { CloudRuleRef } from '../../analyze/cloud-path/types.js';
import type { Decision } from '../../analyze/types.js';
import { ruleRefLabel } from '../common/describe.js';
import { serviceKey } from '../common/order.js';

/** The deciding rules of a finding: its own evidence, else those of its service. */
export function decisionsOf(report: AuditReport, f: Finding): Decision[] {
  if (f.evidence.decisions && f.evidence.decisions.length > 0) return f.evidence.decisions;
  if (f.service === null) return [];
  const host = report.hosts.find((h) => h.name === f.host);
  const key = serviceKey(f.service);
  return host?.services.find((s) => serviceKey(s) === key)?.decisions ?? [];
}

/**
 * A file origin as a URI reference. Origins inside a snapshot read "snapshot.json#firewall[0]":
 * the part after # names the embedded dump, kept as the fragment; brackets and spaces are
 * percent-encoded (RFC 3986 allows neither in a fragment).
 */
export function originUri(file: string): string {
  const hash = file.indexOf('#');
  const enc = (s: string): string => encodeURI(s).replace(/#/g, '%23');
  return hash < 0 ? enc(file) : `${enc(file.slice(0, hash))}#${enc(file.slice(hash + 1))}`;
}

function physical(d: Decision): PhysicalLocation | null {
  const o = d.rule.origin;
  if (!o || o.line === undefined) return null;
  return {
    artifactLocation: { uri: originUri(o.file), description: { text: `${ruleRefLabel(d.rule)} (${d.rule.backend}, ${d.rule.family})` } },
    region: { startLine: o.line, snippet: { text: d.rule.text } },
  };
}

/** A cloud rule where its input says: the plan file and line for Terraform, the export file otherwise (no line: no region). */
function cloudPhysical(r: CloudRuleRef): PhysicalLocation | null {
  const o = r.origin;
  if (!o) return null;
  const description = { text: `${r.id} ${r.rule}${o.resource ? ` (${o.resource})` : ''}${o.path ? ` at ${o.path}` : ''}` };
  const p: PhysicalLocation = { artifactLocation: { uri: originUri(o.file), description } };
  if (o.line !== undefined) p.region = { startLine: o.line, snippet: { text: r.text } };
  return p;
}

/** The primary location and the other deciding rules as related locations. */
export function findingLocations(report: AuditReport, f: Finding): { locations: Location[]; related: Location[] } {
  const logicalLocations: NonNullable<Location['logicalLocations']> = [{ name: f.host, fullyQualifiedName: f.host, kind: 'module' }];
  if (f.service) {
    const key = serviceKey(f.service);
    logicalLocations.push({ name: key, fullyQualifiedName: `${f.host}/${key}`, kind: 'resource' });
  }
  // Cloud findings from a Terraform plan: the resources that declare the deciding rules, by address.
  const cloudRules = f.evidence.cloudRules ?? [];
  for (const address of new Set(cloudRules.flatMap((r) => (r.origin?.resource ? [r.origin.resource] : [])))) {
    logicalLocations.push({ name: address, fullyQualifiedName: address, kind: 'resource' });
  }
  const located = [
    ...decisionsOf(report, f)
      .map((d) => ({ label: ruleRefLabel(d.rule), p: physical(d) }))
      .filter((x): x is { label: string; p: PhysicalLocation } => x.p !== null),
    ...cloudRules.map((r) => ({ label: `${r.id} ${r.rule}`, p: cloudPhysical(r) })).filter((x): x is { label: string; p: PhysicalLocation } => x.p !== null),
  ];
  const primary: Location = { logicalLocations };
  if (located[0]) primary.physicalLocation = located[0].p;
  const related = located.slice(1).map((x, i) => ({ id: i + 1, physicalLocation: x.p, message: { text: `also decides: ${x.label}` } }));
  return { locations: [primary], related };
}
