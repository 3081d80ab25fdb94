/**
 * `audit --aws` on an export with load balancers: the built binary reads the per-resource
 * elbv2 files (describe-listeners-<name>.json, describe-target-health-<group>.json) from the
 * directory and reports, per instance, which internet-facing balancer reaches which port.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
  });

  it('text and HTML say which balancer exposes the port', () => {
    // The terminal wraps long lines: compare with the wrapping undone.
    const text = run(['audit', '--aws', DIR, '--fail-on', 'none']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('tcp 8080 ← load balancer web (network, TCP 443, target group web-8080, healthy): open to the internet');
    expect(text).toContain("tcp 80 ← load balancer app (application, HTTPS 443, target group app-80, unhealthy): closed by the target's security groups");
    const html = run(['audit', '--aws', DIR, '--format', 'html', '--fail-on', 'none']).stdout;
    expect(html).toContain('load balancer web (network, TCP 443, target group web-8080, healthy): open to the internet');
  });
});
