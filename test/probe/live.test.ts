/**
 * `portcullis probe` against Debian's real servers in network namespaces (root): a server
 * namespace runs Redis (open, with requirepass, in protected mode), memcached (TCP+UDP),
 * vsftpd (anonymous and not), OpenSSH (with and without password authentication), nginx
 * (HTTP, HTTPS modern, HTTPS legacy with a certificate near expiry) and two socat ports
 * whose firewall changes after the snapshot; a client namespace probes it.
 * Checks: the refusal sends nothing (an nft counter at the server stays at zero), the open
 * ports equal `nmap -sT -p-` from the same client, every recognised service and auth
 * verdict, the findings, the predicted-vs-observed disagreements, and the JSON schema.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/analyze/probe/types.js';
import type { ProbedPort } from '../../src/model/probe.js';
import { BIN, REPO } from '../audit-e2e/cli.js';
import { DAEMONS, stopDaemon, waitListening } from '../audit-e2e/harness/daemons.mjs';
import { run, trackDir, untrackDir } from '../audit-e2e/harness/exec.mjs';
import { CLIENT_V4, CLIENT_V6, SERVER_V4, SERVER_V6, createTopology } from '../audit-e2e/harness/topology.mjs';
import { counterPackets } from './nft-counter.js';

const TOOLS = ['/usr/lib/postgresql', 'runuser', 'redis-server', 'memcached', 'vsftpd', 'nginx', 'sshd', 'ssh-keygen', 'socat', 'nmap', 'nft', 'iptables', 'openssl', 'unshare'];

function skipReason(): string | null {
  const has = (t: string): boolean => spawnSync('sh', ['-c', 'command -v "$1" || test -x "/usr/sbin/$1" || test -d "$1"', 'sh', t], { stdio: 'ignore' }).status === 0;
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces, daemons on ports below 1024)';
  else if (!has('ip')) reason = 'iproute2 missing';
  else {
    const missing = TOOLS.filter((t) => !has(t));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')} (Debian: postgresql redis-server memcached vsftpd nginx-light openssh-server socat nmap nftables iptables openssl)`;
    else if (spawnSync(process.execPath, [BIN, '--version']).status !== 0) reason = `${BIN} not built (run: npx tsc -p tsconfig.json)`;
  }
  if (reason) console.warn(`\n!!! LIVE PROBE TESTS SKIPPED: ${reason}\n`);
  return reason;
}

const skip = skipReason();

/** Runs the CLI inside a namespace. */
function cliIn(ns: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, BIN, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Packets that reached the server's input hook through eth0 (the counter rule's packets). */
function packetsAtServer(ns: string): number {
  return counterPackets(ns, 'pc_probe_count', 'input');
}

describe.skipIf(skip !== null)('live: probe real daemons in network namespaces', () => {
  let topo: ReturnType<typeof createTopology>;
  let dir: string;
  const daemons: ReturnType<(typeof DAEMONS)['socat']>[] = [];
  let refusal: { code: number; stderr: string; packetsBefore: number; packetsAfter: number };
  let report: ProbeReport;
  let nmapOpen: number[];
  let packetsAfterScan: number;
  let v6: { report: ProbeReport; nmapOpen: number[] };

  beforeAll(async () => {
    topo = createTopology();
    dir = mkdtempSync(join(tmpdir(), 'pc-probe-'));
    trackDir(dir);
    const s = topo.server;
    daemons.push(
      DAEMONS.redis(s, dir, { port: 6379, bind: '0.0.0.0' }),
      DAEMONS.redis(s, dir, { port: 6380, bind: '0.0.0.0', password: 'portcullis-test-secret' }),
      DAEMONS.redis(s, dir, { port: 6381, bind: '0.0.0.0', protectedMode: true }),
      DAEMONS.memcached(s, dir, { port: 11211 }),
      DAEMONS.vsftpd(s, dir, { port: 21, anonymous: true }),
      DAEMONS.vsftpd(s, dir, { port: 2121 }),
      DAEMONS.sshd(s, dir, { port: 22 }),
      DAEMONS.sshd(s, dir, { port: 2222, password: true }),
      DAEMONS.nginx(s, dir, { ports: [80] }),
      DAEMONS.nginxTls(s, dir, { port: 443 }),
      DAEMONS.nginxTls(s, dir, { port: 8443, protocols: 'TLSv1 TLSv1.1 TLSv1.2', days: 10 }),
      DAEMONS.postgres(s, dir, { port: 5432 }),
      DAEMONS.postgres(s, dir, { port: 5433, auth: 'trust' }),
      DAEMONS.socat(s, dir, { port: 7000 }),
      DAEMONS.socat(s, dir, { port: 7001 }),
    );
    await waitListening(s, daemons);
    // Count every packet arriving from the client before any other hook sees it.
    run(['ip', 'netns', 'exec', s, 'nft', '-f', '-'], 'table inet pc_probe_count {\n chain input {\n  type filter hook input priority -400; policy accept;\n  iifname "eth0" counter\n }\n}\n');

    // 1. The refusal, first: nothing may have reached the server.
    const before = packetsAtServer(s);
    const refused = cliIn(topo.client, ['probe', SERVER_V4, '--ports', '1-1024']);
    refusal = { code: refused.code, stderr: refused.stderr, packetsBefore: before, packetsAfter: packetsAtServer(s) };

    // 2. The snapshot the prediction comes from: 7001 dropped then, 7000 open then.
    run(['ip', 'netns', 'exec', s, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '7001', '-j', 'DROP']);
    const snapshot = join(dir, 'server.json');
    run(['ip', 'netns', 'exec', s, process.execPath, BIN, 'collect', '--out', snapshot]);
    // … and the firewall changes after it, as real firewalls do.
    run(['ip', 'netns', 'exec', s, 'iptables', '-D', 'INPUT', '-p', 'tcp', '--dport', '7001', '-j', 'DROP']);
    run(['ip', 'netns', 'exec', s, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '7000', '-j', 'DROP']);

    // 3. The probe (all ports, TCP; UDP for memcached's port) and nmap from the same client.
    const probed = cliIn(topo.client, ['probe', SERVER_V4, '--allow-remote', '--ports', 'all', '--snapshot', snapshot, '--json', '--fail-on', 'none']);
    if (probed.code !== 0) throw new Error(`probe failed (${probed.code}): ${probed.stderr}`);
    report = JSON.parse(probed.stdout) as ProbeReport;
    const udp = cliIn(topo.client, ['probe', SERVER_V4, '--allow-remote', '--udp', '--ports', '11211', '--json', '--fail-on', 'none']);
    const udpReport = JSON.parse(udp.stdout) as ProbeReport;
    report.targets[0]!.ports.push(...udpReport.targets[0]!.ports.filter((p) => p.proto === 'udp'));
    report.findings.push(...udpReport.findings.filter((f) => f.service?.proto === 'udp'));
    const xml = run(['ip', 'netns', 'exec', topo.client, 'nmap', '-n', '-Pn', '-sT', '-p-', '-oX', '-', SERVER_V4]);
    nmapOpen = [...xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    packetsAfterScan = packetsAtServer(s);

    // 4. IPv6: sshd and nginx listen on :: too, Redis and memcached on 0.0.0.0 only.
    const v6ports = '21,22,80,443,6379,11211';
    const probed6 = cliIn(topo.client, ['probe', SERVER_V6, '--allow-remote', '--ports', v6ports, '--no-compare', '--json', '--fail-on', 'none']);
    if (probed6.code !== 0) throw new Error(`IPv6 probe failed (${probed6.code}): ${probed6.stderr}`);
    const xml6 = run(['ip', 'netns', 'exec', topo.client, 'nmap', '-6', '-n', '-Pn', '-sT', '-p', v6ports, '-oX', '-', SERVER_V6]);
    v6 = { report: JSON.parse(probed6.stdout) as ProbeReport, nmapOpen: [...xml6.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])).sort((a, b) => a - b) };
  }, 600_000);

  afterAll(() => {
    for (const d of daemons) stopDaemon(d);
    topo?.destroy();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      untrackDir(dir);
    }
  });

  const port = (proto: 'tcp' | 'udp', n: number): ProbedPort => {
    const p = report.targets[0]!.ports.find((x) => x.proto === proto && x.port === n);
    if (!p) throw new Error(`${n}/${proto} not in the report`);
    return p;
  };

  it('refuses a non-local target without --allow-remote, naming it, and sends nothing', () => {
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toContain('--allow-remote');
    expect(refusal.stderr).toContain(SERVER_V4);
    expect(refusal.packetsBefore).toBe(0);
    expect(refusal.packetsAfter).toBe(0);
    // The counter does count: the allowed scan reached the server.
    expect(packetsAfterScan).toBeGreaterThan(65_535);
  });

  it('finds exactly the open TCP ports nmap -sT -p- finds from the same client', () => {
    const ours = report.targets[0]!.ports.filter((p) => p.proto === 'tcp' && p.state === 'open').map((p) => p.port).sort((a, b) => a - b);
    expect(ours).toEqual(nmapOpen);
    expect(ours).toEqual([21, 22, 80, 443, 2121, 2222, 5432, 5433, 6379, 6380, 6381, 7001, 8443, 11211]);
    expect(report.targets[0]!.vantage).toBe(CLIENT_V4);
    // 7000 is dropped: filtered, not closed; the rest of the 65,535 refused.
    expect(port('tcp', 7000).state).toBe('filtered');
    expect(report.targets[0]!.otherPorts).toEqual([{ proto: 'tcp', state: 'closed', count: 65535 - 15 }]);
  });

  it('IPv6: the same open ports as nmap -6 -sT, services recognised', () => {
    const t = v6.report.targets[0]!;
    expect(t.vantage).toBe(CLIENT_V6);
    const open = t.ports.filter((p) => p.state === 'open');
    expect(open.map((p) => p.port)).toEqual(v6.nmapOpen);
    expect(open.map((p) => `${p.port} ${p.service}`)).toEqual(['22 ssh', '80 http']);
  });

  it('recognises Redis and its three authentication answers', () => {
    expect(port('tcp', 6379)).toMatchObject({ service: 'redis', auth: 'none' });
    expect(port('tcp', 6379).product).toMatch(/^Redis \d/);
    expect(port('tcp', 6380)).toMatchObject({ service: 'redis', auth: 'required' });
    expect(port('tcp', 6381)).toMatchObject({ service: 'redis', auth: 'denied-protected-mode' });
  });

  it('recognises memcached over TCP and UDP, with the amplification factor', () => {
    expect(port('tcp', 11211)).toMatchObject({ service: 'memcached', auth: 'none' });
    const u = port('udp', 11211);
    expect(u).toMatchObject({ state: 'open', service: 'memcached' });
    expect(u.amplification).toBeGreaterThan(10);
  });

  it('PostgreSQL: no TLS offered; password required on one, trust on the other', () => {
    expect(port('tcp', 5432)).toMatchObject({ service: 'postgresql', auth: 'required', starttls: false });
    expect(port('tcp', 5432).facts).toContain('startup answered with authentication SASL (SCRAM)');
    expect(port('tcp', 5433)).toMatchObject({ service: 'postgresql', auth: 'none' });
  });

  it('FTP: anonymous login accepted on one vsftpd, refused on the other', () => {
    expect(port('tcp', 21)).toMatchObject({ service: 'ftp', auth: 'none', cleartextLogin: true });
    expect(port('tcp', 21).product).toMatch(/^vsFTPd/);
    expect(port('tcp', 2121)).toMatchObject({ service: 'ftp', auth: 'required' });
  });

  it('SSH: the methods offered before any credential, with and without password', () => {
    expect(port('tcp', 22)).toMatchObject({ service: 'ssh', auth: 'required', authMethods: ['publickey'] });
    expect(port('tcp', 22).product).toMatch(/^OpenSSH_/);
    expect(port('tcp', 2222).authMethods).toEqual(['publickey', 'password']);
  });

  it('HTTP and HTTPS: status, Server header, TLS versions each tried, certificate', () => {
    expect(port('tcp', 80)).toMatchObject({ service: 'http', tls: null });
    expect(port('tcp', 80).product).toMatch(/^nginx/);
    const modern = port('tcp', 443);
    expect(modern.service).toBe('https');
    expect(modern.tls!.versions).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(modern.tls!.certificate!.subjectCN).toBe('nginx-tls-443.example');
    const legacy = port('tcp', 8443);
    expect(legacy.tls!.versions).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    expect(legacy.tls!.certificate!.daysLeft).toBeGreaterThanOrEqual(9);
    expect(legacy.tls!.certificate!.daysLeft).toBeLessThanOrEqual(10);
  });

  it('reports the findings the issue names, at the right severities', () => {
    const sev = (rule: string, p: string) => report.findings.find((f) => f.rule === rule && `${f.service?.port}/${f.service?.proto}` === p)?.severity ?? null;
    expect(sev('probe-unauthenticated-datastore', '6379/tcp')).toBe('critical');
    expect(sev('probe-unauthenticated-datastore', '11211/tcp')).toBe('critical');
    expect(sev('probe-unauthenticated-datastore', '6380/tcp')).toBeNull();
    expect(sev('probe-unauthenticated-datastore', '5433/tcp')).toBe('critical');
    expect(sev('probe-unauthenticated-datastore', '5432/tcp')).toBeNull();
    expect(sev('probe-unauthenticated-datastore', '6381/tcp')).toBeNull();
    expect(sev('probe-cleartext-login', '21/tcp')).toBe('high');
    expect(sev('probe-ssh-password', '2222/tcp')).toBe('high');
    expect(sev('probe-ssh-password', '22/tcp')).toBeNull();
    expect(sev('probe-legacy-tls', '8443/tcp')).toBe('medium');
    expect(sev('probe-legacy-tls', '443/tcp')).toBeNull();
    expect(sev('probe-certificate-expiry', '8443/tcp')).toBe('medium');
    expect(sev('probe-udp-amplifier', '11211/udp')).toBe('high');
    // The default policy lists 80 and 443/tcp as public: everything else that answers is unlisted.
    expect(sev('probe-unlisted-open', '6379/tcp')).toBe('medium');
    expect(sev('probe-unlisted-open', '443/tcp')).toBeNull();
    expect(sev('probe-unlisted-open', '80/tcp')).toBeNull();
  });

  it('compares with the snapshot: what the firewall changed since is a disagreement, nothing else', () => {
    const c = report.comparison!;
    expect(c.snapshot).toMatch(/server\.json$/);
    expect(c.compared).toBeGreaterThanOrEqual(15);
    expect(c.disagreements.map((d) => `${d.port}/${d.proto} ${d.kind} ${d.predicted}→${d.observed}`).sort()).toEqual(['7000/tcp unexpected-filtered open→filtered', '7001/tcp unexpected-open filtered→open']);
  });

  it('writes JSON that satisfies schemas/probe.schema.json', () => {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'schemas/probe.schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });
});
