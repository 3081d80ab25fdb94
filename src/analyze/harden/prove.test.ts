import { describe, expect, it } from 'vitest';
import type { HostAnalysis, ServiceReach } from '../types.js';
import { checkLockout, compareWithPlan } from './prove.js';
import type { HardenPlan } from './types.js';

function svc(port: number, address: string, sources: { ipv4: string[]; ipv6: string[] }): ServiceReach {
  return { proto: 'tcp', port, address, family: address.includes(':') ? 'ipv6' : 'ipv4', dualStack: address === '::', process: null, path: { kind: 'local' }, sources, decisions: [], uncertain: [], rateLimited: false };
}
const host = (services: ServiceReach[]) => ({ name: 'web-1', services }) as unknown as HostAnalysis;

const plan: HardenPlan = {
  format: 'portcullis-harden-plan',
  version: 1,
  host: 'web-1',
  policy: { file: 'p.yaml' },
  open: [{ proto: 'tcp', port: 22, service: 'ssh', process: 'sshd', path: 'local', families: ['ipv4', 'ipv6'], sources: { ipv4: ['198.51.100.0/24'], ipv6: ['2001:db8:100::/48'] }, public: false, rateLimited: true, because: { kind: 'allow', index: 0, text: 'allow[0] from office (p.yaml:6)', location: { file: 'p.yaml', line: 6 } } }],
  closed: [],
  loopbackOnly: [],
  adminRateLimit: { connections: 6, seconds: 30 },
  ephemeralPorts: { from: 32768, to: 60999 },
  reservedPorts: [],
  logPrefix: '[portcullis drop] ',
};

describe('compareWithPlan', () => {
  it('equal sources: no difference', () => {
    expect(compareWithPlan(plan, host([svc(22, '::', { ipv4: ['198.51.100.0/24'], ipv6: ['2001:db8:100::/48'] })]))).toEqual([]);
  });

  it('names what is missing, what is extra, and listeners the plan keeps closed', () => {
    const diffs = compareWithPlan(plan, host([svc(22, '::', { ipv4: ['198.51.100.0/25', '192.0.2.1/32'], ipv6: ['2001:db8:100::/48'] }), svc(6379, '0.0.0.0', { ipv4: ['0.0.0.0/0'], ipv6: [] })]));
    expect(diffs.map((d) => `${d.port} ${d.family} ${d.kind} ${d.sources.join(',')} | ${d.intent}`)).toEqual([
      '22 ipv4 missing 198.51.100.128/25 | allow[0] from office (p.yaml:6)',
      '22 ipv4 extra 192.0.2.1/32 | allow[0] from office (p.yaml:6)',
      '6379 ipv4 extra 0.0.0.0/0 | closed (not in the policy)',
    ]);
  });

  it('reads the intent within what the host can be reached from at all', () => {
    const unfiltered = { analysis: host([svc(22, '::', { ipv4: ['198.51.100.0/25'], ipv6: ['2001:db8:100::/48'] })]), probePort: 65535 };
    expect(compareWithPlan(plan, host([svc(22, '::', { ipv4: ['198.51.100.0/25'], ipv6: ['2001:db8:100::/48'] })]), unfiltered)).toEqual([]);
  });
});

describe('checkLockout', () => {
  const after = host([svc(22, '::', { ipv4: ['198.51.100.0/24'], ipv6: [] })]);
  it('the session\'s client still reaches sshd', () => {
    expect(checkLockout(plan, after, { client: '198.51.100.7', server: '192.0.2.1', serverPort: 22 }, ['192.0.2.1'])).toEqual({ reachable: true });
  });
  it('locked out: says which entry to extend', () => {
    const r = checkLockout(plan, after, { client: '203.0.113.9', server: '192.0.2.1', serverPort: 22 }, ['192.0.2.1']);
    expect(r!.reachable).toBe(false);
    expect(r!.message).toContain('add 203.0.113.9/32 (or a trusted list that holds it) to the from list of allow[0] (p.yaml:6)');
  });
  it('no entry for the port: the allow entry to add', () => {
    const r = checkLockout({ ...plan, open: [] }, host([svc(2222, '0.0.0.0', { ipv4: [], ipv6: [] })]), { client: '203.0.113.9', server: null, serverPort: 2222 }, []);
    expect(r!.message).toContain('allow:\n    - hosts: ["web-1"]\n      ports: [2222/tcp]\n      from: [203.0.113.9/32]');
  });
  it('a session to another machine is none of this host\'s business', () => {
    expect(checkLockout(plan, after, { client: '203.0.113.9', server: '10.9.9.9', serverPort: 22 }, ['192.0.2.1'])).toBeNull();
  });
});
