import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/analyze/checks/index.js';
import { buildAuditSarif, renderAuditSarif } from '../../src/render/index.js';
import { report, sarifValidator } from './load.js';

describe('renderAuditSarif', () => {
  const r = report();
  const log = JSON.parse(renderAuditSarif(r, CHECKS)) as Log;
  const run = log.runs[0]!;
  const byId = (id: string): Result => run.results!.find((x) => x.partialFingerprints?.['portcullisFindingId/v1'] === id)!;

  it('validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator does reject a broken log (it is not vacuous)', () => {
    const validate = sarifValidator();
    const bad = structuredClone(log);
    (bad.runs[0]!.results![0] as { level: string }).level = 'critical';
    expect(validate(bad)).toBe(false);
    expect(validate({ version: '2.1.0' })).toBe(false);
  });

  it('has one run whose rules are the check catalog, plus any rule a finding names outside it', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const ids = run.tool.driver.rules!.map((x) => x.id);
    expect(ids.slice(0, CHECKS.length)).toEqual(CHECKS.map((c) => c.id));
    const outside = [...new Set(r.findings.map((f) => f.rule).filter((id) => !CHECKS.some((c) => c.id === id)))];
    expect(ids.slice(CHECKS.length).sort()).toEqual(outside.sort());
    const ds = run.tool.driver.rules!.find((x) => x.id === 'exposed-datastore')!;
    expect(ds.defaultConfiguration?.level).toBe('error');
    expect(ds.help?.text).toBeTruthy();
  });

  it('gives every finding a result pointing at its rule, with the level of its severity', () => {
    expect(run.results).toHaveLength(r.findings.length);
    const level = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' } as const;
    for (const f of r.findings) {
      const res = byId(f.id);
      expect(res.ruleId).toBe(f.rule);
      expect(run.tool.driver.rules![res.ruleIndex!]!.id).toBe(f.rule);
      expect(res.level).toBe(level[f.severity]);
      expect(res.message.text).toContain(f.title);
      expect(res.properties).toMatchObject({ host: f.host, service: f.service ? `${f.service.proto}/${f.service.port}` : null });
    }
  });

  it('locates a finding logically (host, service) and physically at the deciding rule', () => {
    const res = byId('exposed-datastore:web-1:tcp/6379');
    const loc = res.locations![0]!;
    expect(loc.logicalLocations!.map((l) => l.fullyQualifiedName)).toEqual(['web-1', 'web-1/tcp/6379']);
    expect(loc.physicalLocation!.artifactLocation!.uri).toBe('snapshot.json#firewall%5B0%5D');
    expect(loc.physicalLocation!.region!.startLine).toBe(67);
    expect(res.properties!['exposure']).toBe('world');
  });

  it('uses the service decisions when the finding has none, and related locations for the rest', () => {
    // The finding names no rule; its service (ssh, 4 deciding rules) does.
    const withService = buildAuditSarif({ ...r, findings: [{ ...r.findings.find((f) => f.id === 'exposed-admin-service:web-1:tcp/22')! }] }, CHECKS);
    const res = withService.runs[0]!.results![0]!;
    expect(res.locations![0]!.physicalLocation!.region!.startLine).toBe(61);
    expect(res.relatedLocations!.map((l) => l.physicalLocation!.region!.startLine)).toEqual([62, 63, 58]);
  });

  it('gives no physical location when the deciding rule has no line (nft JSON path)', () => {
    const res = byId('exposed-admin-service:db-2:tcp/22');
    expect(res.locations![0]!.physicalLocation).toBeUndefined();
    const hostWide = byId('kernel-hardening:web-1').locations!;
    expect(hostWide).toEqual([{ logicalLocations: [{ name: 'web-1', fullyQualifiedName: 'web-1', kind: 'module' }] }]);
  });

  it('carries a suppressed finding as an external, accepted suppression', () => {
    const res = byId('exposed-admin-service:web-1:tcp/22');
    expect(res.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'bastion network, reviewed by ops (TICKET-142) (until 2027-03-01)' }]);
  });
});
