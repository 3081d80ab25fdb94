/**
 * `portcullis audit` end to end on snapshots recorded from real systems
 * (test/fixtures/snapshots/, made by scripts/record-snapshots.mjs from the scenarios in
 * scenarios.mjs: real Debian daemons, real rulesets, real kernel, in network namespaces).
 * Runs anywhere: no root, only the built CLI.
 *
 * For every check in CHECKS: at least one recorded snapshot where it fires (rule,
 * severity, service, evidence naming the deciding rule or sysctl, a remediation command)
 * and, for most, one where it must stay silent. Then exit codes, output formats, bad
 * input and `diff`.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport, Finding, Severity } from '../../src/analyze/audit/types.js';
import { CHECKS } from '../../src/analyze/checks/index.js';
import { auditJson, cliSkipReason, evidenceText, POLICIES, portcullis, SNAPSHOTS, snapshotPath } from './cli.js';

/** Where a check must fire, and what the finding must say. */
interface Fires {
  snapshot: string;
  policy?: string;
  /** "tcp/6379"; null for a host-level finding. */
  service: string | null;
  severity: Severity;
  /** Substrings of the evidence (facts + deciding rules): the rule or sysctl that decides. */
  evidence: string[];
  /** Substring of one remediation command. */
  command?: string;
  /** Substring of the title, to pick one of several host-level findings. */
  title?: string;
  /** An AWS CLI export (test/fixtures/aws/<aws>/) joined with the snapshot, which then lies in that folder. */
  aws?: string;
}

/** Where a check must not fire: the whole snapshot, or one service of it. */
interface Silent {
  snapshot: string;
  policy?: string;
  service?: string;
  why: string;
  aws?: string;
}

const EXPECT: Record<string, { fires: Fires[]; silent: Silent[] }> = {
  'exposed-container-api': {
    fires: [{ snapshot: 'bare-host', service: 'tcp/2375', severity: 'critical', evidence: ['socat', '0.0.0.0:2375/tcp', 'reachable from 0.0.0.0/0'], command: '--dport 2375' }],
    silent: [{ snapshot: 'ufw-allowlist', why: 'no container API listens' }],
  },
  'exposed-datastore': {
    fires: [
      { snapshot: 'bare-host', service: 'tcp/6379', severity: 'critical', evidence: ['redis-server', '0.0.0.0:6379/tcp', 'reachable from 0.0.0.0/0'], command: 'bind 127.0.0.1' },
      { snapshot: 'bare-host', service: 'tcp/11211', severity: 'critical', evidence: ['memcached', '0.0.0.0:11211/tcp'], command: '-l 127.0.0.1' },
      { snapshot: 'bare-host', service: 'udp/11211', severity: 'critical', evidence: ['memcached', '0.0.0.0:11211/udp'], command: '-U 0' },
      { snapshot: 'ufw-redis-open', service: 'tcp/6379', severity: 'critical', evidence: ['-A ufw-user-input -p tcp -m tcp --dport 6379 -j ACCEPT'], command: 'ufw delete allow 6379/tcp' },
    ],
    silent: [
      { snapshot: 'bare-host', service: 'tcp/6380', why: 'redis bound to 127.0.0.1' },
      { snapshot: 'ufw-allowlist', service: 'tcp/6379', why: 'redis on 0.0.0.0 but ufw denies incoming' },
    ],
  },
  'exposed-admin-service': {
    fires: [{ snapshot: 'bare-host', service: 'tcp/22', severity: 'high', evidence: ['sshd', '0.0.0.0:22/tcp', 'reachable from 0.0.0.0/0', 'reachable from ::/0'], command: '--dport 22' }],
    silent: [
      { snapshot: 'ufw-allowlist', service: 'tcp/22', why: 'ufw allows SSH from 198.51.100.0/24 only' },
      { snapshot: 'iptables-drop-nolog', service: 'tcp/22', why: 'iptables allows SSH from 198.51.100.0/24 only' },
    ],
  },
  'unlisted-public-service': {
    fires: [
      { snapshot: 'bare-host', service: 'tcp/40000', severity: 'high', evidence: ['socat', '0.0.0.0:40000/tcp'], command: '--dport 40000' },
      { snapshot: 'ufw-allowlist', service: 'tcp/8080', severity: 'high', evidence: ['-A ufw6-user-input -p tcp -m tcp --dport 8080 -j ACCEPT'] },
      { snapshot: 'mixed-backends', service: 'tcp/9001', severity: 'high', evidence: ['-A INPUT -p tcp -m tcp --dport 9001 -j ACCEPT'], command: '--dport 9001' },
    ],
    silent: [
      { snapshot: 'bare-host', service: 'tcp/80', why: '80/tcp is public by default' },
      { snapshot: 'bare-host', service: 'tcp/443', why: '443/tcp is public by default' },
      { snapshot: 'ufw-allowlist', service: 'tcp/80', why: '80/tcp is public by default' },
      { snapshot: 'bare-host', service: 'tcp/6379', why: 'left to exposed-datastore' },
    ],
  },
  'cleartext-protocol': {
    fires: [{ snapshot: 'bare-host', service: 'tcp/21', severity: 'high', evidence: ['vsftpd', '0.0.0.0:21/tcp', 'clear text'], command: 'listen_address=127.0.0.1' }],
    silent: [{ snapshot: 'ufw-allowlist', service: 'tcp/22', why: 'SSH is encrypted' }],
  },
  'amplification-vector': {
    fires: [{ snapshot: 'bare-host', service: 'udp/11211', severity: 'critical', evidence: ['memcached', '0.0.0.0:11211/udp'], command: '-U 0' }],
    silent: [
      { snapshot: 'bare-host', service: 'tcp/11211', why: 'TCP cannot be spoofed into an amplifier' },
      { snapshot: 'ufw-allowlist', why: 'no UDP service' },
    ],
  },
  'restricted-common-ports': {
    fires: [{ snapshot: 'bare-host', service: 'tcp/21', severity: 'high', evidence: ['vsftpd', 'restricted ports: 20/tcp, 21/tcp'], command: '--dport 21' }],
    silent: [{ snapshot: 'ufw-allowlist', why: 'no restricted port open' }],
  },
  'no-input-filtering': {
    fires: [
      { snapshot: 'bare-host', service: null, severity: 'high', title: 'IPv4', evidence: ['no rule drops or rejects IPv4 traffic', '6379/tcp (Redis)', 'admitted by the chain policy alone'], command: 'iptables -A INPUT' },
      { snapshot: 'bare-host', service: null, severity: 'high', title: 'IPv6', evidence: ['no rule drops or rejects IPv6 traffic', '22/tcp (SSH)'], command: 'ip6tables -A INPUT' },
    ],
    silent: [
      { snapshot: 'ufw-allowlist', why: 'ufw filters' },
      { snapshot: 'iptables-drop-nolog', why: 'DROP policy' },
      { snapshot: 'mixed-backends', why: 'a DROP rule exists (legacy)' },
    ],
  },
  'dual-stack-mismatch': {
    fires: [{ snapshot: 'ufw-allowlist', service: 'tcp/8080', severity: 'high', evidence: ['IPv4: local', 'IPv6: world', '-A ufw6-user-input -p tcp -m tcp --dport 8080 -j ACCEPT'] }],
    silent: [
      { snapshot: 'bare-host', why: 'both families equally open' },
      { snapshot: 'iptables-drop-nolog', why: 'same rules in both families' },
    ],
  },
  'backend-conflict': {
    fires: [
      {
        snapshot: 'mixed-backends',
        service: 'tcp/9000',
        severity: 'medium',
        evidence: ['iptables-nft INPUT: -A INPUT -p tcp -m tcp --dport 9000 -j ACCEPT', 'iptables-legacy INPUT: -A INPUT -p tcp -m tcp --dport 9000 -j DROP'],
        command: 'iptables-legacy',
      },
    ],
    silent: [
      { snapshot: 'mixed-backends', service: 'tcp/9001', why: 'only iptables-nft has a rule for 9001' },
      { snapshot: 'iptables-drop-nolog', why: 'one backend' },
      { snapshot: 'ufw-allowlist', why: 'one backend' },
    ],
  },
  'admin-no-rate-limit': {
    fires: [
      { snapshot: 'bare-host', service: 'tcp/22', severity: 'medium', evidence: ['sshd', 'no rate or connection limit'], command: '-m recent' },
      { snapshot: 'iptables-drop-nolog', service: 'tcp/22', severity: 'low', evidence: ['-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 22 -j ACCEPT'], command: '--dport 22' },
    ],
    silent: [{ snapshot: 'ufw-allowlist', service: 'tcp/22', why: 'ufw limit' }],
  },
  'exception-expired': {
    fires: [
      {
        snapshot: 'bare-host',
        policy: 'expired-exception.yaml',
        service: 'tcp/6379',
        severity: 'medium',
        evidence: ['replica sync from the old DC', 'expired-exception.yaml:5'],
        command: 'expired-exception.yaml:5',
      },
    ],
    silent: [{ snapshot: 'bare-host', policy: 'current-exception.yaml', why: 'the exception expires in 2099' }],
  },
  'kernel-hardening': {
    fires: [
      { snapshot: 'bare-host', service: null, severity: 'medium', title: 'SYN cookies', evidence: ['net.ipv4.tcp_syncookies = 0'], command: 'sysctl -w net.ipv4.tcp_syncookies=1' },
      { snapshot: 'bare-host', service: null, severity: 'medium', title: 'Source-routed', evidence: ['net.ipv4.conf.all.accept_source_route = 1'], command: 'sysctl -w net.ipv4.conf.all.accept_source_route=0' },
      { snapshot: 'bare-host', service: null, severity: 'low', title: 'Reverse path', evidence: ['net.ipv4.conf.all.rp_filter = 0'], command: 'sysctl -w net.ipv4.conf.all.rp_filter=1' },
      { snapshot: 'bare-host', service: null, severity: 'low', title: 'redirects', evidence: ['net.ipv4.conf.all.accept_redirects = 1'], command: 'sysctl -w net.ipv4.conf.all.accept_redirects=0' },
      { snapshot: 'bare-host', service: null, severity: 'info', title: 'Martian', evidence: ['net.ipv4.conf.all.log_martians = 0'], command: 'log_martians=1' },
    ],
    silent: [
      { snapshot: 'iptables-drop-nolog', why: 'hardening sysctls on' },
      { snapshot: 'mixed-backends', why: 'hardening sysctls on' },
    ],
  },
  'drops-not-logged': {
    fires: [
      { snapshot: 'iptables-drop-nolog', service: null, severity: 'low', title: 'IPv4', evidence: ['IPv4 input drops', '-A INPUT -p tcp -j REJECT --reject-with tcp-reset'], command: 'iptables -A INPUT -m limit' },
      { snapshot: 'iptables-drop-nolog', service: null, severity: 'low', title: 'IPv6', evidence: ['IPv6 input drops'], command: 'ip6tables -A INPUT -m limit' },
      { snapshot: 'mixed-backends', service: null, severity: 'low', title: 'IPv4', evidence: ['-A INPUT -p tcp -m tcp --dport 9000 -j DROP'] },
    ],
    silent: [
      { snapshot: 'iptables-drop-logged', why: 'a LOG rule precedes the reject and the policy' },
      { snapshot: 'bare-host', why: 'nothing is dropped' },
    ],
  },
  'ephemeral-port-listener': {
    fires: [{ snapshot: 'bare-host', service: 'tcp/40000', severity: 'low', evidence: ['net.ipv4.ip_local_port_range = 32768 60999', 'socat'], command: 'net.ipv4.ip_local_reserved_ports=40000' }],
    silent: [
      { snapshot: 'bare-host', service: 'tcp/6379', why: 'below the range' },
      { snapshot: 'ufw-allowlist', why: 'no listener in the range' },
    ],
  },
  'shadowed-rule': {
    fires: [
      { snapshot: 'iptables-drop-nolog', service: null, severity: 'low', title: '--dport 23 -j DROP', evidence: ['-A INPUT -p tcp -m tcp --dport 23 -j DROP', 'covered by iptables-nft ipv4 filter INPUT #7: -A INPUT -p tcp -j REJECT --reject-with tcp-reset'], command: 'iptables -t filter -D INPUT -p tcp -m tcp --dport 23 -j DROP' },
      { snapshot: 'iptables-drop-nolog', service: null, severity: 'info', title: '--dport 443 -j ACCEPT', evidence: ['-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT', '-A INPUT -p tcp -j REJECT --reject-with tcp-reset'], command: 'iptables -t filter -D INPUT -p tcp -m tcp --dport 443 -j ACCEPT' },
    ],
    silent: [
      { snapshot: 'bare-host', why: 'no rules' },
      { snapshot: 'mixed-backends', why: 'no rule after a catch-all' },
    ],
  },
  'uncertain-exposure': {
    fires: [{ snapshot: 'iptables-drop-nolog', service: 'tcp/8081', severity: 'info', evidence: ['-m time --timestart 09:00:00 --timestop 17:00:00'], command: 'check by hand' }],
    silent: [
      { snapshot: 'bare-host', why: 'no rules at all' },
      { snapshot: 'mixed-backends', why: 'every rule modelled' },
      { snapshot: 'iptables-drop-nolog', service: 'tcp/22', why: 'decided by plain rules' },
    ],
  },
  'cloud-open-port': {
    fires: [{ aws: 'web-vpc', snapshot: 'host-web-1', service: 'tcp/3389', severity: 'critical', evidence: ['sg-0a1b2c3d4e5f00002 ingress rule 1', 'acl-0a1b2c3d4e5f00001 inbound rule 130', 'RDP (3389/tcp)', 'restricted port 3389/tcp'], command: 'aws ec2 revoke-security-group-ingress --group-id sg-0a1b2c3d4e5f00002' }],
    silent: [{ aws: 'web-vpc', snapshot: 'host-web-1', why: 'Redis is admitted only from the office prefix list', service: 'tcp/6379' }, { snapshot: 'bare-host', why: 'no cloud layer' }],
  },
  'cloud-nacl-ephemeral-inbound': {
    fires: [{ aws: 'web-vpc', snapshot: 'host-web-1', service: null, severity: 'medium', evidence: ['acl-0a1b2c3d4e5f00001 inbound rule 130: allow tcp 1024-65535 from 0.0.0.0/0'], command: 'replace-network-acl-entry' }],
    silent: [{ snapshot: 'ufw-allowlist', why: 'no cloud layer' }],
  },
  'cloud-nacl-return-blocked': {
    fires: [{ aws: 'web-vpc', snapshot: 'host-web-1', service: null, severity: 'low', evidence: ['the outbound rules of the ACL drop the reply'], command: '--egress' }],
    silent: [{ snapshot: 'bare-host', why: 'no cloud layer' }],
  },
};

const skip = cliSkipReason();

const reports = new Map<string, AuditReport>();
function report(snapshot: string, policy?: string, aws?: string): AuditReport {
  const key = `${snapshot}|${policy ?? ''}|${aws ?? ''}`;
  let r = reports.get(key);
  if (!r) {
    const cloud = aws ? join(SNAPSHOTS, '..', 'aws', aws) : null;
    const extra = [...(policy ? ['--config', join(POLICIES, policy)] : []), ...(cloud ? ['--aws', cloud] : [])];
    r = auditJson([cloud ? join(cloud, `${snapshot}.json`) : snapshotPath(snapshot)], extra).report;
    reports.set(key, r);
  }
  return r;
}

const svcKey = (f: Finding): string | null => (f.service ? `${f.service.proto}/${f.service.port}` : null);

function label(c: Fires | Silent): string {
  return `${c.aws ? `aws ${c.aws} + ` : ''}${c.snapshot}${c.policy ? ` + ${c.policy}` : ''}${c.service ? ` ${c.service}` : ''}`;
}

describe('recorded snapshots: coverage', () => {
  it('every check in CHECKS has a recorded snapshot where it fires, and every expectation names a real check', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids.filter((id) => !(EXPECT[id]?.fires.length))).toEqual([]);
    expect(Object.keys(EXPECT).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('the main checks also have a snapshot where they must stay silent', () => {
    expect(Object.entries(EXPECT).filter(([, e]) => e.silent.length === 0).map(([id]) => id)).toEqual([]);
  });
});

describe.skipIf(skip !== null)('recorded snapshots: every check against real collected data', () => {
  for (const [id, { fires, silent }] of Object.entries(EXPECT)) {
    describe(id, () => {
      for (const c of fires) {
        it(`fires on ${label(c)}${c.title ? ` (${c.title})` : ''}`, () => {
          const r = report(c.snapshot, c.policy, c.aws);
          const candidates = r.findings.filter((f) => f.rule === id && svcKey(f) === c.service && (!c.title || f.title.includes(c.title)));
          expect(candidates.map((f) => f.title), `${id} on ${label(c)}; got: ${r.findings.map((f) => `${f.rule} ${svcKey(f)}`).join(', ')}`).toHaveLength(1);
          const f = candidates[0]!;
          expect(f.severity).toBe(c.severity);
          expect(f.host).toBe(r.hosts[0]!.name);
          expect(f.suppressed).toBeUndefined();
          const ev = evidenceText(f);
          for (const s of c.evidence) expect(ev, `evidence of ${f.id}`).toContain(s);
          expect(f.remediation.summary.length).toBeGreaterThan(0);
          expect(f.remediation.commands.length).toBeGreaterThan(0);
          expect(f.remediation.commands.every((cmd) => cmd.trim() !== '')).toBe(true);
          if (c.command) expect(f.remediation.commands.join('\n'), `remediation of ${f.id}`).toContain(c.command);
          // Stable ids: a service finding is keyed by its service.
          if (c.service && id !== 'exception-expired') expect(f.id).toBe(`${id}:${f.host}:${c.service}`);
        });
      }
      for (const c of silent) {
        it(`stays silent on ${label(c)}: ${c.why}`, () => {
          const r = report(c.snapshot, c.policy, c.aws);
          const hits = r.findings.filter((f) => f.rule === id && (!c.service || svcKey(f) === c.service));
          expect(hits.map((f) => `${f.id}: ${f.title}`)).toEqual([]);
        });
      }
    });
  }
});

describe.skipIf(skip !== null)('recorded snapshots: what the audit says about the services', () => {
  const exposure = (snapshot: string, svc: string, address: string) => {
    const s = report(snapshot).hosts[0]!.services.find((x) => `${x.proto}/${x.port}` === svc && x.address === address);
    return s ? { exposure: s.exposure, byFamily: s.exposureByFamily, service: s.service.name, process: s.process?.name } : null;
  };

  it('bare-host: everything on 0.0.0.0 is world, redis on 127.0.0.1 is local', () => {
    expect(exposure('bare-host', 'tcp/6379', '0.0.0.0')).toMatchObject({ exposure: 'world', service: 'redis', process: 'redis-server' });
    expect(exposure('bare-host', 'tcp/6380', '127.0.0.1')).toMatchObject({ exposure: 'local', service: 'redis', process: 'redis-server' });
    expect(exposure('bare-host', 'udp/11211', '0.0.0.0')).toMatchObject({ exposure: 'world', process: 'memcached' });
    expect(exposure('bare-host', 'tcp/21', '0.0.0.0')).toMatchObject({ exposure: 'world', service: 'ftp', process: 'vsftpd' });
    expect(exposure('bare-host', 'tcp/22', '::')).toMatchObject({ exposure: 'world', service: 'ssh', process: 'sshd' });
    expect(exposure('bare-host', 'tcp/80', '0.0.0.0')).toMatchObject({ exposure: 'world', process: 'nginx' });
  });

  it('ufw-allowlist: SSH allowlisted, redis filtered, 8080 open over IPv6 only, web world', () => {
    expect(exposure('ufw-allowlist', 'tcp/22', '0.0.0.0')).toMatchObject({ exposure: 'allowlisted' });
    expect(report('ufw-allowlist').hosts[0]!.services.find((s) => s.port === 22 && s.address === '0.0.0.0')!.sources.ipv4).toEqual(['198.51.100.0/24']);
    expect(exposure('ufw-allowlist', 'tcp/6379', '0.0.0.0')).toMatchObject({ exposure: 'local' });
    expect(exposure('ufw-allowlist', 'tcp/8080', '::')).toMatchObject({ exposure: 'world', byFamily: { ipv4: 'local', ipv6: 'world' } });
    expect(exposure('ufw-allowlist', 'tcp/443', '0.0.0.0')).toMatchObject({ exposure: 'world' });
  });

  it('iptables-drop-nolog: 443 is rejected by the catch-all before its own ACCEPT', () => {
    expect(exposure('iptables-drop-nolog', 'tcp/443', '0.0.0.0')).toMatchObject({ exposure: 'local' });
    expect(exposure('iptables-drop-nolog', 'tcp/80', '0.0.0.0')).toMatchObject({ exposure: 'world' });
  });

  it('mixed-backends: the legacy DROP wins over the nft ACCEPT', () => {
    expect(exposure('mixed-backends', 'tcp/9000', '0.0.0.0')).toMatchObject({ exposure: 'local' });
    expect(exposure('mixed-backends', 'tcp/9001', '0.0.0.0')).toMatchObject({ exposure: 'world' });
  });

  it('an exception that holds suppresses its finding (listed, not counted); an expired one does not', () => {
    const current = report('bare-host', 'current-exception.yaml');
    const redis = current.findings.find((f) => f.id === 'exposed-datastore:bare-host:tcp/6379')!;
    expect(redis.suppressed).toMatchObject({ expires: '2099-12-31' });
    expect(current.summary.critical).toBe(report('bare-host').summary.critical - 1);
    const expired = report('bare-host', 'expired-exception.yaml');
    expect(expired.findings.find((f) => f.id === 'exposed-datastore:bare-host:tcp/6379')!.suppressed).toBeUndefined();
    expect(expired.findings.find((f) => f.id === 'exposed-datastore:bare-host:tcp/11211')!.suppressed).toBeDefined();
  });
});

describe.skipIf(skip !== null)('recorded snapshots: exit codes and formats', () => {
  const bare = snapshotPath('bare-host');

  it.each([
    ['bare-host', [], 1],
    ['bare-host', ['--fail-on', 'critical'], 1],
    ['bare-host', ['--fail-on', 'none'], 0],
    ['mixed-backends', ['--fail-on', 'critical'], 0],
    ['mixed-backends', ['--fail-on', 'high'], 1],
    ['iptables-drop-logged', ['--fail-on', 'critical'], 0],
    ['iptables-drop-logged', ['--fail-on', 'low'], 1],
  ] as const)('%s %j exits %i', (snapshot, args, code) => {
    const r = portcullis(['audit', '--snapshot', snapshotPath(snapshot), '--format', 'json', ...args]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(r.code).toBe(code);
  });

  it('a policy exception that holds lowers the exit code (bare-host minus its only critical ones is still high)', () => {
    expect(portcullis(['audit', '--snapshot', bare, '--config', join(POLICIES, 'current-exception.yaml'), '--fail-on', 'critical']).code).toBe(1);
  });

  it('--format json: one host, the findings, a summary that counts them', () => {
    const r = report('bare-host');
    expect(r.format).toBe('portcullis-audit');
    expect(r.hosts.map((h) => h.name)).toEqual(['bare-host']);
    const counted = r.findings.filter((f) => !f.suppressed);
    expect(Object.values(r.summary).reduce((a, b) => a + b, 0)).toBe(counted.length);
  });

  it('--format sarif: SARIF 2.1.0, a rule per check, a result per finding', () => {
    const r = portcullis(['audit', '--snapshot', bare, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((x) => x.id).sort()).toEqual(CHECKS.map((c) => c.id).sort());
    const ruleIds = run.results.map((x) => x.ruleId);
    expect(ruleIds).toContain('exposed-datastore');
    expect(ruleIds.length).toBe(report('bare-host').findings.length);
  });

  it('--format html: a self-contained page naming the findings', () => {
    const r = portcullis(['audit', '--snapshot', bare, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stdout.slice(0, 20).toLowerCase()).toContain('<!doctype html>');
    expect(r.stdout).toContain('bare-host');
    expect(r.stdout).toContain('6379');
    expect(r.stdout).toContain('</html>');
  });

  it('--format text: the table and the findings', () => {
    const r = portcullis(['audit', '--snapshot', bare]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bare-host');
    expect(r.stdout).toMatch(/world\s+tcp\/6379/);
    expect(r.stdout).toMatch(/local\s+tcp\/6380/);
    expect(r.stdout).toContain('CRITICAL');
  });

  it('several snapshots give one report with every host', () => {
    const { report: r } = auditJson([bare, snapshotPath('mixed-backends')]);
    expect(r.hosts.map((h) => h.name).sort()).toEqual(['bare-host', 'mixed-backends']);
    expect(new Set(r.findings.map((f) => f.host))).toEqual(new Set(['bare-host', 'mixed-backends']));
  });
});

describe.skipIf(skip !== null)('recorded snapshots: bad input', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pc-a-bad-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const sentinel = (): string => {
    const out = join(tmp, `out-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(out, 'previous report\n');
    return out;
  };

  it('a bad policy: exit 2, file and line, --out left alone', () => {
    const out = sentinel();
    const policy = join(POLICIES, 'bad-port.yaml');
    const r = portcullis(['audit', '--snapshot', snapshotPath('bare-host'), '--config', policy, '--format', 'json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${policy}:6`);
    expect(r.stderr).toContain('70000/tcp');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
  });

  it('a snapshot with a wrong type: exit 2, file and JSON path, --out left alone', () => {
    const bad = join(tmp, 'wrong-type.json');
    const snap = JSON.parse(readFileSync(snapshotPath('bare-host'), 'utf8')) as { sockets: { port: unknown }[] };
    snap.sockets[3]!.port = 'six';
    writeFileSync(bad, JSON.stringify(snap, null, 2));
    const out = sentinel();
    const r = portcullis(['audit', '--snapshot', bad, '--format', 'json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('$.sockets[3].port');
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
  });

  it('a truncated snapshot: exit 2, file and line', () => {
    const bad = join(tmp, 'truncated.json');
    writeFileSync(bad, readFileSync(snapshotPath('ufw-allowlist'), 'utf8').split('\n').slice(0, 20).join('\n'));
    const out = sentinel();
    const r = portcullis(['audit', '--snapshot', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
  });

  it('a missing snapshot: exit 2, names the file', () => {
    const r = portcullis(['audit', '--snapshot', join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.json');
  });

  it('--out on success writes the report', () => {
    const out = sentinel();
    const r = portcullis(['audit', '--snapshot', snapshotPath('mixed-backends'), '--format', 'json', '--out', out, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as AuditReport).hosts[0]!.name).toBe('mixed-backends');
  });

  it('the recorded snapshot itself is untouched by a run', () => {
    const copy = join(tmp, 'copy.json');
    copyFileSync(snapshotPath('bare-host'), copy);
    portcullis(['audit', '--snapshot', copy, '--format', 'json']);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(snapshotPath('bare-host'), 'utf8'));
  });
});

describe.skipIf(skip !== null)('recorded snapshots: diff', () => {
  const before = snapshotPath('ufw-allowlist');
  const after = snapshotPath('ufw-redis-open');

  it('opening redis (ufw allow 6379/tcp) widens it: exit 1, names the service', () => {
    const r = portcullis(['diff', before, after]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/web-1 tcp\/6379 redis: local → world/);
    // Nothing else changed between the two recordings.
    expect(r.stdout).not.toMatch(/tcp\/(22|80|443|8080)\b/);
  });

  it('JSON: the widened service and the new critical finding', () => {
    const r = portcullis(['diff', '--format', 'json', before, after]);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as { findingsAdded: Finding[]; findingsRemoved: Finding[] };
    expect(d.findingsAdded.map((f) => f.id)).toEqual(['exposed-datastore:web-1:tcp/6379']);
    expect(d.findingsRemoved).toEqual([]);
    expect(r.stdout).toContain('6379');
  });

  it('closing it again is not a worsening: exit 0', () => {
    const r = portcullis(['diff', after, before]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6379');
  });

  it('a snapshot against itself: exit 0', () => {
    expect(portcullis(['diff', before, before]).code).toBe(0);
  });
});

describe.skipIf(skip !== null)('recorded snapshots: the diff gate follows --fail-on', () => {
  // Closing TCP 80 over IPv6 with a drop rule placed before the host's LOG rule: exposure only
  // narrows, but the new drop is not logged (a new low `drops-not-logged` finding), the
  // ACCEPT after it is shadowed and v4 and v6 now differ: all news, none a regression.
  const before = snapshotPath('iptables-drop-logged');
  let after = '';
  beforeAll(() => {
    const snap = JSON.parse(readFileSync(before, 'utf8')) as { firewall: Array<{ kind: string; backend: string | null; content: string }> };
    const v6 = snap.firewall.find((f) => f.kind === 'ip6tables-save' && f.backend === 'nft')!;
    v6.content = v6.content.replace('-A INPUT -p ipv6-icmp -j ACCEPT\n', '-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j DROP\n');
    after = join(mkdtempSync(join(tmpdir(), 'pc-diff-gate-')), 'after.json');
    writeFileSync(after, JSON.stringify(snap));
  });

  it('a new low finding is listed, but the default gate (high) passes: exit 0', () => {
    const r = portcullis(['diff', '--format', 'json', before, after]);
    const d = JSON.parse(r.stdout) as { findingsAdded: Finding[]; narrowed: Array<{ port: number }>; widened: unknown[]; failOn: string; worsened: boolean };
    expect(d.findingsAdded.map((f) => [f.rule, f.severity])).toContainEqual(['drops-not-logged', 'low']);
    // The others (the now shadowed ACCEPT, v4 and v6 differing) are below the gate too.
    expect(d.findingsAdded.filter((f) => f.severity === 'critical' || f.severity === 'high')).toEqual([]);
    expect(d.narrowed.map((c) => c.port)).toEqual([80]);
    expect(d.widened).toEqual([]);
    expect(d).toMatchObject({ failOn: 'high', worsened: false });
    expect(r.code).toBe(0);
  });

  it('--fail-on low makes the same change fail: exit 1', () => {
    const r = portcullis(['diff', '--fail-on', 'low', before, after]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Exposure got worse');
  });

  it('--fail-on none still fails a widening (exposure is not a finding)', () => {
    const r = portcullis(['diff', '--fail-on', 'none', after, before]);
    expect(r.code).toBe(1);
  });

  it('a bad --fail-on value: exit 2', () => {
    expect(portcullis(['diff', '--fail-on', 'severe', before, after]).code).toBe(2);
  });
});
