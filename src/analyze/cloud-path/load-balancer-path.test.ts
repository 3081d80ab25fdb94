import { describe, expect, it } from 'vitest';
import { awsFiles, withFile } from '../../../test/cloud/load-aws.js';
import { cidrsToSet, parseAddr } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import type { AwsExportFile } from '../../parse/aws-json/index.js';
import { parseAwsExport } from '../../parse/aws-json/index.js';
import { type CloudHost, analyzeAwsNetwork } from './index.js';

const WEB = 'i-0a1b2c3d4e5f00001';
const DB = 'i-0a1b2c3d4e5f00002';
/** The web-vpc export plus the elbv2 calls: an NLB "web" (with sg-…4, client address kept) and an ALB "app", both internet-facing in the public subnet. */
const withElb = (): AwsExportFile[] => [...awsFiles('web-vpc'), ...awsFiles('web-vpc-elb')];

function analyze(files: AwsExportFile[]): Map<string, CloudHost> {
  const parsed = parseAwsExport(files);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(analyzeAwsNetwork(parsed.value).map((h) => [h.facts.instanceId, h]));
}

const entry = (h: CloudHost, lb: string) => h.facts.loadBalancers?.find((e) => e.loadBalancer === lb);

describe('elbv2 export (describe-load-balancers, -listeners, -target-groups, -target-health)', () => {
  it('reads balancers, listeners (TargetGroupArn and ForwardConfig), groups and per-group health', () => {
    const { value, diagnostics } = parseAwsExport(withElb());
    expect(diagnostics).toEqual([]);
    expect(value.loadBalancers.map((l) => [l.name, l.type, l.scheme, l.subnetIds, l.securityGroups])).toEqual([
      ['web', 'network', 'internet-facing', ['subnet-0a1b2c3d4e5f00001'], ['sg-0a1b2c3d4e5f00004']],
      ['app', 'application', 'internet-facing', ['subnet-0a1b2c3d4e5f00001'], ['sg-0a1b2c3d4e5f00004']],
    ]);
    expect(value.listeners.map((l) => [l.protocol, l.port, l.targetGroupArns.map((a) => a.split('/')[1])])).toEqual([
      ['HTTPS', 443, ['app-80']],
      ['TCP', 443, ['web-8080']],
    ]);
    const app = value.targetGroups.find((t) => t.name === 'app-80')!;
    expect(app.targets!.map((t) => [t.id, t.port, t.health])).toEqual([
      [WEB, 8080, 'healthy'],
      [DB, 80, 'unhealthy'],
      ['i-0a1b2c3d4e5f09999', 80, 'unused'],
    ]);
  });

  it('names the JSON path of a value it does not know', () => {
    const files = withFile(withElb(), 'describe-load-balancers.json', (d) => (d.LoadBalancers[1].Type = 'classic'));
    const d = parseAwsExport(files).diagnostics.filter((x) => x.severity === 'error');
    expect(d).toHaveLength(1);
    expect(d[0]!.location).toEqual({ file: 'describe-load-balancers.json', path: '$.LoadBalancers[1].Type' });
    expect(d[0]!.expected).toBe('application, network, gateway');
  });

  it('reads target health from a combined file keyed by the group name', () => {
    const split = withElb().filter((f) => !f.name.startsWith('describe-target-health-'));
    const health = withElb().filter((f) => f.name.startsWith('describe-target-health-'));
    const combined = { name: 'combined.json', text: JSON.stringify({ TargetHealth: Object.fromEntries(health.map((f) => [f.name.replace(/^describe-target-health-|\.json$/g, ''), JSON.parse(f.text).TargetHealthDescriptions])) }) };
    expect(analyze([...split, combined]).get(WEB)!.facts.loadBalancers).toEqual(analyze(withElb()).get(WEB)!.facts.loadBalancers);
  });
});

describe('load balancers as entry points', () => {
  const hosts = analyze(withElb());

  it('an NLB keeps the client address: the target port is reached from the internet through the NLB group', () => {
    const nlb = entry(hosts.get(WEB)!, 'web')!;
    expect(nlb).toMatchObject({ type: 'network', listener: { protocol: 'TCP', port: 443 }, targetGroup: 'web-8080', proto: 'tcp', targetPort: 8080, health: 'healthy', reachesTarget: true, closedBy: null });
    // The internet minus what the route table sends elsewhere (the VPC, the VPN prefix).
    const from = (a: string) => I.contains(cidrsToSet(nlb.sources.ipv4, 'ipv4') as I.IntervalSet<I.Ordinal>, parseAddr(a)!.value);
    expect([from('203.0.113.9'), from('10.0.2.20'), from('192.0.2.99'), from('198.51.100.7')]).toEqual([false, false, true, true]);
    const layers = nlb.path.map((h) => `${h.layer} ${h.id}`);
    expect(layers).toEqual([
      'internet-gateway igw-0a1b2c3d4e5f00001',
      'route-table rtb-0a1b2c3d4e5f00002',
      'network-acl-inbound acl-0a1b2c3d4e5f00001',
      'network-acl-outbound acl-0a1b2c3d4e5f00001',
      'security-group sg-0a1b2c3d4e5f00004', // the balancer's own group, 443 from 0.0.0.0/0
      'security-group sg-0a1b2c3d4e5f00001',
      'network-interface eni-0a1b2c3d4e5f00001',
    ]);
    // The target admits 8080 from members of the balancer's group (rule 6), not from the internet.
    expect(nlb.path.filter((h) => h.layer === 'security-group').flatMap((h) => h.rules.map((r) => `${r.id} ${r.rule}`))).toContain('sg-0a1b2c3d4e5f00001 ingress rule 6');
  });

  it('an NLB without groups passes the client address to a target whose group admits only the balancer: closed at the target', () => {
    const files = withFile(withElb(), 'describe-load-balancers.json', (d) => delete d.LoadBalancers[0].SecurityGroups);
    const nlb = entry(analyze(files).get(WEB)!, 'web')!;
    expect(nlb).toMatchObject({ reachesTarget: false, closedBy: 'target-security-group', sources: { ipv4: [], ipv6: [] } });
  });

  it('an ALB connects from its own address: the target group must admit the balancer, not the internet', () => {
    const alb = entry(hosts.get(WEB)!, 'app')!;
    expect(alb).toMatchObject({ type: 'application', listener: { protocol: 'HTTPS', port: 443 }, targetPort: 8080, reachesTarget: true });
    expect(hosts.get(WEB)!.facts.assumptions.some((a) => a.includes('interfaces of load balancer app'))).toBe(true);
    // db-1's group admits 5432 and 3306 only: the ALB's port 80 is closed there, though the target is registered.
    expect(entry(hosts.get(DB)!, 'app')).toMatchObject({ targetPort: 80, health: 'unhealthy', reachesTarget: false, closedBy: 'target-security-group' });
  });

  it("a listener the balancer's group does not admit is closed at the front", () => {
    const files = withFile(withElb(), 'describe-listeners-app.json', (d) => (d.Listeners[0].Port = 8443));
    expect(entry(analyze(files).get(WEB)!, 'app')).toMatchObject({ reachesTarget: false, closedBy: 'balancer-security-group' });
  });

  it("an ACL deny in the balancer's subnet closes the listener there", () => {
    const files = withFile(withElb(), 'describe-network-acls.json', (d) => {
      const acl = d.NetworkAcls.find((a: { NetworkAclId: string }) => a.NetworkAclId === 'acl-0a1b2c3d4e5f00001');
      acl.Entries.push({ CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '6', PortRange: { From: 443, To: 443 }, RuleAction: 'deny', RuleNumber: 50 });
    });
    expect(entry(analyze(files).get(WEB)!, 'web')).toMatchObject({ reachesTarget: false, closedBy: 'balancer-network-acl' });
  });

  it('an internal balancer is no entry point', () => {
    const files = withFile(withElb(), 'describe-load-balancers.json', (d) => {
      for (const lb of d.LoadBalancers) lb.Scheme = 'internal';
    });
    expect(analyze(files).get(WEB)!.facts.loadBalancers).toBeUndefined();
  });

  it('without target health the targets are unknown, and every instance of the VPC says so', () => {
    const files = withElb().filter((f) => !f.name.startsWith('describe-target-health-'));
    const got = analyze(files);
    expect(got.get(WEB)!.facts.loadBalancers).toBeUndefined();
    for (const id of [WEB, DB]) expect(got.get(id)!.facts.assumptions).toContain('targets of web-8080 unknown (describe-target-health-web-8080.json missing)');
  });
});

describe('listener rules (describe-rules)', () => {
  const ADMIN_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/admin-9000/5d2f6a1b7c8e9f00';
  const APP_LISTENER_RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/app/89abcdef01234567/0467ef3c8400ae65/';
  /** A second group on the ALB, web-1 port 9000, named by no default action. */
  const withAdmin = (files: AwsExportFile[]): AwsExportFile[] => [
    ...withFile(files, 'describe-target-groups.json', (d) =>
      d.TargetGroups.push({ ...d.TargetGroups[1], TargetGroupArn: ADMIN_ARN, TargetGroupName: 'admin-9000', Port: 9000 }),
    ),
    { name: 'describe-target-health-admin-9000.json', text: JSON.stringify({ TargetHealthDescriptions: [{ Target: { Id: WEB, Port: 9000 }, TargetHealth: { State: 'healthy' } }] }) },
  ];
  const adminRule = { RuleArn: `${APP_LISTENER_RULE}aa11bb22cc33dd44`, Priority: '10', Conditions: [{ Field: 'path-pattern', Values: ['/admin/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: ADMIN_ARN }], IsDefault: false };
  const admin = (files: AwsExportFile[]) => analyze(files).get(WEB)!.facts.loadBalancers?.filter((e) => e.targetGroup === 'admin-9000') ?? [];

  it('reads each rule, its listener from its ARN, its conditions and forwarded groups', () => {
    const files = withFile(withElb(), 'describe-rules-app-443.json', (d) => d.Rules.unshift(adminRule));
    const app = parseAwsExport(files).value.listeners.find((l) => l.protocol === 'HTTPS')!;
    expect(app.rules!.map((r) => [r.priority, r.conditions, r.targetGroupArns.map((a) => a.split('/')[1])])).toEqual([
      ['10', 'path-pattern /admin/*', ['admin-9000']],
      ['default', '', ['app-80']],
    ]);
    expect(parseAwsExport(files).value.listeners.find((l) => l.protocol === 'TCP')!.rules).toBeNull();
  });

  it('a group only a rule forwards to is reached through that listener, and the rule is named', () => {
    const files = withAdmin(withFile(withElb(), 'describe-rules-app-443.json', (d) => d.Rules.unshift(adminRule)));
    expect(admin(files).map((e) => [e.loadBalancer, e.listener.port, e.targetPort, e.listenerRules])).toEqual([['app', 443, 9000, ['priority 10: path-pattern /admin/*']]]);
    expect(analyze(files).get(WEB)!.facts.assumptions.join('\n')).not.toContain('admin-9000');
    // The default rule is named on the default group's entry.
    expect(entry(analyze(files).get(WEB)!, 'app')!.listenerRules).toEqual(['default']);
  });

  it('with the rules exported and none forwarding to the group, no listener reaches it', () => {
    expect(admin(withAdmin(withElb()))).toEqual([]);
  });

  it('without describe-rules, a group no default action names is read as reachable from every listener, and said so', () => {
    const files = withAdmin(withElb().filter((f) => !f.name.startsWith('describe-rules-')));
    expect(admin(files).map((e) => [e.listener.port, e.listenerRules])).toEqual([[443, undefined]]);
    expect(analyze(files).get(WEB)!.facts.assumptions).toContain('target group admin-9000 is attached to app but no default action forwards to it: read as reachable from HTTPS 443 (describe-rules not exported for them)');
  });

  it('a rule ARN that names no listener is an error at its JSON path', () => {
    const files = withFile(withElb(), 'describe-rules-app-443.json', (d) => (d.Rules[0].RuleArn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1'));
    const d = parseAwsExport(files).diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => x.location)).toEqual([{ file: 'describe-rules-app-443.json', path: '$.Rules[0].RuleArn' }]);
  });
});

describe('Classic Load Balancers (aws elb describe-load-balancers)', () => {
  const withClb = (): AwsExportFile[] => [...awsFiles('web-vpc'), ...awsFiles('web-vpc-clb')];

  it('reads the balancer, a listener per listener description and its instances as the targets', () => {
    const { value, diagnostics } = parseAwsExport(withClb());
    expect(diagnostics).toEqual([]);
    expect(value.loadBalancers.map((l) => [l.name, l.type, l.scheme, l.subnetIds, l.securityGroups])).toEqual([['legacy', 'classic', 'internet-facing', ['subnet-0a1b2c3d4e5f00001'], ['sg-0a1b2c3d4e5f00004']]]);
    expect(value.listeners.map((l) => [l.protocol, l.port, l.targetGroupArns])).toEqual([['TCP', 443, ['classic/legacy/instances/8080']]]);
    expect(value.targetGroups[0]!.targets!.map((t) => `${t.id}:${t.port}`)).toEqual([`${WEB}:8080`, `${DB}:8080`]);
  });

  it('proxies from its own address like an ALB: open to web-1 (its group admits the balancers\' group), closed at db-1', () => {
    const hosts = analyze(withClb());
    expect(entry(hosts.get(WEB)!, 'legacy')).toMatchObject({ type: 'classic', listener: { protocol: 'TCP', port: 443 }, targetGroup: 'legacy instances', targetPort: 8080, health: null, reachesTarget: true, seenFrom: { ipv4: ['10.0.1.50/32'], ipv6: [] } });
    expect(entry(hosts.get(DB)!, 'legacy')).toMatchObject({ reachesTarget: false, closedBy: 'target-security-group' });
    expect(entry(hosts.get(WEB)!, 'legacy')!.path.map((h) => `${h.layer} ${h.id}`)).toContain('security-group sg-0a1b2c3d4e5f00004');
    // The balancer's group admits 443 only: a listener on 80 is closed at the front.
    const on80 = withFile(withClb(), 'elb-describe-load-balancers.json', (d) => (d.LoadBalancerDescriptions[0].ListenerDescriptions[0].Listener.LoadBalancerPort = 80));
    expect(entry(analyze(on80).get(WEB)!, 'legacy')).toMatchObject({ reachesTarget: false, closedBy: 'balancer-security-group' });
  });

  it('an unknown Scheme is an error at its JSON path', () => {
    const files = withFile(withClb(), 'elb-describe-load-balancers.json', (d) => (d.LoadBalancerDescriptions[0].Scheme = 'public'));
    const d = parseAwsExport(files).diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => x.location)).toEqual([{ file: 'elb-describe-load-balancers.json', path: '$.LoadBalancerDescriptions[0].Scheme' }]);
  });
});

describe('load balancers in the findings and the sources', () => {
  // The NLB forwards to Redis (6379) instead: web-1's group admits 6379 from the office prefix list only.
  const redis = withFile(withFile(withElb(), 'describe-target-health-web-8080.json', (d) => (d.TargetHealthDescriptions[0].Target.Port = 6379)), 'describe-target-groups.json', (d) => (d.TargetGroups[0].Port = 6379));

  it('an NLB keeping the client address reaches the target only from the clients its group admits', () => {
    const nlb = entry(analyze(redis).get(WEB)!, 'web')!;
    expect(nlb).toMatchObject({ targetPort: 6379, reachesTarget: true, sources: { ipv4: ['192.0.2.128/25', '198.18.0.0/24'], ipv6: [] } });
  });
});
