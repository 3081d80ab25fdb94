import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, loadAnalysis } from '../../../test/fixtures/analysis/load.js';
import { capEvidenceSources, MAX_EVIDENCE_PREFIXES } from './cap-evidence.js';
import { buildAuditReport } from './index.js';
import type { Finding } from './types.js';

const v4 = (n: number): string[] => Array.from({ length: n }, (_, i) => `${i < 256 ? '198.51.100' : '203.0.113'}.${i % 256}/32`);
const v6 = (n: number): string[] => Array.from({ length: n }, (_, i) => `2001:db8::${(i + 1).toString(16)}/128`);

function finding(sources: Finding['evidence']['sources'], sourcesOmitted?: Finding['evidence']['sourcesOmitted']): Finding {
  const evidence: Finding['evidence'] = { facts: [] };
  if (sources) evidence.sources = sources;
  if (sourcesOmitted) evidence.sourcesOmitted = sourcesOmitted;
  return { id: 'x:h:tcp/22', rule: 'x', severity: 'high', host: 'h', service: { proto: 'tcp', port: 22 }, title: 't', evidence, remediation: { summary: 's', commands: [] } };
}

describe('capEvidenceSources', () => {
  it('lists the first 100 of 150 prefixes and counts the other 50; the service keeps its list', () => {
    const service = { ipv4: v4(150), ipv6: ['::/0'] };
    const f = finding(service);
    capEvidenceSources([f]);
    expect(MAX_EVIDENCE_PREFIXES).toBe(100);
    expect(f.evidence.sources).toEqual({ ipv4: v4(100), ipv6: ['::/0'] });
    expect(f.evidence.sourcesOmitted).toEqual({ ipv4: 50, ipv6: 0 });
    expect(service.ipv4).toHaveLength(150);
  });

  it('adds what the service had already left out', () => {
    const f = finding({ ipv4: v4(10), ipv6: v6(130) }, { ipv4: 0, ipv6: 9_000 });
    capEvidenceSources([f]);
    expect(f.evidence.sources!.ipv6).toEqual(v6(100));
    expect(f.evidence.sourcesOmitted).toEqual({ ipv4: 0, ipv6: 9_030 });
  });

  it('leaves lists of at most 100 prefixes, and findings without sources, as they are', () => {
    const lists = { ipv4: v4(100), ipv6: v6(100) };
    const short = finding(lists);
    const none = finding(undefined);
    capEvidenceSources([short, none]);
    expect(short.evidence.sources).toBe(lists);
    expect(short.evidence).not.toHaveProperty('sourcesOmitted');
    expect(none.evidence).toEqual({ facts: [] });
  });
});

describe('the audit report caps evidence after the IPv4 and IPv6 findings of a port merge', () => {
  // redis-world's Redis listens on 0.0.0.0:6379; here also on [::]:6379, and both lists grow
  // past 100 prefixes (still the world: the added ones lie inside the listed ranges).
  const analysis = loadAnalysis('redis-world');
  const redis4 = analysis.services.find((s) => s.port === 6379)!;
  redis4.sources.ipv4.push(...v4(150));
  redis4.sourcesOmitted = { ipv4: 7, ipv6: 0 };
  const redis6 = { ...structuredClone(redis4), family: 'ipv6' as const, address: '::', sources: { ipv4: [], ipv6: ['::/1', '8000::/1', ...v6(120)] } };
  delete redis6.sourcesOmitted;
  analysis.services.push(redis6);
  const n4 = redis4.sources.ipv4.length;
  const report = buildAuditReport([analysis], null, FIXTURE_NOW);
  const f = report.findings.find((x) => x.id === 'exposed-datastore:cache-7:tcp/6379')!;

  it('lists 100 prefixes per family and counts the rest of both sockets', () => {
    expect(f.evidence.sources!.ipv4).toEqual(redis4.sources.ipv4.slice(0, 100));
    expect(f.evidence.sources!.ipv6).toEqual(['::/1', '8000::/1', ...v6(98)]);
    expect(f.evidence.sourcesOmitted).toEqual({ ipv4: n4 - 100 + 7, ipv6: 22 });
  });

  it('keeps the complete lists in the host services of that port', () => {
    const services = report.hosts[0]!.services.filter((s) => s.port === 6379);
    expect(services.map((s) => [s.sources.ipv4.length, s.sources.ipv6.length])).toEqual([
      [n4, 0],
      [0, 122],
    ]);
  });

  it("counts the service's left-out ranges in the exposure fact too", () => {
    expect(f.evidence.facts).toContain(`reachable from 0.0.0.0/2, 64.0.0.0/3, 96.0.0.0/4, 112.0.0.0/5 and ${n4 - 4 + 7} more (world: IPv4 world, IPv6 closed)`);
  });
});
