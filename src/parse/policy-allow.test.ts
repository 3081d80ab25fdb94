import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy.js';

const POLICY = `trusted:
  office: [198.51.100.0/24, "2001:db8:100::/48"]
  vpn: [203.0.113.0/28]
  admins: [office, vpn]
allow:
  - hosts: ["*"]
    ports: [22/tcp]
    from: [admins, 192.0.2.7/32]
harden:
  ephemeral-ports: 40000-59999
  admin-ports: [22/tcp, 2222/tcp]
  admin-rate-limit: {connections: 4, seconds: 60}
`;

describe('parsePolicy: allow and harden', () => {
  it('resolves allow sources through trusted lists, per family, and reads the harden settings', () => {
    const { value, diagnostics } = parsePolicy(POLICY, 'p.yaml');
    expect(diagnostics).toEqual([]);
    expect(value!.allow).toEqual([
      {
        hosts: ['*'],
        ports: [{ proto: 'tcp', from: 22, to: 22 }],
        from: { names: ['admins', '192.0.2.7/32'], ipv4: ['198.51.100.0/24', '203.0.113.0/28', '192.0.2.7/32'], ipv6: ['2001:db8:100::/48'] },
        location: { file: 'p.yaml', line: 6 },
      },
    ]);
    expect(value!.harden).toEqual({
      ephemeralPorts: { from: 40000, to: 59999 },
      adminPorts: [
        { proto: 'tcp', from: 22, to: 22 },
        { proto: 'tcp', from: 2222, to: 2222 },
      ],
      adminRateLimit: { connections: 4, seconds: 60 },
      location: { file: 'p.yaml', line: 10 },
    });
  });

  it('a policy without them has neither key (the audit sees the same Policy as before)', () => {
    const { value } = parsePolicy('trusted:\n  office: [198.51.100.0/24]\n', 'p.yaml');
    expect(value).not.toHaveProperty('allow');
    expect(value).not.toHaveProperty('harden');
  });

  it('an unknown list in from: the line, the name, and the lists that exist', () => {
    const { value, diagnostics } = parsePolicy('trusted:\n  office: [198.51.100.0/24]\nallow:\n  - hosts: ["*"]\n    ports: [22/tcp]\n    from: [ofice]\n', 'p.yaml');
    expect(value).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'policy.invalid', message: 'allow[0].from[0]: unknown trusted list', location: { file: 'p.yaml', line: 6 }, input: 'ofice', expected: expect.stringContaining('one of the trusted lists office') }),
    ]);
  });

  it('an allow entry without from, and an empty from', () => {
    const missing = parsePolicy('allow:\n  - hosts: ["*"]\n    ports: [22/tcp]\n', 'p.yaml');
    expect(missing.diagnostics.map((d) => d.message)).toEqual(['allow[0]: missing key "from"']);
    const empty = parsePolicy('allow:\n  - hosts: ["*"]\n    ports: [22/tcp]\n    from: []\n', 'p.yaml');
    expect(empty.diagnostics.map((d) => d.message)).toEqual(['allow[0].from: empty list']);
  });

  it('an ephemeral range that is backwards or reaches into the well-known ports', () => {
    for (const range of ['60999-32768', '80-60000']) {
      const { value, diagnostics } = parsePolicy(`harden:\n  ephemeral-ports: ${range}\n`, 'p.yaml');
      expect(value).toBeNull();
      expect(diagnostics[0]).toMatchObject({ message: 'harden.ephemeral-ports: not a usable port range', input: range, location: { line: 2 } });
    }
  });

  it('a rate limit of zero connections', () => {
    const { diagnostics } = parsePolicy('harden:\n  admin-rate-limit: {connections: 0, seconds: 30}\n', 'p.yaml');
    expect(diagnostics[0]!.message).toMatch(/^harden\.admin-rate-limit\.connections: /);
  });
});
