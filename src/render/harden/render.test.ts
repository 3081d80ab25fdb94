import { describe, expect, it } from 'vitest';
import type { HardenPlan, PlannedService } from '../../analyze/harden/types.js';
import { renderHardenIptables, renderHardenNft, renderHardenPlanJson, renderHardenSysctl } from './index.js';
import { commentText, limitRate } from './rule-parts.js';

const ssh: PlannedService = {
  proto: 'tcp',
  port: 22,
  service: 'ssh',
  process: 'sshd',
  path: 'local',
  families: ['ipv4', 'ipv6'],
  sources: { ipv4: ['198.51.100.0/24'], ipv6: [] },
  public: false,
  rateLimited: true,
  because: { kind: 'allow', index: 0, text: 'allow[0] from "office" (p.yaml:6)' },
};
const web: PlannedService = { ...ssh, port: 443, service: 'https', process: 'nginx', sources: { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] }, public: true, rateLimited: false, because: { kind: 'public', index: 0, text: 'public[0]' } };
const published: PlannedService = { ...web, port: 8080, service: 'http', process: 'docker-proxy', path: 'forward', families: ['ipv4'], sources: { ipv4: ['192.0.2.0/24'], ipv6: [] }, targets: [{ address: '172.17.0.2', port: '80' }] };

const plan: HardenPlan = {
  format: 'portcullis-harden-plan',
  version: 1,
  host: 'web-1',
  policy: { file: 'p.yaml' },
  open: [ssh, web, published],
  closed: [{ proto: 'tcp', port: 6379, addresses: ['0.0.0.0'], process: 'redis-server', service: 'redis', path: 'local' }],
  loopbackOnly: [],
  adminRateLimit: { connections: 6, seconds: 30 },
  ephemeralPorts: { from: 32768, to: 60999 },
  reservedPorts: [40000, 40001, 40002, 50000],
  logPrefix: '[portcullis drop] ',
};

describe('harden renderers', () => {
  it('nft: one self-replacing table, never a ruleset flush; rules per family; the limit before the accept', () => {
    const text = renderHardenNft(plan);
    expect(text).not.toMatch(/flush ruleset/);
    expect(text.split('\n').slice(3, 6)).toEqual(['table inet portcullis', 'delete table inet portcullis', 'table inet portcullis {']);
    const input = text.slice(text.indexOf('chain input'), text.indexOf('chain forward'));
    expect(input).toContain('type filter hook input priority filter; policy drop;');
    const limit = input.indexOf('ip saddr { 198.51.100.0/24 } tcp dport 22 ct state new update @limit_tcp_22_v4 { ip saddr limit rate over 12/minute burst 6 packets } drop');
    const accept = input.indexOf('ip saddr { 198.51.100.0/24 } tcp dport 22 accept comment "ssh (sshd) 22/tcp: allow[0] from office (p.yaml:6)"');
    expect(limit).toBeGreaterThan(0);
    expect(accept).toBeGreaterThan(limit);
    // No IPv6 source for ssh: no IPv6 rule at all (closed), none with an empty set.
    expect(input).not.toMatch(/ip6 saddr \{\s*\}/);
    expect(input).not.toMatch(/limit_tcp_22_v6/);
    expect(input).toContain('meta nfproto ipv6 tcp dport 443 accept');
    expect(input).toContain('log prefix "[portcullis drop] "');
    const forward = text.slice(text.indexOf('chain forward'));
    expect(forward).toContain('ip saddr { 192.0.2.0/24 } ct status dnat meta l4proto tcp ct original proto-dst 8080 accept');
    expect(forward).toContain('ct status dnat ct state new drop');
  });

  it('iptables: filter table only, hashlimit with the same bucket, LOG with the prefix, FORWARD only for published ports', () => {
    const { rulesV4, rulesV6 } = renderHardenIptables(plan);
    expect(rulesV4).toMatch(/^\*filter$/m);
    expect(rulesV4).not.toMatch(/^\*(nat|mangle|raw)/m);
    expect(rulesV4).toContain(':INPUT DROP [0:0]');
    expect(rulesV4).toContain('-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m hashlimit --hashlimit-above 12/min --hashlimit-burst 6 --hashlimit-mode srcip');
    expect(rulesV4).toContain('-A FORWARD -s 192.0.2.0/24 -p tcp -m conntrack --ctstate DNAT --ctproto tcp --ctorigdstport 8080');
    expect(rulesV4).toContain('-j LOG --log-prefix "[portcullis drop] "');
    expect(rulesV6).not.toContain('--dport 22');
    expect(rulesV6).toContain('--icmpv6-type 2 '); // packet too big
    expect(rulesV6).not.toContain('8080');
  });

  it('sysctl: the range, reserved listeners collapsed into ranges, the hardening switches', () => {
    const text = renderHardenSysctl(plan);
    expect(text).toContain('net.ipv4.ip_local_port_range = 32768 60999');
    expect(text).toContain('net.ipv4.ip_local_reserved_ports = 40000-40002,50000');
    for (const line of ['net.ipv4.tcp_syncookies = 1', 'net.ipv4.conf.all.rp_filter = 1', 'net.ipv4.conf.all.accept_redirects = 0', 'net.ipv6.conf.all.accept_source_route = 0', 'net.ipv4.conf.all.log_martians = 1']) expect(text).toContain(line);
  });

  it('plan.json is stable: the same plan gives the same bytes, keys sorted', () => {
    const reordered = JSON.parse(JSON.stringify(plan), (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)) as HardenPlan;
    expect(renderHardenPlanJson(reordered)).toBe(renderHardenPlanJson(plan));
  });

  it('limit rates: whole numbers in the smallest unit; comments stay printable and unquoted', () => {
    expect(limitRate({ connections: 6, seconds: 30 })).toEqual({ rate: 12, unit: 'minute', burst: 6 });
    expect(limitRate({ connections: 5, seconds: 7 })).toEqual({ rate: 61715, unit: 'day', burst: 5 });
    expect(limitRate({ connections: 1, seconds: 3600 })).toEqual({ rate: 1, unit: 'hour', burst: 1 });
    expect(commentText('a "quoted"\u202e\nname\\')).toBe('a quotedname');
  });
});
