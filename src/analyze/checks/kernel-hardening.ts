/**
 * Kernel network hardening switched off, from the snapshot's sysctls. Each setting is read
 * the way the kernel combines `all` and the interface value (include/linux/inetdevice.h):
 * rp_filter takes the maximum, log_martians and (on non-routers) accept_redirects the OR,
 * accept_source_route the AND. New interfaces inherit `default`, so `default` stands for
 * the interfaces. A sysctl the snapshot lacks says nothing.
 *
 * @module
 */
import type { Finding, Severity } from '../audit/types.js';
import { hostFinding } from './helpers.js';
import type { Check } from './types.js';

interface Rule {
  key: string;
  /** Returns the offending settings (name = value), or null when fine or unknown. */
  test(get: (name: string) => number | null): string[] | null;
  severity: Severity;
  title: string;
  why: string;
  fix: Record<string, number>;
}

const pair = (prefix: string, leaf: string) => [`${prefix}.all.${leaf}`, `${prefix}.default.${leaf}`] as const;

function both(get: (n: string) => number | null, names: readonly string[], bad: (v: number) => boolean): string[] | null {
  const values = names.map(get);
  if (values.some((v) => v === null)) return null;
  return values.every((v) => bad(v!)) ? names.map((n, i) => `${n} = ${values[i]}`) : null;
}

function either(get: (n: string) => number | null, names: readonly string[], bad: (v: number) => boolean): string[] | null {
  const hits = names.filter((n) => get(n) !== null && bad(get(n)!)).map((n) => `${n} = ${get(n)}`);
  return hits.length > 0 ? hits : null;
}

const RULES: Rule[] = [
  {
    key: 'tcp_syncookies', severity: 'medium', title: 'SYN cookies are off',
    why: 'without SYN cookies a SYN flood fills the listen queue and locks clients out',
    test: (get) => either(get, ['net.ipv4.tcp_syncookies'], (v) => v === 0),
    fix: { 'net.ipv4.tcp_syncookies': 1 },
  },
  {
    key: 'rp_filter', severity: 'low', title: 'Reverse path filtering is off',
    why: 'packets with spoofed source addresses are accepted on any interface',
    test: (get) => both(get, pair('net.ipv4.conf', 'rp_filter'), (v) => v === 0),
    fix: { 'net.ipv4.conf.all.rp_filter': 1, 'net.ipv4.conf.default.rp_filter': 1 },
  },
  {
    key: 'accept_redirects', severity: 'low', title: 'ICMP redirects are accepted',
    why: 'a host on the local network can reroute this host\'s traffic through itself',
    test: (get) => either(get, [...pair('net.ipv4.conf', 'accept_redirects'), ...pair('net.ipv6.conf', 'accept_redirects')], (v) => v === 1),
    fix: { 'net.ipv4.conf.all.accept_redirects': 0, 'net.ipv4.conf.default.accept_redirects': 0, 'net.ipv6.conf.all.accept_redirects': 0, 'net.ipv6.conf.default.accept_redirects': 0 },
  },
  {
    key: 'accept_source_route', severity: 'medium', title: 'Source-routed packets are accepted',
    why: 'the sender chooses the route, which bypasses address-based filtering',
    test: (get) => {
      const v4 = both(get, pair('net.ipv4.conf', 'accept_source_route'), (v) => v === 1);
      const v6 = both(get, pair('net.ipv6.conf', 'accept_source_route'), (v) => v === 1);
      return v4 || v6 ? [...(v4 ?? []), ...(v6 ?? [])] : null;
    },
    fix: { 'net.ipv4.conf.all.accept_source_route': 0, 'net.ipv4.conf.default.accept_source_route': 0, 'net.ipv6.conf.all.accept_source_route': 0, 'net.ipv6.conf.default.accept_source_route': 0 },
  },
  {
    key: 'log_martians', severity: 'info', title: 'Martian packets are not logged',
    why: 'packets with impossible source addresses (spoofing, misrouting) leave no trace',
    test: (get) => both(get, pair('net.ipv4.conf', 'log_martians'), (v) => v === 0),
    fix: { 'net.ipv4.conf.all.log_martians': 1, 'net.ipv4.conf.default.log_martians': 1 },
  },
];

export const kernelHardening: Check = {
  id: 'kernel-hardening',
  title: 'Kernel network hardening is off',
  severity: 'medium',
  description:
    'Network sysctls that defend against floods and spoofing are off: tcp_syncookies=0, rp_filter=0 on all and default, accept_redirects=1, accept_source_route=1, log_martians=0. Each setting gives its own finding.',
  remediation: 'Set the values in /etc/sysctl.d/ and apply them with sysctl --system.',
  run(ctx) {
    const sysctls = ctx.host.sysctls;
    if (!sysctls) return [];
    const get = (name: string): number | null => {
      const v = sysctls[name];
      return v === undefined || v === null || !/^\s*-?\d+\s*$/.test(v) ? null : Number(v);
    };
    const out: Finding[] = [];
    for (const rule of RULES) {
      const bad = rule.test(get);
      if (!bad) continue;
      const lines = Object.entries(rule.fix).map(([k, v]) => `${k} = ${v}`);
      out.push(
        hostFinding(this, ctx, rule.key, {
          severity: rule.severity,
          title: rule.title,
          facts: [...bad, rule.why],
          summary: `Set ${lines.join(', ')}, now and at boot.`,
          commands: [...Object.entries(rule.fix).map(([k, v]) => `sysctl -w ${k}=${v}`), `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} > /etc/sysctl.d/60-portcullis-${rule.key}.conf`],
        }),
      );
    }
    return out;
  },
};
