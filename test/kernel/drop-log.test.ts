/**
 * `portcullis logs` on what the real kernel logs: an iptables LOG rule in a namespace, an nmap
 * SYN scan of 20 ports (IPv4) and 2 ports (IPv6) against it, and a UDP probe whose ICMP port
 * unreachable the client logs (quoting the UDP packet). The kernel's lines (dmesg, with their
 * uptime) are framed as rsyslog writes kern.log and read back: every port, the scanner, the
 * compressed IPv6 source, and no attempt on the quoted port.
 *
 * Needs root; sets net.netfilter.nf_log_all_netns to 1 while it runs (LOG in a namespace is
 * silent otherwise) and puts the previous value back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogSummary } from '../../src/analyze/log-summary/types.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';

const skip = kernelSkipReason(['iptables', 'ip6tables', 'nmap', 'dmesg']);
const SYSCTL = '/proc/sys/net/netfilter/nf_log_all_netns';

function sh(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function bsdStamp(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

describe.skipIf(skip !== null)('logs on the kernel\'s own LOG lines', () => {
  it('counts what nmap sent, finds the scanner, ignores the packet an ICMP error quotes', () => {
    const tag = `pcl${Math.random().toString(36).slice(2, 8)}`;
    const [s, c] = [`${tag}-s`, `${tag}-c`];
    const dir = mkdtempSync(join(tmpdir(), 'pc-droplog-'));
    let previous: string | null = null;
    try {
      sh(['ip', 'netns', 'add', s]);
      sh(['ip', 'netns', 'add', c]);
      sh(['ip', 'link', 'add', `v${tag}s`, 'netns', s, 'type', 'veth', 'peer', 'name', `v${tag}c`, 'netns', c]);
      for (const [ns, dev, v4, v6] of [[s, `v${tag}s`, '192.0.2.1/24', '2001:db8:1::1/64'], [c, `v${tag}c`, '192.0.2.10/24', '2001:db8:1::10/64']] as const) {
        sh(['ip', '-n', ns, 'addr', 'add', v4, 'dev', dev]);
        sh(['ip', '-n', ns, 'addr', 'add', v6, 'dev', dev, 'nodad']);
        sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
        sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      }
      previous = readFileSync(SYSCTL, 'utf8').trim();
      writeFileSync(SYSCTL, '1');
      const inS = (argv: string[]) => sh(['ip', 'netns', 'exec', s, ...argv]);
      const inC = (argv: string[]) => sh(['ip', 'netns', 'exec', c, ...argv]);
      inS(['iptables', '-A', 'INPUT', '-p', 'tcp', '-j', 'LOG', '--log-prefix', `[${tag} BLOCK] `]);
      inS(['iptables', '-A', 'INPUT', '-p', 'tcp', '-j', 'DROP']);
      inS(['iptables', '-A', 'INPUT', '-p', 'udp', '-j', 'REJECT']);
      inS(['ip6tables', '-A', 'INPUT', '-p', 'tcp', '-j', 'LOG', '--log-prefix', `[${tag} BLOCK] `]);
      inS(['ip6tables', '-A', 'INPUT', '-p', 'tcp', '-j', 'DROP']);
      inC(['iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'LOG', '--log-prefix', `[${tag} ICMP] `]);
      inC(['nmap', '-n', '-Pn', '-sS', '--max-retries', '0', '-p', '1-20', '192.0.2.1']);
      inC(['nmap', '-n', '-Pn', '-6', '-sS', '--max-retries', '0', '-p', '22,80', '2001:db8:1::1']);
      inC(['nmap', '-n', '-Pn', '-sU', '--max-retries', '0', '-p', '53', '192.0.2.1']);

      const kernel = sh(['dmesg']).split('\n').filter((l) => l.includes(`[${tag} `));
      const now = bsdStamp(new Date());
      writeFileSync(join(dir, 'kern.log'), kernel.map((l) => `${now} ${tag} kernel: ${l.trimEnd()}`).join('\n') + '\n');
      const tcpLines = kernel.filter((l) => l.includes('PROTO=TCP'));
      const icmpLines = kernel.filter((l) => l.includes('PROTO=ICMP '));
      expect(icmpLines.length, 'the client logged the port unreachable').toBeGreaterThan(0);
      expect(icmpLines[0]).toMatch(/\[SRC=192\.0\.2\.10 DST=192\.0\.2\.1 .*PROTO=UDP SPT=\d+ DPT=53/);

      const s2 = JSON.parse(execFileSync(process.execPath, [PORTCULLIS_BIN, 'logs', join(dir, 'kern.log'), '--format', 'json'], { encoding: 'utf8' })) as LogSummary;
      expect(s2.lines).toMatchObject({ read: kernel.length, netfilter: kernel.length, malformed: 0, skipped: 0, drops: kernel.length });
      expect(s2.attempts).toBe(tcpLines.length + icmpLines.length);
      const v4ports = s2.ports.filter((p) => p.proto === 'tcp').map((p) => p.port).sort((a, b) => a - b);
      expect(v4ports).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 22, 80].sort((a, b) => a - b).filter((p, i, a) => a.indexOf(p) === i));
      expect(s2.ports.some((p) => p.port === 53)).toBe(false);
      expect(s2.protocols).toEqual([{ proto: 'icmp', attempts: icmpLines.length, sources: 1 }]);
      expect(s2.sources.map((x) => x.address).sort()).toEqual(['192.0.2.1', '192.0.2.10', '2001:db8:1::10']);
      expect(s2.scanners.map((x) => [x.address, x.ports])).toEqual([['192.0.2.10', 20]]);
      expect(s2.prefixes.map((p) => p.prefix).sort()).toEqual([`[${tag} BLOCK]`, `[${tag} ICMP]`]);
    } finally {
      if (previous !== null) writeFileSync(SYSCTL, previous);
      for (const ns of [s, c]) {
        try {
          sh(['ip', 'netns', 'del', ns]);
        } catch {
          /* not created */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
