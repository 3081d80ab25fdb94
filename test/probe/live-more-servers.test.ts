/**
 * `portcullis probe` against more of Debian's real servers in network namespaces (root):
 * MariaDB (one with a TLS certificate, one without), unbound as an open resolver and as a
 * refusing one (on a second server address), inetutils telnetd behind an inetd-like socat,
 * and Exim with STARTTLS (Debian's default TLS settings, and one without TLS 1.0/1.1).
 * A client namespace probes them. Checks: the open TCP ports equal `nmap -sT`, the
 * handshake's version and TLS capability, auth required, the open-resolver verdict and its
 * finding, telnet's IAC negotiation and the cleartext-login finding, the TLS versions after
 * STARTTLS equal what `openssl s_client -starttls smtp` completes, and that nothing sent a
 * DNS query anywhere (an nft counter on the server's output).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/analyze/probe/types.js';
import type { ProbedPort } from '../../src/model/probe.js';
import { BIN, REPO } from '../audit-e2e/cli.js';
import { DAEMONS, stopDaemon, waitListening } from '../audit-e2e/harness/daemons.mjs';
import { run, trackDir, untrackDir } from '../audit-e2e/harness/exec.mjs';
import { SERVER_V4, createTopology } from '../audit-e2e/harness/topology.mjs';
import { counterPackets } from './nft-counter.js';

/** A second server address, for the refusing resolver (both resolvers listen on port 53). */
const SERVER_V4_B = '192.0.2.2';
const TOOLS = ['mariadbd', 'mariadb-install-db', 'unbound', 'telnetd', 'exim4', 'socat', 'nmap', 'nft', 'openssl'];

function skipReason(): string | null {
  const has = (t: string): boolean => spawnSync('sh', ['-c', 'command -v "$1" || test -x "/usr/sbin/$1"', 'sh', t], { stdio: 'ignore' }).status === 0;
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces, daemons on ports below 1024)';
  else if (!has('ip')) reason = 'iproute2 missing';
  else {
    const missing = TOOLS.filter((t) => !has(t));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')} (Debian: mariadb-server unbound inetutils-telnetd exim4-daemon-light socat nmap nftables openssl)`;
    else if (spawnSync(process.execPath, [BIN, '--version']).status !== 0) reason = `${BIN} not built (run: npx tsc -p tsconfig.json)`;
  }
  if (reason) console.warn(`\n!!! LIVE PROBE TESTS (MariaDB, unbound, telnetd, Exim) SKIPPED: ${reason}\n`);
  return reason;
}

const skip = skipReason();

/** Runs the CLI inside a namespace; throws with its stderr unless it exits 0. */
function probeFrom(ns: string, args: string[]): ProbeReport {
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, BIN, 'probe', ...args, '--allow-remote', '--no-compare', '--json', '--fail-on', 'none'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`probe ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ProbeReport;
}

/** Packets the server sent to port 53 anywhere (the counter rule's packets). */
function dnsQueriesSent(ns: string): number {
  return counterPackets(ns, 'pc_dns_out', 'output');
}

describe.skipIf(skip !== null)('live: probe MariaDB, unbound, telnetd and Exim in network namespaces', () => {
  let topo: ReturnType<typeof createTopology>;
  let dir: string;
  const daemons: ReturnType<(typeof DAEMONS)['socat']>[] = [];
  let main: ProbeReport;
  let refusing: ProbeReport;
  let nmapOpen: number[];
  let queriesSent: number;
  /** Per SMTP port, the versions openssl s_client completes after STARTTLS. */
  const opensslVersions: Record<number, string[]> = {};

  beforeAll(async () => {
    topo = createTopology();
    dir = mkdtempSync(join(tmpdir(), 'pc-probe-more-'));
    trackDir(dir);
    const s = topo.server;
    run(['ip', '-n', s, 'addr', 'add', `${SERVER_V4_B}/24`, 'dev', 'eth0']);
    // Count every packet the server sends to a DNS port: the resolvers must not send one.
    run(['ip', 'netns', 'exec', s, 'nft', '-f', '-'], 'table inet pc_dns_out {\n chain output {\n  type filter hook output priority -400; policy accept;\n  meta l4proto { tcp, udp } th dport 53 counter\n }\n}\n');
    daemons.push(
      DAEMONS.mariadb(s, dir, { port: 3306, tls: true }),
      DAEMONS.mariadb(s, dir, { port: 3307 }),
      DAEMONS.unbound(s, dir, { address: SERVER_V4, access: 'allow' }),
      DAEMONS.unbound(s, dir, { address: SERVER_V4_B, access: 'refuse' }),
      DAEMONS.telnetd(s, dir, { port: 23 }),
      DAEMONS.exim(s, dir, { port: 25 }),
      DAEMONS.exim(s, dir, { port: 587, gnutlsPriority: 'NORMAL:-VERS-TLS1.0:-VERS-TLS1.1' }),
    );
    await waitListening(s, daemons, 30_000);

    const ports = '23,25,53,587,3306,3307';
    main = probeFrom(topo.client, [SERVER_V4, '--udp', '--ports', ports]);
    refusing = probeFrom(topo.client, [SERVER_V4_B, '--udp', '--ports', '53']);
    const xml = run(['ip', 'netns', 'exec', topo.client, 'nmap', '-n', '-Pn', '-sT', '-p', ports, '-oX', '-', SERVER_V4]);
    nmapOpen = [...xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    queriesSent = dnsQueriesSent(s);
    // The reference: OpenSSL's own client, one version at a time, at security level 0 as ours.
    const flags: Record<string, string> = { TLSv1: '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3' };
    for (const p of [25, 587]) {
      opensslVersions[p] = Object.keys(flags).filter((v) => {
        const r = spawnSync('ip', ['netns', 'exec', topo.client, 'openssl', 's_client', '-brief', '-starttls', 'smtp', '-connect', `${SERVER_V4}:${p}`, flags[v]!, '-cipher', 'DEFAULT:@SECLEVEL=0'], { input: 'QUIT\n', encoding: 'utf8', timeout: 15_000 });
        // -brief prints "Protocol version: TLSv1.2" (on stderr) once the handshake completed.
        return new RegExp(`^Protocol version: ${v.replace('.', '\\.')}$`, 'm').test(r.stderr + r.stdout);
      });
    }
  }, 180_000);

  afterAll(() => {
    for (const d of daemons) stopDaemon(d);
    topo?.destroy();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      untrackDir(dir);
    }
  });

  const port = (report: ProbeReport, proto: 'tcp' | 'udp', n: number): ProbedPort => {
    const p = report.targets[0]!.ports.find((x) => x.proto === proto && x.port === n);
    if (!p) throw new Error(`${n}/${proto} not in the report`);
    return p;
  };
  const finding = (report: ProbeReport, rule: string, at: string) => report.findings.find((f) => f.rule === rule && `${f.service?.port}/${f.service?.proto}` === at)?.severity ?? null;

  it('finds the open TCP ports nmap -sT finds from the same client', () => {
    const ours = main.targets[0]!.ports.filter((p) => p.proto === 'tcp' && p.state === 'open').map((p) => p.port).sort((a, b) => a - b);
    expect(ours).toEqual(nmapOpen);
    expect(ours).toEqual([23, 25, 587, 3306, 3307]);
  });

  it('MariaDB: version from the handshake, TLS capability on one and not the other, auth required', () => {
    const withTls = port(main, 'tcp', 3306);
    expect(withTls).toMatchObject({ service: 'mariadb', auth: 'required', starttls: true });
    // Debian 12's server says "5.5.5-10.11.x-MariaDB-…": the replication-compat prefix is dropped.
    expect(withTls.product).toMatch(/^MariaDB 1\d\.\d+\.\d+-MariaDB/);
    expect(withTls.facts).toContain('handshake offers TLS (CLIENT_SSL)');
    const plain = port(main, 'tcp', 3307);
    expect(plain).toMatchObject({ service: 'mariadb', auth: 'required', starttls: false });
    // Auth is required, so no unauthenticated-datastore finding, whatever the TLS.
    expect(finding(main, 'probe-unauthenticated-datastore', '3306/tcp')).toBeNull();
    expect(finding(main, 'probe-unauthenticated-datastore', '3307/tcp')).toBeNull();
  });

  it('unbound: open resolver answers recursion (RA=1, not REFUSED), the refusing one does not', () => {
    const open = port(main, 'udp', 53);
    expect(open).toMatchObject({ state: 'open', service: 'dns', openResolver: true });
    expect(open.facts.join('\n')).toMatch(/recursion available \(RA=1\)/);
    expect(finding(main, 'probe-open-resolver', '53/udp')).not.toBeNull();
    const closed = port(refusing, 'udp', 53);
    expect(closed).toMatchObject({ state: 'open', service: 'dns', openResolver: false });
    expect(closed.facts.join('\n')).toMatch(/answered REFUSED/);
    expect(finding(refusing, 'probe-open-resolver', '53/udp')).toBeNull();
    // No TCP listener: unbound runs with do-tcp: no.
    expect(port(main, 'tcp', 53).state).toBe('closed');
  });

  it('the resolvers never sent a query anywhere', () => {
    expect(queriesSent).toBe(0);
  });

  it('telnet: IAC negotiation recognised, a high cleartext-login finding', () => {
    const t = port(main, 'tcp', 23);
    expect(t).toMatchObject({ service: 'telnet', cleartextLogin: true });
    expect(t.facts.join('\n')).toMatch(/Telnet option negotiation: (WILL|DO) \d+/);
    // The first bytes are option negotiation, not text: no raw IAC bytes shown as a banner.
    expect(t.banner ?? '').not.toMatch(/\xff/);
    expect(finding(main, 'probe-cleartext-login', '23/tcp')).toBe('high');
  });

  it('SMTP: STARTTLS offered, every TLS version tried after it, equal to openssl s_client', () => {
    const legacy = port(main, 'tcp', 25);
    expect(legacy).toMatchObject({ service: 'smtp', starttls: true });
    expect(legacy.banner).toMatch(/^220 mail\.example ESMTP Exim 4\.\d+/);
    expect(legacy.tls!.versions).toEqual(opensslVersions[25]);
    expect(legacy.tls!.versions).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    expect(legacy.tls!.certificate!.subjectCN).toBe('mail-25.example');
    expect(finding(main, 'probe-legacy-tls', '25/tcp')).toBe('medium');
    const modern = port(main, 'tcp', 587);
    expect(modern.tls!.versions).toEqual(opensslVersions[587]);
    expect(modern.tls!.versions).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(finding(main, 'probe-legacy-tls', '587/tcp')).toBeNull();
    // STARTTLS offered: no cleartext-login finding.
    expect(finding(main, 'probe-cleartext-login', '25/tcp')).toBeNull();
  });
});
