import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../parse/policy.js';
import type { HostAnalysis, ServiceReach } from '../types.js';
import { planHarden } from './plan.js';

function socket(proto: 'tcp' | 'udp', port: number, address: string, process: string | null, extra: Partial<ServiceReach> = {}): ServiceReach {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  return {
    proto,
    port,
    address,
    family,
    dualStack: address === '::',
    process: process ? { pid: 1, name: process, cmdline: [process], user: 'root' } : null,
    path: { kind: 'local' },
    sources: { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] },
    decisions: [],
    uncertain: [],
    rateLimited: false,
    ...extra,
  };
}

function host(services: ServiceReach[], sysctls: Record<string, string | null> = {}): HostAnalysis {
  return { name: 'web-1', collectedAt: '2026-12-01T00:00:00Z', services, shadowedRules: [], backends: { ipv4: [], ipv6: [] }, sourceStatus: [], diagnostics: [], sysctls } as unknown as HostAnalysis;
}

const policy = (text: string) => {
  const p = parsePolicy(text, 'p.yaml');
  if (!p.value) throw new Error(JSON.stringify(p.diagnostics));
  return p.value;
};

const HOST = host([
  socket('tcp', 22, '::', 'sshd'),
  socket('tcp', 80, '0.0.0.0', 'nginx'),
  socket('tcp', 80, '::', 'nginx', { dualStack: false }),
  socket('tcp', 6379, '0.0.0.0', 'redis-server'),
  socket('tcp', 6380, '127.0.0.1', 'redis-server'),
  socket('tcp', 5432, '::1', 'postgres'),
  socket('udp', 40000, '0.0.0.0', 'socat'),
  socket('tcp', 8080, '*', 'docker-proxy', { path: { kind: 'forward', hostPorts: '8080', target: { address: '172.17.0.2', port: '80' } } }),
]);

describe('planHarden', () => {
  it('opens each listener to its policy sources, per family it takes; lists the rest', () => {
    const { value, diagnostics } = planHarden(
      HOST,
      policy('trusted:\n  office: [198.51.100.0/24, "2001:db8:100::/48"]\nallow:\n  - hosts: [web-*]\n    ports: [22/tcp, 8080/tcp]\n    from: [office]\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(value!.open.map((s) => [`${s.port}/${s.proto}`, s.path, s.families.join('+'), `${s.sources.ipv4.join(',')} ${s.sources.ipv6.join(',')}`, s.rateLimited, s.because.kind])).toEqual([
      ['22/tcp', 'local', 'ipv4+ipv6', '198.51.100.0/24 2001:db8:100::/48', true, 'allow'],
      ['80/tcp', 'local', 'ipv4+ipv6', '0.0.0.0/0 ::/0', false, 'default-public'],
      ['8080/tcp', 'forward', 'ipv4', '198.51.100.0/24 ', false, 'allow'],
    ]);
    expect(value!.open[2]!.targets).toEqual([{ address: '172.17.0.2', port: '80' }]);
    expect(value!.closed.map((l) => `${l.port}/${l.proto}`)).toEqual(['6379/tcp', '40000/udp']);
    expect(value!.loopbackOnly.map((l) => `${l.port}/${l.proto}`)).toEqual(['5432/tcp', '6380/tcp']);
    // 40000 is inside the default ephemeral range 32768-60999: reserved.
    expect(value!.reservedPorts).toEqual([40000]);
    expect(value!.adminRateLimit).toEqual({ connections: 6, seconds: 30 });
  });

  it('takes the ephemeral range from the policy, else the snapshot, and admin ports from the policy', () => {
    const fromSnapshot = planHarden(host([socket('tcp', 50000, '0.0.0.0', null)], { 'net.ipv4.ip_local_port_range': '49152\t65535' }), null).value!;
    expect(fromSnapshot.ephemeralPorts).toEqual({ from: 49152, to: 65535 });
    expect(fromSnapshot.reservedPorts).toEqual([50000]);
    const p = planHarden(HOST, policy('harden:\n  ephemeral-ports: 41000-42000\n  admin-ports: [80/tcp]\n')).value!;
    expect(p.ephemeralPorts).toEqual({ from: 41000, to: 42000 });
    expect(p.reservedPorts).toEqual([]);
    expect(p.open.filter((s) => s.rateLimited).map((s) => s.port)).toEqual([80]);
  });

  it('an allow entry narrows a default public port', () => {
    const p = planHarden(HOST, policy('allow:\n  - hosts: ["*"]\n    ports: [80/tcp]\n    from: [192.0.2.0/24]\n')).value!;
    expect(p.open.find((s) => s.port === 80)).toMatchObject({ public: false, sources: { ipv4: ['192.0.2.0/24'], ipv6: [] } });
  });

  it('refuses a port both public and allowlisted for this host, naming both entries', () => {
    const { value, diagnostics } = planHarden(HOST, policy('public:\n  - hosts: ["*"]\n    ports: [22/tcp, 80/tcp]\nallow:\n  - hosts: [web-1]\n    ports: [22/tcp]\n    from: [192.0.2.0/24]\n'));
    expect(value).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'harden.contradiction', severity: 'error', message: expect.stringMatching(/^22\/tcp is public \(public\[0\] \(p\.yaml:2\)\) and also allowed only from named sources \(allow\[0\] from 192\.0\.2\.0\/24 \(p\.yaml:5\)\)/), location: { file: 'p.yaml', line: 5 } }),
    ]);
  });

  it('refuses a public port nothing listens on; a public range needs no listener', () => {
    const { value, diagnostics } = planHarden(HOST, policy('public:\n  - hosts: ["*"]\n    ports: [80/tcp, 443/tcp, 60000-61000/udp]\n'));
    expect(value).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.message, d.location?.line])).toEqual([['harden.public-without-listener', 'public[0] opens 443/tcp on web-1, but nothing listens there', 2]]);
  });

  it('an entry for other hosts does not apply', () => {
    const p = planHarden(HOST, policy('allow:\n  - hosts: [db-*]\n    ports: [6379/tcp]\n    from: [192.0.2.0/24]\n'));
    expect(p.value!.closed.map((l) => l.port)).toContain(6379);
  });
});
