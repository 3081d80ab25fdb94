import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_FIXTURES, FIXTURE_NOW, loadAnalysis, loadPolicy } from '../../../test/fixtures/analysis/load.js';
import { buildAuditReport, compareFindings, countBySeverity, hasFindingsAtOrAbove, policyDiagnostics } from './index.js';
import { SEVERITIES } from './types.js';

const golden = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/analysis/${name}.expected.json`, import.meta.url), 'utf8')) as { summary: unknown; findings: { id: string; severity: string }[] };

describe('buildAuditReport on the fixtures (goldens: test/fixtures/analysis/*.expected.json)', () => {
  it.each(ANALYSIS_FIXTURES)('%s', (name) => {
    const report = buildAuditReport([loadAnalysis(name)], null, FIXTURE_NOW);
    expect({ summary: report.summary, findings: report.findings.map((f) => ({ id: f.id, severity: f.severity })) }).toEqual(golden(name));
  });
});

describe('the report', () => {
  const report = buildAuditReport(ANALYSIS_FIXTURES.map(loadAnalysis), null, FIXTURE_NOW, { toolVersion: '1.2.3' });

  it('carries its header and one audited host per analysis', () => {
    expect(report).toMatchObject({ format: 'portcullis-audit', version: 1, generatedAt: '2026-11-21T09:00:00.000Z', tool: { name: 'portcullis', version: '1.2.3' }, policy: null });
    expect(report.hosts.map((h) => h.name)).toEqual(['ufw-web-1', 'docker-1', 'cache-7', 'old-box', 'i-0a1b2c3d4e5f00001']);
  });

  it('sorts findings worst first, then by host', () => {
    const sorted = [...report.findings].sort(compareFindings);
    expect(report.findings).toEqual(sorted);
    const ranks = report.findings.map((f) => SEVERITIES.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('finding ids are unique and stable', () => {
    const ids = report.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(buildAuditReport(ANALYSIS_FIXTURES.map(loadAnalysis), null, FIXTURE_NOW).findings.map((f) => f.id)).toEqual(ids);
  });

  it('every finding has evidence facts and a concrete remediation', () => {
    for (const f of report.findings) {
      expect(f.evidence.facts.length, f.id).toBeGreaterThan(0);
      expect(f.remediation.summary.length, f.id).toBeGreaterThan(10);
      expect(f.remediation.commands.length, f.id).toBeGreaterThan(0);
    }
  });

  it('service findings carry the exposure, the sources and the admitting rule', () => {
    const redis = report.findings.find((f) => f.id === 'exposed-datastore:docker-1:tcp/6379')!;
    expect(redis.evidence.exposure).toBe('world');
    expect(redis.evidence.sources!.ipv4.length).toBeGreaterThan(0);
    expect(redis.evidence.sources!.ipv6).toEqual(['::/1', '8000::/1']); // joined from the docker-proxy socket
    expect(redis.evidence.decisions!.map((d) => d.rule.chain)).toEqual(['DOCKER', 'INPUT']);
    expect(redis.remediation.commands).toContain('bind 127.0.0.1 ::1  # in redis.conf');
    expect(redis.remediation.commands.some((c) => c.startsWith('iptables -I DOCKER-USER'))).toBe(true);
  });

  it('audited services know their identity, exposure and public listing', () => {
    const web = report.hosts[0]!.services.find((s) => s.port === 443 && s.family === 'ipv4')!;
    expect(web).toMatchObject({ exposure: 'world', listedPublic: true, trustedBy: null, service: { name: 'https', by: 'process' } });
  });

  it('uses ufw commands on a ufw host', () => {
    const ssh = report.findings.find((f) => f.id === 'exposed-admin-service:ufw-web-1:tcp/22')!;
    expect(ssh.remediation.commands).toEqual(['ufw delete allow 22/tcp', 'ufw allow from 192.0.2.0/24 to any port 22 proto tcp']);
  });

  it('redirects HTTP instead of closing a public port 80', () => {
    const http = report.findings.find((f) => f.id === 'cleartext-protocol:ufw-web-1:tcp/80')!;
    expect(http.remediation.commands).toEqual([expect.stringMatching(/^return 301 https:/)]);
  });

  it('an empty input gives an empty report', () => {
    const empty = buildAuditReport([], null, FIXTURE_NOW);
    expect(empty.findings).toEqual([]);
    expect(empty.summary).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });
});

describe('with a policy', () => {
  const policy = loadPolicy('docker-office');

  it('an exception expiring today still suppresses; suppressed findings are listed, not counted', () => {
    const report = buildAuditReport([loadAnalysis('docker-host')], policy, new Date('2026-11-21T23:59:00Z'));
    const redis = report.findings.find((f) => f.rule === 'exposed-datastore')!;
    expect(redis.suppressed).toMatchObject({ reason: 'temporary: replica sync (OPS-1234)', expires: '2026-11-21', location: { line: 5 } });
    expect(report.summary.critical).toBe(1);
    expect(report.findings.at(-1)).toBe(redis);
    expect(report.findings.some((f) => f.rule === 'exception-expired')).toBe(false);
  });

  it('the day after, it stops suppressing and becomes a finding of its own', () => {
    const report = buildAuditReport([loadAnalysis('docker-host')], policy, new Date('2026-11-22T00:00:01Z'));
    const redis = report.findings.find((f) => f.rule === 'exposed-datastore')!;
    expect(redis.suppressed).toBeUndefined();
    expect(report.summary.critical).toBe(2);
    const expired = report.findings.find((f) => f.rule === 'exception-expired')!;
    expect(expired).toMatchObject({ severity: 'medium', host: 'docker-1', service: { proto: 'tcp', port: 6379 }, title: 'Exception expired on 2026-11-21 (exposed-datastore, 6379/tcp)' });
    expect(expired.evidence.facts).toContain('reason given: temporary: replica sync (OPS-1234)');
  });

  it('the expired exception only concerns the hosts its glob matches', () => {
    const report = buildAuditReport([loadAnalysis('redis-world')], policy, new Date('2026-12-01T00:00:00Z'));
    expect(report.findings.some((f) => f.rule === 'exception-expired')).toBe(false);
  });

  it('sources inside trusted lists are allowlisted by policy: no world finding', () => {
    const a = loadAnalysis('ufw-host');
    for (const s of a.services) if (s.port === 22) s.sources = s.family === 'ipv4' ? { ipv4: ['198.51.100.0/25'], ipv6: [] } : { ipv4: [], ipv6: [] };
    const wide = structuredClone(a);
    for (const s of wide.services) if (s.port === 22 && s.family === 'ipv4') s.sources = { ipv4: ['198.51.100.0/24', '203.0.113.0/24'], ipv6: [] };
    const trusted = buildAuditReport([a], loadPolicy('full'), FIXTURE_NOW);
    expect(trusted.hosts[0]!.services.find((s) => s.port === 22 && s.family === 'ipv4')!.trustedBy).toEqual(['admins', 'office']);
    const outside = buildAuditReport([wide], loadPolicy('full'), FIXTURE_NOW);
    expect(outside.hosts[0]!.services.find((s) => s.port === 22 && s.family === 'ipv4')!.trustedBy).toBeNull();
  });

  it('a trusted list as wide as the world silences the world-exposure checks', () => {
    const report = buildAuditReport([loadAnalysis('redis-world')], { file: 'p.yaml', trusted: [{ name: 'cdn', ipv4: ['0.0.0.0/0'], ipv6: [] }], publicPorts: [], severity: {}, restrictedPorts: null, exceptions: [] }, FIXTURE_NOW);
    expect(report.findings.filter((f) => f.rule === 'exposed-datastore').map((f) => f.service?.port)).toEqual([9200]); // 9200 is also open on IPv6, outside the list
  });

  it('severity overrides apply per check', () => {
    const report = buildAuditReport([loadAnalysis('redis-world')], loadPolicy('full'), FIXTURE_NOW);
    const hardening = report.findings.filter((f) => f.rule === 'kernel-hardening');
    expect(hardening.length).toBe(5);
    expect(new Set(hardening.map((f) => f.severity))).toEqual(new Set(['low']));
  });

  it('public ports per host glob', () => {
    const a = loadAnalysis('redis-world');
    const listed = buildAuditReport([a], { file: 'p.yaml', trusted: [], publicPorts: [{ hosts: ['cache-*'], ports: [{ proto: 'tcp', from: 45000, to: 45000 }] }], severity: {}, restrictedPorts: null, exceptions: [] }, FIXTURE_NOW);
    expect(listed.findings.some((f) => f.id === 'unlisted-public-service:cache-7:tcp/45000')).toBe(false);
    // The entry replaces the defaults for matching hosts: 80/tcp is no longer public there.
    expect(listed.findings.some((f) => f.id === 'unlisted-public-service:cache-7:tcp/80')).toBe(true);
    const other = buildAuditReport([a], { file: 'p.yaml', trusted: [], publicPorts: [{ hosts: ['web-*'], ports: [{ proto: 'tcp', from: 45000, to: 45000 }] }], severity: {}, restrictedPorts: null, exceptions: [] }, FIXTURE_NOW);
    expect(other.findings.some((f) => f.id === 'unlisted-public-service:cache-7:tcp/45000')).toBe(true);
  });

  it('records the policy file', () => {
    expect(buildAuditReport([], policy, FIXTURE_NOW).policy).toEqual({ file: 'test/fixtures/policy/docker-office.yaml' });
  });
});

describe('helpers', () => {
  it('countBySeverity skips suppressed findings', () => {
    const base = { rule: 'x', host: 'h', service: null, title: 't', evidence: { facts: [] }, remediation: { summary: 's', commands: [] } };
    expect(countBySeverity([{ ...base, id: 'a', severity: 'high' }, { ...base, id: 'b', severity: 'high', suppressed: { reason: 'r', expires: '2030-01-01' } }])).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 0 });
  });
  it('hasFindingsAtOrAbove', () => {
    const report = buildAuditReport([loadAnalysis('ufw-host')], null, FIXTURE_NOW);
    expect(hasFindingsAtOrAbove(report, 'critical')).toBe(false);
    expect(hasFindingsAtOrAbove(report, 'high')).toBe(true);
  });
  it('policyDiagnostics names unknown check ids with their line', () => {
    const policy = loadPolicy('full');
    expect(policyDiagnostics(policy)).toEqual([]);
    policy.severity['no-such-check'] = 'low';
    policy.severityLocations!['no-such-check'] = { file: 'full.yaml', line: 15 };
    policy.exceptions[0]!.check = 'exposed-datastor';
    const out = policyDiagnostics(policy);
    expect(out.map((d) => [d.code, d.severity, d.message, d.location?.line])).toEqual([
      ['policy.unknown-check', 'error', 'severity: unknown check "no-such-check"', 15],
      ['policy.unknown-check', 'error', 'exceptions: unknown check "exposed-datastor"', 17],
    ]);
    expect(out[0]!.expected).toMatch(/exposed-datastore/);
  });
});

describe('robustness', () => {
  it('any services: no crash, sorted, summary counts the unsuppressed findings, ids unique', async () => {
    const fc = (await import('fast-check')).default;
    const cidr4 = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, len]) => `${a}.${b}.0.0/${Math.max(len, 16)}`);
    const cidr6 = fc.constantFrom('::/0', '2000::/3', '2001:db8::/32', 'fc00::/7', 'fe80::/10', '2001:db8:1::/48');
    const service = fc.record({
      proto: fc.constantFrom('tcp' as const, 'udp' as const),
      port: fc.oneof(fc.constantFrom(21, 22, 23, 25, 53, 80, 123, 443, 2375, 3306, 3389, 6379, 11211, 45000), fc.integer({ min: 1, max: 65535 })),
      family: fc.constantFrom('ipv4' as const, 'ipv6' as const),
      dualStack: fc.boolean(),
      v4: fc.array(cidr4, { maxLength: 3 }),
      v6: fc.array(cidr6, { maxLength: 2 }),
      rateLimited: fc.boolean(),
      process: fc.option(fc.constantFrom('sshd', 'redis-server', 'nginx', 'docker-proxy', 'java', 'memcached'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(service, { maxLength: 12 }), (specs) => {
        const a = loadAnalysis('ufw-host');
        a.services = specs.map((s) => ({
          proto: s.proto, port: s.port, address: s.family === 'ipv4' ? '0.0.0.0' : '::', family: s.family, dualStack: s.dualStack && s.family === 'ipv6',
          process: s.process ? { pid: 1, name: s.process, cmdline: [s.process], user: null } : null,
          path: { kind: 'local' as const }, sources: { ipv4: s.v4, ipv6: s.v6 }, decisions: [], uncertain: [], rateLimited: s.rateLimited,
        }));
        const report = buildAuditReport([a], loadPolicy('full'), FIXTURE_NOW);
        expect(report.findings).toEqual([...report.findings].sort(compareFindings));
        expect(Object.values(report.summary).reduce((x, y) => x + y, 0)).toBe(report.findings.filter((f) => !f.suppressed).length);
        expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
      }),
      { numRuns: 200 },
    );
  });
});
