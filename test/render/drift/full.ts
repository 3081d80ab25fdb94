/**
 * Fully populated results, typed so that the compiler proves every key exists in the types
 * (object literals reject unknown keys) and every key of the types is present (`Full<T>`
 * makes optional and nullable fields required). drift.test.ts compiles this file and then
 * checks the JSON schemas accept exactly these keys.
 */
import type { AuditReport } from '../../../src/analyze/audit/types.js';
import type { FlowAnswer, RuleRef } from '../../../src/analyze/types.js';
import type { ExposureDiff } from '../../../src/analyze/audit/diff.js';

/** Every property required and non-null, all the way down. */
export type Full<T> = T extends readonly (infer U)[] ? Full<U>[] : T extends object ? { [K in keyof T]-?: Full<NonNullable<T[K]>> } : T;

const rule: Full<RuleRef> = {
  backend: 'iptables-nft',
  family: 'ipv4',
  table: 'filter',
  chain: 'INPUT',
  position: 3,
  text: '-A INPUT -p tcp --dport 22 -j ACCEPT',
  origin: { file: 'rules.v4', line: 12, path: '$.x', resource: 'aws_security_group.web' },
};
const sources = { ipv4: ['198.51.100.0/24'], ipv6: ['2001:db8::/32'] };
const decision = { verdict: 'accept' as const, rule, hook: 'input', sources, omitted: { ipv4: 3, ipv6: 0 }, uncertain: true };
const uncertain = { construct: '-m mark --mark 1', kind: 'unmodelled' as const, detail: 'read as matching', rule };
const process = { pid: 1, name: 'sshd', cmdline: ['sshd'], user: 'root' };
const identity = {
  name: 'ssh',
  label: 'SSH',
  by: 'process' as const,
  risks: [{ class: 'remote-admin' as const, reason: 'shell', alternative: 'none', severity: 'high' as const, fix: 'PasswordAuthentication no' }],
  localOnly: 'ListenAddress 127.0.0.1',
};
const cloudRef = { id: 'sg-1', rule: 'ingress rule 1', text: 'allow tcp 22 from 0.0.0.0/0', origin: { file: 'describe-security-groups.json', line: 1, path: '$.SecurityGroups[0]', resource: 'aws_security_group.web' }, ipPermission: '[]' };
const cloudPath = [{ layer: 'security-group' as const, id: 'sg-1', rules: [cloudRef] }];
const base = {
  cloud: { internet: false, closedBy: 'network-acl-inbound' as const, path: cloudPath, loadBalancers: ['web (TCP 443)'], balancerSources: sources },
  proto: 'tcp' as const,
  port: 22,
  address: '::',
  family: 'ipv6' as const,
  dualStack: true,
  process,
  sources,
  sourcesOmitted: { ipv4: 0, ipv6: 12 },
  decisions: [decision],
  uncertain: [uncertain],
  rateLimited: true,
  interfaces: [{ name: 'eth1', sources, omitted: { ipv4: 3, ipv6: 0 } }],
  linkScoped: ['ipv6' as const],
  laterConnections: ['later connections, more than 10 concurrent connections from one address: reject (-m connlimit --connlimit-above 10), INPUT rule 3'],
  exposure: 'allowlisted' as const,
  exposureByFamily: { ipv4: 'allowlisted' as const, ipv6: 'closed' as const },
  service: identity,
  listedPublic: false,
  trustedBy: ['admins'],
};
const finding: Full<AuditReport['findings'][number]> = {
  id: 'exposed-admin-service:h:tcp/22',
  rule: 'exposed-admin-service',
  severity: 'high',
  host: 'h',
  service: { proto: 'tcp', port: 22 },
  title: 'SSH open',
  evidence: { exposure: 'world', sources, sourcesOmitted: { ipv4: 59_000, ipv6: 248 }, decisions: [decision], cloudRules: [cloudRef], facts: ['fact'] },
  remediation: { summary: 'close it', commands: ['ufw deny 22/tcp'] },
  suppressed: { reason: 'reviewed', expires: '2027-01-01', location: { file: 'policy.yaml', line: 3, path: '$.exceptions[0]', resource: 'aws_security_group.web' } },
};

export const fullReport: Full<AuditReport> = {
  format: 'portcullis-audit',
  version: 1,
  generatedAt: '2026-11-21T00:00:00.000Z',
  tool: { name: 'portcullis', version: '0.1.0' },
  policy: { file: 'policy.yaml' },
  hosts: [
    {
      name: 'h',
      collectedAt: '2026-11-21T00:00:00.000Z',
      services: [
        { ...base, path: { kind: 'local' } },
        { ...base, path: { kind: 'redirect', hostPorts: '2222' } },
        { ...base, path: { kind: 'forward', hostPorts: '8080', target: { address: '172.17.0.2', port: '80' }, targets: [{ address: '172.17.0.2', port: '80' }, { address: '172.17.0.3', port: '80' }] } },
      ],
      shadowedRules: [{ rule, kind: 'shadowed', coveredBy: [rule] }],
      backends: { ipv4: ['iptables-nft'], ipv6: ['nftables'] },
      sourceStatus: [{ source: 'iptables-save (nft)', status: 'passed', rules: 3 }],
      diagnostics: [{ code: 'unsupported.match', severity: 'warning', message: 'm', location: { file: 'f', line: 1, path: '$', resource: 'aws_security_group.web' }, expected: 'e', input: 'i' }],
      sysctls: { 'net.ipv4.tcp_syncookies': '1', 'net.ipv4.ip_forward': '0' },
      firewall: { inputDropsLogged: { ipv4: true, ipv6: false } },
      internet: [{ proto: 'tcp', fromPort: 22, toPort: 22, sources, path: cloudPath }],
      cloud: {
        provider: 'aws',
        instanceId: 'i-1',
        name: 'web-1',
        state: 'running',
        interfaces: [{ id: 'eni-1', subnetId: 'subnet-1', privateIps: ['10.0.1.10'], publicIps: ['192.0.2.10'], ipv6: ['2001:db8::10'], securityGroups: ['sg-1'], networkAcl: 'acl-1', routeTable: 'rtb-1' }],
        returnBlocked: [{ proto: 'tcp', fromPort: 443, toPort: 443, sources, networkAcl: 'acl-1' }],
        wideAclRules: [{ aclId: 'acl-1', ruleNumber: 130, text: 'allow tcp 1024-65535 from 0.0.0.0/0', proto: 'tcp', fromPort: 1024, toPort: 65535, cidr: '0.0.0.0/0' }],
        openGroupRules: [{ ref: cloudRef, proto: 'tcp', fromPort: 22, toPort: 22 }],
        loadBalancers: [
          {
            loadBalancer: 'web',
            loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/web/0123456789abcdef',
            type: 'network',
            listener: { protocol: 'TCP', port: 443 },
            listenerRules: ['default'],
            targetGroup: 'web-8080',
            proto: 'tcp',
            targetPort: 8080,
            health: 'healthy',
            reachesTarget: true,
            closedBy: 'target-security-group',
            sources,
            seenFrom: sources,
            path: cloudPath,
          },
        ],
        assumptions: ['assumed'],
        joined: { hostname: 'web-1', by: 'private-address' },
      },
      firewallUnreadable: { ipv4: 'firewall not readable as this user (permission denied: run as root)', ipv6: 'firewall not readable (nft: not found)' },
    },
  ],
  findings: [finding],
  summary: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
};

export const fullAnswer: Full<FlowAnswer> = {
  from: '198.51.100.1',
  to: '192.0.2.1',
  port: 22,
  proto: 'tcp',
  sport: 40000,
  iface: 'eth0',
  state: 'filtered',
  firewall: 'reject',
  rejectWith: 'tcp-reset',
  listener: { address: '0.0.0.0', port: 22, process },
  arrival: [{ iface: 'eth1', route: '10.20.0.0/16 dev eth1' }],
  trace: [{ hook: 'input', rule, verdict: 'reject', partial: true, uncertain: true }],
  uncertain: [uncertain],
  notes: ['note'],
};

const summary = { host: 'h', proto: 'tcp' as const, port: 22, service: 'ssh', exposure: 'world' as const, sources };
const change = { host: 'h', proto: 'tcp' as const, port: 22, service: 'ssh', from: 'internal' as const, to: 'world' as const, addedSources: sources, removedSources: sources };

export const fullDiff: Full<ExposureDiff> = {
  format: 'portcullis-diff',
  version: 1,
  old: { generatedAt: '2026-11-20T00:00:00.000Z' },
  new: { generatedAt: '2026-11-21T00:00:00.000Z' },
  newListeners: [summary],
  goneListeners: [summary],
  widened: [change],
  narrowed: [change],
  findingsAdded: [finding],
  findingsRemoved: [finding],
  failOn: 'high',
  worsened: true,
};
