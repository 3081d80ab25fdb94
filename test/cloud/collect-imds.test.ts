/**
 * `collect --imds` against a local instance metadata service (loopback, IMDSv2: a session
 * token by PUT, then the instance id with it; never 169.254.169.254: the endpoint is set
 * through the SDK's own AWS_EC2_METADATA_SERVICE_ENDPOINT), then `audit --aws` joining the
 * snapshot with its instance by id although none of this machine's addresses is in the export.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_FIXTURES } from './load-aws.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const tmp = mkdtempSync(join(tmpdir(), 'pc-imds-'));
const TOKEN = 'AQAEAFakeTokenForTests==';
const log: string[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    // The SDK joins the endpoint's path "/" and the request path: "//latest/…" (the service takes both).
    const url = (req.url ?? '').replace(/^\/+/, '/');
    log.push(`${req.method} ${url} ${req.headers['x-aws-ec2-metadata-token'] === TOKEN ? 'with-token' : 'no-token'}`);
    if (req.method === 'PUT' && url === '/latest/api/token' && req.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(TOKEN);
    } else if (req.method === 'GET' && url === '/latest/meta-data/instance-id') {
      // IMDSv2 only (HttpTokens: required): no token, no answer.
      if (req.headers['x-aws-ec2-metadata-token'] !== TOKEN) res.writeHead(401).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('i-0a1b2c3d4e5f00001');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

/** No shared AWS files; the metadata endpoint always on loopback. */
function env(metadata: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: tmp, NO_COLOR: '1', AWS_CONFIG_FILE: join(tmp, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'none'), AWS_EC2_METADATA_SERVICE_ENDPOINT: metadata };
}

function run(args: string[], e: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: e });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('collect --imds (local metadata service)', () => {
  it('records the instance id (IMDSv2 token first) and audit --aws joins the snapshot by it', async () => {
    const snap = join(tmp, 'snap.json');
    const r = await run(['collect', '--imds', '--out', snap], env(endpoint));
    expect(r.code, r.stderr).toBe(0);
    const snapshot = JSON.parse(readFileSync(snap, 'utf8'));
    expect(snapshot.host.cloud).toEqual({ provider: 'aws', instanceId: 'i-0a1b2c3d4e5f00001' });
    expect(log.slice(0, 2)).toEqual(['PUT /latest/api/token no-token', 'GET /latest/meta-data/instance-id with-token']);
    const audit = await run(['audit', '--aws', join(AWS_FIXTURES, 'web-vpc'), '--snapshot', snap, '--json', '--fail-on', 'none'], env(endpoint));
    const report = JSON.parse(audit.stdout);
    const web = report.hosts.find((h: any) => h.name === 'i-0a1b2c3d4e5f00001');
    expect(web.cloud.joined).toEqual({ hostname: snapshot.host.hostname, by: 'instance-id' });
    // This machine's own listeners, each with the cloud path of web-1 in front.
    expect(web.services.length).toBeGreaterThan(0);
    expect(web.services.every((s: any) => s.cloud !== undefined)).toBe(true);
    // An instance id the export lacks: not joined (never by address instead), and said so.
    writeFileSync(snap, JSON.stringify({ ...snapshot, host: { ...snapshot.host, cloud: { provider: 'aws', instanceId: 'i-0000000000000dead' } } }));
    const other = await run(['audit', '--aws', join(AWS_FIXTURES, 'web-vpc'), '--snapshot', snap, '--json', '--fail-on', 'none'], env(endpoint));
    expect(other.stderr).toContain('instance i-0000000000000dead (collect --imds) is not in the export; audited without the cloud layer');
    expect(JSON.parse(other.stdout).hosts.map((h: any) => h.name)).toContain(snapshot.host.hostname);
  }, 120_000);

  it('no metadata service: an input error (exit 2) that says so, no stack trace', async () => {
    const r = await run(['collect', '--imds', '--out', join(tmp, 'x.json')], env('http://127.0.0.1:9'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/collect --imds: the instance metadata service did not answer/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
