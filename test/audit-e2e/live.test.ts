/**
 * `portcullis audit` against live systems (root): builds scenarios of scenarios.mjs for
 * real (network namespaces, real Debian daemons, real rulesets, real kernel), collects
 * inside the server namespace, audits, and checks the audit against what the daemons do:
 * every service the audit calls world-reachable answers a client at 203.0.113.5 /
 * 2001:db8:2::5 (redis PING → +PONG, SSH banner, …), every one it calls local, closed or
 * allowlisted does not, and allowlisted ones answer from inside the allowlist.
 * The findings of a live run must equal those of the recorded snapshot
 * (test/fixtures/snapshots/), so the recordings stay true to the real systems.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditedService, AuditReport, Exposure } from '../../src/analyze/audit/types.js';
import type { Family } from '../../src/model/addr.js';
import { auditJson, BIN, snapshotPath } from './cli.js';
// Plain JS so that scripts/record-snapshots.mjs can run it with Node alone.
import { buildScenario } from './harness/build.mjs';
import { OFFICE_V4, SERVER_V4, SERVER_V6, WORLD_V4, WORLD_V6 } from './harness/topology.mjs';
import { DIALOGUES, probe, type ProbeResult } from './probe.js';
import { scenarioByName } from './scenarios.mjs';

const TOOLS = ['redis-server', 'memcached', 'vsftpd', 'nginx', 'sshd', 'ssh-keygen', 'socat', 'ufw', 'iptables-nft-restore', 'iptables-legacy-restore', 'ip6tables-nft-restore', 'unshare', 'ss'];
const LIVE = ['bare-host', 'ufw-allowlist', 'iptables-drop-nolog', 'mixed-backends'] as const;

function skipReason(): string | null {
  let reason: string | null = null;
  const has = (t: string): boolean => {
    try {
      execFileSync('sh', ['-c', 'command -v "$1" || test -x "/usr/sbin/$1"', 'sh', t], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces, daemons on ports below 1024)';
  else if (!has('ip')) reason = 'iproute2 missing';
  else {
    const missing = TOOLS.filter((t) => !has(t));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')} (Debian: redis-server memcached vsftpd nginx-light openssh-server socat ufw iptables)`;
    else {
      try {
        execFileSync('node', [BIN, '--version'], { stdio: 'ignore' });
      } catch {
        reason = `${BIN} not built (run: npx tsc -p tsconfig.json)`;
      }
    }
  }
  if (reason) console.warn(`\n!!! LIVE AUDIT TESTS SKIPPED: ${reason}\n`);
  return reason;
}

const skip = skipReason();

/** The host's own state the scenarios must never touch: the sysctls they set in namespaces, ufw's files. */
function hostState(): string {
  const h = createHash('sha256');
  for (const name of ['ipv4/tcp_syncookies', 'ipv4/conf/all/rp_filter', 'ipv4/conf/all/accept_source_route', 'ipv4/conf/all/accept_redirects', 'ipv4/conf/all/log_martians']) {
    h.update(`${name}=${readFileSync(`/proc/sys/net/${name}`, 'utf8')}`);
  }
  const walk = (p: string): void => {
    if (!existsSync(p)) return void h.update(`absent:${p}`);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else h.update(p).update(readFileSync(p));
  };
  walk('/etc/ufw');
  walk('/etc/default/ufw');
  return h.digest('hex');
}

interface Live {
  scenario: { topo: { server: string; client: string }; stop(): void };
  report: AuditReport;
}

describe.skipIf(skip !== null)('live: audit against real daemons in network namespaces', () => {
  const live = new Map<string, Live>();
  let tmp = '';
  let hostBefore = '';

  beforeAll(async () => {
    hostBefore = hostState();
    tmp = mkdtempSync(join(tmpdir(), 'pc-a-live-'));
    for (const name of LIVE) {
      const sc = await buildScenario(scenarioByName(name));
      live.set(name, { scenario: sc, report: undefined as unknown as AuditReport });
      const out = join(tmp, `${name}.json`);
      sc.collect(out);
      live.get(name)!.report = auditJson([out]).report;
    }
  }, 120_000);

  afterAll(() => {
    for (const l of live.values()) l.scenario.stop();
    rmSync(tmp, { recursive: true, force: true });
    // Checked here too, after the teardown: a scenario that leaked into the host fails the run.
    expect(hostState()).toBe(hostBefore);
  });

  it("leaves the host's sysctls and ufw configuration untouched", () => {
    expect(hostState()).toBe(hostBefore);
  });

  for (const name of LIVE) {
    it(`${name}: the live findings are the recorded ones`, () => {
      const ids = (r: AuditReport) => r.findings.map((f) => f.id).sort();
      expect(ids(live.get(name)!.report)).toEqual(ids(auditJson([snapshotPath(name)]).report));
    });

    it(`${name}: every service answers exactly where the audit says it is reachable`, async () => {
      const { scenario, report } = live.get(name)!;
      const checks: { what: string; expected: 'answered' | 'not answered'; run: Promise<ProbeResult> }[] = [];
      const plan = (svc: AuditedService, family: Family, source: string, expected: 'answered' | 'not answered', why: Exposure | 'in allowlist'): void => {
        const d = DIALOGUES[`${svc.proto}/${svc.port}`];
        if (!d) throw new Error(`no probe dialogue for ${svc.proto}/${svc.port}: add one to probe.ts`);
        const dest = family === 'ipv4' ? SERVER_V4 : SERVER_V6;
        checks.push({
          what: `${svc.proto}/${svc.port} (${svc.process?.name ?? '?'} on ${svc.address}) from ${source} [${family} ${why}]`,
          expected,
          run: probe(scenario.topo.client, svc.proto, source, dest, svc.port, d),
        });
      };
      for (const svc of report.hosts[0]!.services) {
        // An exposure read from unmodelled rules is an upper bound: the kernel may say less (see the -m time test).
        if (svc.uncertain.some((u) => u.kind !== 'rate-limit')) continue;
        for (const family of ['ipv4', 'ipv6'] as const) {
          const exposure = svc.exposureByFamily[family];
          // A family the socket does not take is another socket's business (e.g. sshd's two).
          if (exposure === 'closed') continue;
          const world = family === 'ipv4' ? WORLD_V4 : WORLD_V6;
          if (exposure === 'world' || exposure === 'wide') plan(svc, family, world, 'answered', exposure);
          else {
            plan(svc, family, world, 'not answered', exposure);
            if (exposure === 'allowlisted' && family === 'ipv4' && svc.sources.ipv4.includes('198.51.100.0/24')) plan(svc, family, OFFICE_V4, 'answered', 'in allowlist');
          }
        }
      }
      expect(checks.length).toBeGreaterThan(0);
      const got = await Promise.all(checks.map(async (c) => ({ ...c, result: await c.run })));
      const wrong = got
        .filter((c) => (c.result.outcome === 'answered') !== (c.expected === 'answered'))
        .map((c) => `${c.what}: expected ${c.expected}, got ${c.result.outcome} (${JSON.stringify(c.result.stdout.slice(0, 60))} ${c.result.stderr.trim().split('\n').pop() ?? ''})`);
      expect(wrong).toEqual([]);
    });
  }

  it('bare-host: redis on 0.0.0.0 answers PONG from 203.0.113.5 and the audit calls it critical', async () => {
    const { scenario, report } = live.get('bare-host')!;
    const r = await probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 6379, DIALOGUES['tcp/6379']!);
    expect(r.stdout).toContain('+PONG');
    expect(report.findings.find((f) => f.id === 'exposed-datastore:bare-host:tcp/6379')?.severity).toBe('critical');
  });

  it('bare-host: memcached answers over UDP from the world (amplification) and the audit says so', async () => {
    const { scenario, report } = live.get('bare-host')!;
    const r = await probe(scenario.topo.client, 'udp', WORLD_V4, SERVER_V4, 11211, DIALOGUES['udp/11211']!);
    expect(r.outcome).toBe('answered');
    expect(report.findings.some((f) => f.id === 'amplification-vector:bare-host:udp/11211')).toBe(true);
  });

  it('bare-host: redis on 127.0.0.1:6380 is local: refused from outside, PONG inside the server', async () => {
    const { scenario, report } = live.get('bare-host')!;
    expect(report.hosts[0]!.services.find((s) => s.port === 6380)?.exposure).toBe('local');
    const outside = await probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 6380, DIALOGUES['tcp/6380']!);
    expect(outside.outcome).toBe('refused');
    const inside = await probe(scenario.topo.server, 'tcp', '127.0.0.1', '127.0.0.1', 6380, DIALOGUES['tcp/6380']!);
    expect(inside.stdout).toContain('+PONG');
    expect(report.findings.filter((f) => f.service?.port === 6380)).toEqual([]);
  });

  it('ufw-allowlist: SSH answers the office (198.51.100.7), not the world; redis listens on 0.0.0.0 yet is filtered', async () => {
    const { scenario, report } = live.get('ufw-allowlist')!;
    const [office, world, redisWorld, redisInside] = await Promise.all([
      probe(scenario.topo.client, 'tcp', OFFICE_V4, SERVER_V4, 22, DIALOGUES['tcp/22']!),
      probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 22, DIALOGUES['tcp/22']!),
      probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 6379, DIALOGUES['tcp/6379']!),
      probe(scenario.topo.server, 'tcp', SERVER_V4, SERVER_V4, 6379, DIALOGUES['tcp/6379']!),
    ]);
    expect(office.outcome).toBe('answered');
    expect(world.outcome).toBe('silent');
    expect(redisWorld.outcome).toBe('silent');
    expect(redisInside.stdout).toContain('+PONG');
    expect(report.findings.filter((f) => f.rule === 'exposed-admin-service' || f.rule === 'exposed-datastore')).toEqual([]);
  });

  it('ufw-allowlist: 8080 answers over IPv6 from the world but not over IPv4 (dual-stack-mismatch)', async () => {
    const { scenario, report } = live.get('ufw-allowlist')!;
    const [v6, v4] = await Promise.all([
      probe(scenario.topo.client, 'tcp', WORLD_V6, SERVER_V6, 8080, DIALOGUES['tcp/8080']!),
      probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 8080, DIALOGUES['tcp/8080']!),
    ]);
    expect(v6.outcome).toBe('answered');
    expect(v4.outcome).toBe('silent');
    expect(report.findings.find((f) => f.id === 'dual-stack-mismatch:web-1:tcp/8080')?.severity).toBe('high');
  });

  it('iptables-drop-nolog: 8081 (-m time 09:00-17:00 UTC) is an upper bound: the audit says world, the kernel answers only in business hours', async () => {
    const { scenario, report } = live.get('iptables-drop-nolog')!;
    expect(report.hosts[0]!.services.find((s) => s.port === 8081)?.exposure).toBe('world');
    expect(report.findings.find((f) => f.id === 'uncertain-exposure:iptables-drop-nolog:tcp/8081')?.severity).toBe('info');
    const hour = new Date().getUTCHours();
    const r = await probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 8081, DIALOGUES['tcp/8081']!);
    // Outside the window the catch-all "-p tcp -j REJECT --reject-with tcp-reset" answers.
    expect(r.outcome).toBe(hour >= 9 && hour < 17 ? 'answered' : 'refused');
  });

  it('iptables-drop-nolog: 443 has an ACCEPT after the catch-all reject: refused for real, local in the audit, the rule reported shadowed', async () => {
    const { scenario, report } = live.get('iptables-drop-nolog')!;
    const r = await probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 443, DIALOGUES['tcp/443']!);
    expect(r.outcome).toBe('refused');
    expect(report.hosts[0]!.services.find((s) => s.port === 443 && s.address === '0.0.0.0')?.exposure).toBe('local');
    expect(report.findings.some((f) => f.rule === 'shadowed-rule' && f.title.includes('--dport 443 -j ACCEPT'))).toBe(true);
  });

  it('bare-host: the sysctls the audit reports are the namespace\'s own (kernel-hardening, ephemeral range)', () => {
    const { scenario, report } = live.get('bare-host')!;
    const facts = report.findings.filter((f) => f.rule === 'kernel-hardening' || f.rule === 'ephemeral-port-listener').flatMap((f) => f.evidence.facts);
    const sysctlFacts = facts.filter((f) => /^net\.[\w.]+ = /.test(f) && !f.includes('(empty)'));
    expect(sysctlFacts.length).toBeGreaterThanOrEqual(5);
    for (const fact of sysctlFacts) {
      const [name, value] = fact.split(' = ') as [string, string];
      const real = execFileSync('ip', ['netns', 'exec', scenario.topo.server, 'sysctl', '-n', name], { encoding: 'utf8' }).trim().replace(/\s+/g, ' ');
      expect(`${name} = ${real}`).toBe(`${name} = ${value}`);
    }
    // Set in the namespace only (the host keeps its own; see the host-state check).
    expect(facts).toContain('net.ipv4.tcp_syncookies = 0');
  });

  it('mixed-backends: the legacy DROP wins in the kernel as in the audit (9000 silent, 9001 answers)', async () => {
    const { scenario, report } = live.get('mixed-backends')!;
    const [p9000, p9001] = await Promise.all([
      probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 9000, DIALOGUES['tcp/9000']!),
      probe(scenario.topo.client, 'tcp', WORLD_V4, SERVER_V4, 9001, DIALOGUES['tcp/9001']!),
    ]);
    expect(p9000.outcome).toBe('silent');
    expect(p9001.outcome).toBe('answered');
    expect(report.findings.find((f) => f.id === 'backend-conflict:mixed-backends:tcp/9000')).toBeDefined();
  });
});
