import { describe, expect, it } from 'vitest';
import type { ProbedPort, ProbeObservation } from '../../model/probe.js';
import { buildProbeReport, comparePrediction, type PredictedState } from './index.js';

const port = (p: Partial<ProbedPort> & Pick<ProbedPort, 'port' | 'state'>): ProbedPort => ({ proto: 'tcp', service: null, product: null, auth: null, tls: null, banner: null, facts: [], ...p });

function observation(ports: ProbedPort[], vantage: string | null = '198.51.100.7'): ProbeObservation {
  return { origin: { kind: 'scan' }, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', vantage: { '192.0.2.1': vantage }, targets: [{ address: '192.0.2.1', hostname: null, ports }] };
}

const now = new Date('2026-01-01T00:00:00Z');
const remote = { isLocalVantage: () => false };

describe('comparePrediction', () => {
  it('reports every port where open-ness differs, and only those', () => {
    const obs = observation([port({ port: 22, state: 'open' }), port({ port: 80, state: 'filtered' }), port({ port: 443, state: 'closed' }), port({ port: 8080, state: 'open' }), port({ port: 25, state: 'closed' })]);
    const predicted: Record<number, PredictedState> = { 22: 'open', 80: 'open', 443: 'open', 8080: 'filtered', 25: 'closed' };
    const c = comparePrediction({ observation: obs, predict: (q) => predicted[q.port] ?? null, predictedOpen: () => [22, 80, 443, 9999], snapshot: 's.json' });
    expect(c.compared).toBe(4);
    expect(c.disagreements.map((d) => `${d.port} ${d.kind}`)).toEqual(['80 unexpected-filtered', '443 unexpected-closed', '8080 unexpected-open']);
  });
  it('compares nothing without the probe\'s source address, and skips UDP silence', () => {
    expect(comparePrediction({ observation: observation([port({ port: 22, state: 'open' })], null), predict: () => 'closed', predictedOpen: () => [], snapshot: 's' }).compared).toBe(0);
    const udp = observation([port({ proto: 'udp', port: 53, state: 'open|filtered' })]);
    expect(comparePrediction({ observation: udp, predict: () => 'open', predictedOpen: () => [53], snapshot: 's' }).disagreements).toEqual([]);
  });
});

describe('probe findings', () => {
  const rules = (ports: ProbedPort[], ctx = remote) => buildProbeReport({ observation: observation(ports), comparison: null, context: ctx, now, toolVersion: 't' }).findings.map((f) => `${f.rule} ${f.severity}`);

  it('an unauthenticated data store: critical from afar, low from the host itself', () => {
    const redis = port({ port: 6379, state: 'open', service: 'redis', auth: 'none' });
    expect(rules([redis])).toEqual(['probe-unauthenticated-datastore critical']);
    expect(rules([redis], { isLocalVantage: () => true })).toEqual(['probe-unauthenticated-datastore low']);
    expect(rules([{ ...redis, auth: 'required' }])).toEqual([]);
    expect(rules([{ ...redis, auth: 'denied-protected-mode' }])).toEqual([]);
    expect(rules([{ ...redis, state: 'filtered' }])).toEqual([]);
  });
  it('cleartext logins, SSH passwords, legacy TLS, certificates, amplifiers', () => {
    expect(rules([port({ port: 23, state: 'open', service: 'telnet', cleartextLogin: true })])).toEqual(['probe-cleartext-login high']);
    expect(rules([port({ port: 110, state: 'open', service: 'pop3', cleartextLogin: true, starttls: true })])).toEqual([]);
    expect(rules([port({ port: 22, state: 'open', service: 'ssh', authMethods: ['publickey', 'keyboard-interactive'] })])).toEqual(['probe-ssh-password high']);
    expect(rules([port({ port: 22, state: 'open', service: 'ssh', authMethods: ['publickey'] })])).toEqual([]);
    const cert = (notAfter: string) => ({ subjectCN: 'x', issuer: 'y', notAfter, daysLeft: null });
    expect(rules([port({ port: 443, state: 'open', service: 'https', tls: { versions: ['TLSv1.1', 'TLSv1.2'], certificate: cert('2027-01-01T00:00:00Z') } })])).toEqual(['probe-legacy-tls medium']);
    expect(rules([port({ port: 443, state: 'open', service: 'https', tls: { versions: ['TLSv1.3'], certificate: cert('2025-12-01T00:00:00Z') } })])).toEqual(['probe-certificate-expiry high']);
    expect(rules([port({ port: 443, state: 'open', service: 'https', tls: { versions: ['TLSv1.3'], certificate: cert('2026-01-20T00:00:00Z') } })])).toEqual(['probe-certificate-expiry medium']);
    expect(rules([port({ proto: 'udp', port: 11211, state: 'open', service: 'memcached', auth: 'none', amplification: 61.5 })])).toEqual(['probe-unauthenticated-datastore critical', 'probe-udp-amplifier high']);
  });
  it('an open port the policy does not list as public, seen from another host', () => {
    const ctx = { isLocalVantage: () => false, isListedPublic: (_h: string, _p: string, port: number) => port === 443 };
    expect(rules([port({ port: 443, state: 'open' }), port({ port: 8080, state: 'open' }), port({ port: 9000, state: 'filtered' })], ctx)).toEqual(['probe-unlisted-open medium']);
    expect(rules([port({ port: 8080, state: 'open' })], { ...ctx, isLocalVantage: () => true })).toEqual([]);
  });

  it('collapses the most common non-open state past 25 ports, as nmap does', () => {
    const many = Array.from({ length: 30 }, (_, i) => port({ port: 1000 + i, state: 'closed' }));
    const r = buildProbeReport({ observation: observation([port({ port: 22, state: 'open' }), ...many, port({ port: 7, state: 'filtered' })]), comparison: null, context: remote, now, toolVersion: 't' });
    expect(r.targets[0]!.ports.map((p) => p.port)).toEqual([22, 7]);
    expect(r.targets[0]!.otherPorts).toEqual([{ proto: 'tcp', state: 'closed', count: 30 }]);
  });
});
