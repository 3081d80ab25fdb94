/**
 * `collect --aws` with the real AWS SDK against a local replay of the EC2 and ELBv2 APIs (loopback;
 * never real AWS, never an instance metadata endpoint), then `audit --aws` on what it wrote:
 * the same report as on the recorded files.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_FIXTURES, awsFiles } from './load-aws.js';
import { type Replay, startEc2Replay } from './ec2-replay.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const tmp = mkdtempSync(join(tmpdir(), 'pc-collect-aws-'));
let replay: Replay;
/** The recorded account: EC2 and the elbv2 calls (an NLB and an ALB with its listener rules), as one export directory. */
const RECORDED = join(tmp, 'recorded');
cpSync(join(AWS_FIXTURES, 'web-vpc'), RECORDED, { recursive: true });
cpSync(join(AWS_FIXTURES, 'web-vpc-elb'), RECORDED, { recursive: true });
cpSync(join(AWS_FIXTURES, 'web-vpc-clb'), RECORDED, { recursive: true });
const recordedFiles = () => [...awsFiles('web-vpc'), ...awsFiles('web-vpc-elb'), ...awsFiles('web-vpc-clb')];

beforeAll(async () => {
  replay = await startEc2Replay(recordedFiles());
});
afterAll(async () => {
  await replay.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Only loopback, documentation credentials, no shared files, no metadata service. */
function awsEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: tmp, NO_COLOR: '1' };
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmp, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-credentials'),
    ...extra,
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The report without where its files lay (origins name the export directory). */
const comparable = (json: string) => {
  const r = JSON.parse(json, (k, v) => (k === 'file' && typeof v === 'string' ? v.replace(/^.*\//, '') : v));
  return { hosts: r.hosts.map((h: any) => ({ name: h.name, internet: h.internet, cloud: h.cloud })), findings: r.findings, summary: r.summary };
};

describe('collect --aws (real SDK, replayed EC2, ELBv2 and Classic ELB APIs on loopback)', () => {
  it('fetches every call through AWS_ENDPOINT_URL_EC2, _ELASTIC_LOAD_BALANCING_V2 and _ELASTIC_LOAD_BALANCING: signed, paginated, throttling retried; audit gives the recorded report', async () => {
    const out = join(tmp, 'export');
    const r = await run(['collect', '--aws', '--out', out], awsEnv({ AWS_ENDPOINT_URL_EC2: replay.url, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: replay.url, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING: replay.url }));
    expect(r.stderr).toContain('wrote 18 files');
    expect(r.code).toBe(0);
    // The recorded export lacks the entries of the AWS-managed S3 list; collect fetches every list's.
    expect(readdirSync(out).sort()).toEqual([...recordedFiles().map((f) => f.name), 'get-managed-prefix-list-entries-pl-63a5400a.json'].sort());
    // ELBv2: the query protocol's Marker pages and Throttling retries; listeners per balancer, rules per ALB listener, health per group.
    expect(replay.log.filter((l) => l.action === 'DescribeLoadBalancers').map((l) => [l.status, l.nextToken])).toEqual([
      [400, null],
      [200, null],
    ]);
    expect(replay.log.filter((l) => l.action === 'DescribeTargetHealth' && l.status === 200)).toHaveLength(2);
    // Classic ELB: its own API version, throttled once too.
    expect(replay.log.filter((l) => l.action === 'elb:DescribeLoadBalancers').map((l) => l.status)).toEqual([400, 200]);
    expect(replay.log.filter((l) => l.action === 'DescribeRules' && l.status === 200)).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(out, 'describe-rules-app-443.json'), 'utf8')).Rules.map((x: any) => [x.Priority, x.IsDefault, x.Actions[0].TargetGroupArn.split('/')[1]])).toEqual([['default', true, 'app-80']]);
    // Signed with SigV4, pages followed, the throttled first request retried.
    expect(replay.log.every((l) => l.authorization?.startsWith('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/'))).toBe(true);
    expect(replay.log.filter((l) => l.action === 'DescribeSecurityGroups').map((l) => [l.status, l.nextToken])).toEqual([
      [503, null],
      [200, null],
      [200, 'page-2'],
    ]);
    const recorded = await run(['audit', '--aws', RECORDED, '--json', '--fail-on', 'none'], awsEnv({}));
    const live = await run(['audit', '--aws', out, '--json', '--fail-on', 'none'], awsEnv({}));
    expect(live.code).toBe(0);
    expect(comparable(live.stdout)).toEqual(comparable(recorded.stdout));
    // The balancers are in both: the ALB entry names its default rule.
    const web = JSON.parse(live.stdout).hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    expect(web.cloud.loadBalancers.map((e: any) => [e.loadBalancer, e.reachesTarget, e.listenerRules])).toEqual([
      ['web', true, undefined],
      ['app', true, ['default']],
      ['legacy', true, undefined],
    ]);
  }, 120_000);

  it('the general AWS_ENDPOINT_URL works too; an endpoint that refuses is an input error (exit 2), no stack trace', async () => {
    const out = join(tmp, 'export2');
    const ok = await run(['collect', '--aws', '--out', out], awsEnv({ AWS_ENDPOINT_URL: replay.url }));
    expect(ok.code).toBe(0);
    const dead = await run(['collect', '--aws', '--out', join(tmp, 'x')], awsEnv({ AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' }));
    expect(dead.code).toBe(2);
    expect(dead.stderr).toMatch(/^portcullis: AWS: /);
    expect(dead.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('endpoint_url of a --profile in the shared config file, as the AWS CLI reads it', async () => {
    const config = join(tmp, 'config');
    writeFileSync(config, `[profile replay]\nregion = eu-west-1\nendpoint_url = ${replay.url}\n`);
    const before = replay.log.length;
    const credentials = join(tmp, 'credentials');
    writeFileSync(credentials, '[replay]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    const env = { ...awsEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials }), AWS_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const r = await run(['collect', '--aws', '--profile', 'replay', '--out', join(tmp, 'export3')], env);
    expect(r.stderr).toContain('wrote 18 files');
    expect(replay.log.length).toBeGreaterThan(before);
  }, 120_000);
});
