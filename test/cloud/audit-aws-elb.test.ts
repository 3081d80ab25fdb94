/**
 * `audit --aws` on an export with load balancers: the built binary reads the per-resource
 * elbv2 files (describe-listeners-<name>.json, describe-target-health-<group>.json) from the
 * directory and reports, per instance, which internet-facing balancer reaches which port.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validator } from '../render/load.js';
import { AWS_FIXTURES } from './load-aws.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const tmp = mkdtempSync(join(tmpdir(), 'pc-aws-elb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// One directory, as `aws ec2 …` and `aws elbv2 …` would fill it.
const DIR = join(tmp, 'export');
cpSync(join(AWS_FIXTURES, 'web-vpc'), DIR, { recursive: true });
cpSync(join(AWS_FIXTURES, 'web-vpc-elb'), DIR, { recursive: true });

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('portcullis audit --aws with load balancers', () => {
  it('JSON: each instance lists the balancers that forward to it, valid against the schema', () => {
    const r = run(['audit', '--aws', DIR, '--json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(validator('audit')(report), JSON.stringify(validator('audit').errors?.slice(0, 3))).toBe(true);
    const host = (id: string) => report.hosts.find((h: any) => h.name === id);
    const lbs = (id: string) => host(id).cloud.loadBalancers.map((e: any) => `${e.loadBalancer} ${e.listener.port} → ${e.targetPort} ${e.reachesTarget ? 'open' : e.closedBy}`);
    expect(lbs('i-0a1b2c3d4e5f00001')).toEqual(['web 443 → 8080 open', 'app 443 → 8080 open']);
    expect(lbs('i-0a1b2c3d4e5f00002')).toEqual(['app 443 → 80 target-security-group']);
    // Port 8080 is no direct internet entry: only the balancers reach it.
    expect(host('i-0a1b2c3d4e5f00001').internet.map((e: any) => e.fromPort)).not.toContain(8080);
  });

  it('joined with the host: the service on the target port names the balancers that reach it', () => {
    const r = run(['audit', '--aws', DIR, '--snapshot', join(DIR, 'host-web-1.json'), '--json', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout);
    expect(validator('audit')(report), JSON.stringify(validator('audit').errors?.slice(0, 3))).toBe(true);
    const web = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    const svc = (port: number) => web.services.find((s: any) => s.port === port);
    // socat on 8080: no direct internet path (closed by the groups), but both balancers forward to it.
    expect(svc(8080).cloud).toMatchObject({ internet: false, closedBy: 'security-group', loadBalancers: ['web (TCP 443)', 'app (HTTPS 443)'] });
    expect(svc(6379).cloud.loadBalancers).toBeUndefined();
    // The host firewall takes no IPv4 on 8080 from anywhere: the balancers reach the port, not the socket.
    expect(svc(8080).sources.ipv4).toEqual([]);
    expect(svc(8080).cloud.balancerSources).toBeUndefined();
  });

  it('text and HTML say which balancer exposes the port', () => {
    // The terminal wraps long lines: compare with the wrapping undone.
    const text = run(['audit', '--aws', DIR, '--fail-on', 'none']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('tcp 8080 ← load balancer web (network, TCP 443, target group web-8080, healthy): open to the internet');
    expect(text).toContain("tcp 80 ← load balancer app (application, HTTPS 443, target group app-80, unhealthy): closed by the target's security groups");
    const html = run(['audit', '--aws', DIR, '--format', 'html', '--fail-on', 'none']).stdout;
    expect(html).toContain('load balancer web (network, TCP 443, target group web-8080, healthy): open to the internet');
  });

  it('a sensitive port behind an internet-facing balancer is a finding, with the fix on the balancer\'s group', () => {
    // The NLB forwards to Redis, and web-1's group admits 6379 from the NLB's group.
    const dir = join(tmp, 'redis');
    cpSync(DIR, dir, { recursive: true });
    const edit = (file: string, change: (d: any) => void) => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      change(doc);
      writeFileSync(join(dir, file), JSON.stringify(doc));
    };
    edit('describe-target-groups.json', (d) => (d.TargetGroups[0].Port = 6379));
    edit('describe-target-health-web-8080.json', (d) => (d.TargetHealthDescriptions[0].Target.Port = 6379));
    edit('describe-security-groups.json', (d) => Object.assign(d.SecurityGroups[0].IpPermissions[4], { FromPort: 6379, ToPort: 6379 }));
    const report = JSON.parse(run(['audit', '--aws', dir, '--json', '--fail-on', 'none']).stdout);
    const web = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    const f = report.findings.find((x: any) => x.rule === 'cloud-open-port' && x.title.includes('through load balancer web'));
    expect(f, JSON.stringify(report.findings.map((x: any) => x.title))).toBeDefined();
    expect(f.title).toBe('6379/tcp on i-0a1b2c3d4e5f00001 is open to the internet (world) through load balancer web (TCP 443)');
    expect(f.severity).toBe('critical');
    // The fix narrows the balancer's group (sg-…4), not web-1's rule naming it.
    expect(f.remediation.commands.join('\n')).toContain('sg-0a1b2c3d4e5f00004');
    expect(f.remediation.commands.join('\n')).not.toContain('--group-id sg-0a1b2c3d4e5f00001');
    expect(web.cloud.loadBalancers[0]).toMatchObject({ targetPort: 6379, reachesTarget: true });
  });

  it('the exposure class counts the strangers a balancer lets in, when the host firewall admits what it sees of them', () => {
    // The ALB forwards to Redis on web-1 (6379), whose group admits 6379 from the balancer's group only (not the office list).
    const dir = join(tmp, 'alb-redis');
    cpSync(DIR, dir, { recursive: true });
    const edit = (file: string, change: (d: any) => void) => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      change(doc);
      writeFileSync(join(dir, file), JSON.stringify(doc));
    };
    edit('describe-target-health-app-80.json', (d) => (d.TargetHealthDescriptions[0].Target.Port = 6379));
    edit('describe-security-groups.json', (d) => {
      Object.assign(d.SecurityGroups[0].IpPermissions[4], { FromPort: 6379, ToPort: 6379 });
      d.SecurityGroups[0].IpPermissions.splice(2, 1);
    });
    const report = JSON.parse(run(['audit', '--aws', dir, '--snapshot', join(dir, 'host-web-1.json'), '--json', '--fail-on', 'none']).stdout);
    expect(validator('audit')(report), JSON.stringify(validator('audit').errors?.slice(0, 3))).toBe(true);
    const web = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    const svc = (port: number) => web.services.find((s: any) => s.port === port && s.family === 'ipv4');
    const alb = web.cloud.loadBalancers.find((e: any) => e.loadBalancer === 'app' && e.targetPort === 6379);
    // The ALB's interfaces are not in the export: read as any address of its subnet, of which web-1's
    // group admits the members of the balancers' group (10.0.1.50).
    expect(alb).toMatchObject({ reachesTarget: true, seenFrom: { ipv4: ['10.0.1.50/32'], ipv6: [] } });
    // The host sees only the balancer's private address, yet the world reaches Redis through it.
    expect(svc(6379).sources.ipv4).toEqual(['10.0.1.50/32']);
    expect(svc(6379).cloud).toMatchObject({ internet: false, closedBy: 'security-group', loadBalancers: ['app (HTTPS 443)'] });
    expect(svc(6379).cloud.balancerSources.ipv4).toEqual(alb.sources.ipv4);
    expect(svc(6379).exposure).toBe('world');
  });
});
