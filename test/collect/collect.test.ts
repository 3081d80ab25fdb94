/**
 * `portcullis collect` against the real kernel, inside a network namespace this test creates
 * (documentation addresses only) and always deletes. Needs root, iproute2 and iptables.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { parseSnapshot } from '../../src/parse/snapshot.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli/bin.js');
const NODE = process.execPath;
const isRoot = process.geteuid?.() === 0;
const hasTools = (() => {
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('iptables-restore', ['--version'], { stdio: 'ignore' });
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skipReason = !isRoot ? 'not root: network namespaces need root (run the suite as root)' : !hasTools ? 'iproute2, iptables or setpriv (util-linux) missing' : '';
if (skipReason) console.warn(`\n*** test/collect SKIPPED: ${skipReason} ***\n`);

const NS = `pc-col-${process.pid}`;
const RULE = '-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 4242 -j ACCEPT';
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

function inNs(argv: string[]): string {
  return execFileSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Start a long-lived listener in the namespace; resolves once it printed "ready". */
function listener(prefix: string[], script: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS, ...prefix, NODE, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`listener did not start: ${script}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`listener exited with ${code}`)));
  });
}

describe.skipIf(skipReason !== '')('portcullis collect in a network namespace', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  let asRoot: Snapshot;
  let asNobody: Snapshot;
  let bare: Snapshot;
  let nobodyStderr = '';

  beforeAll(async () => {
    // Build the CLI as `npm run build` does (tsc, then the bundle bin.js runs); type errors
    // elsewhere in the tree do not stop tsc from emitting, and without the bundle bin.js is
    // the unbundled CLI, which collects the same.
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      /* emitted anyway; checked below */
    }
    try {
      execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      /* bin.js stays the unbundled CLI */
    }
    expect(existsSync(BIN)).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'pc-col-'));
    chmodSync(dir, 0o777); // nobody writes its snapshot here too
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    execFileSync('ip', ['-n', NS, 'link', 'add', 'pc0', 'type', 'veth', 'peer', 'name', 'pc1']);
    for (const l of ['pc0', 'pc1']) execFileSync('ip', ['-n', NS, 'link', 'set', l, 'up']);
    execFileSync('ip', ['-n', NS, 'addr', 'add', '192.0.2.1/24', 'dev', 'pc0']);
    execFileSync('ip', ['-n', NS, 'addr', 'add', '2001:db8::1/64', 'dev', 'pc0', 'nodad']);
    execFileSync('ip', ['netns', 'exec', NS, 'iptables-restore'], { input: `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${RULE}\nCOMMIT\n` });
    children.push(await listener([], "require('net').createServer().listen({port: 4242, host: '::', ipv6Only: true}, () => console.log('ready'))"));
    children.push(await listener(NOBODY, "const s = require('dgram').createSocket('udp4'); s.bind(5353, '192.0.2.1', () => console.log('ready'))"));

    inNs([NODE, BIN, 'collect', '--out', join(dir, 'root.json')]);
    const nobodyRun = spawn('ip', ['netns', 'exec', NS, ...NOBODY, NODE, BIN, 'collect', '--out', join(dir, 'nobody.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nobodyRun.stderr.on('data', (d: Buffer) => (nobodyStderr += d.toString()));
    const code = await new Promise((r) => nobodyRun.on('exit', r));
    expect(code).toBe(0);

    // No tools on PATH: the /sys + /proc fallbacks, on the real kernel.
    inNs(['env', 'PATH=/nonexistent', NODE, BIN, 'collect', '--out', join(dir, 'bare.json')]);

    const load = (name: string): Snapshot => {
      const parsed = parseSnapshot(readFileSync(join(dir, name), 'utf8'), name);
      expect(parsed.diagnostics).toEqual([]);
      return parsed.value!;
    };
    asRoot = load('root.json');
    asNobody = load('nobody.json');
    bare = load('bare.json');
  }, 120_000);

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    try {
      execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
    } catch {
      /* never created */
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records the interfaces and their addresses', () => {
    const pc0 = asRoot.interfaces!.find((i) => i.name === 'pc0')!;
    expect(pc0.up).toBe(true);
    expect(pc0.addresses).toContainEqual(expect.objectContaining({ family: 'ipv4', address: '192.0.2.1', prefixLength: 24 }));
    expect(pc0.addresses).toContainEqual(expect.objectContaining({ family: 'ipv6', address: '2001:db8::1', prefixLength: 64 }));
    expect(asRoot.interfaces!.find((i) => i.name === 'lo')).toMatchObject({ loopback: true, up: true });
  });

  it('records the listeners with v6only and their processes', () => {
    const tcp = asRoot.sockets!.find((s) => s.proto === 'tcp' && s.port === 4242)!;
    expect(tcp).toMatchObject({ family: 'ipv6', address: '::', v6only: true, device: null, uid: 0 });
    expect(tcp.process).toMatchObject({ name: 'node', user: 'root' });
    expect(tcp.process!.cmdline[0]).toBe(NODE);
    const udp = asRoot.sockets!.find((s) => s.proto === 'udp' && s.port === 5353)!;
    expect(udp).toMatchObject({ family: 'ipv4', address: '192.0.2.1', uid: 65534, v6only: null });
    expect(udp.process).toMatchObject({ name: 'node', user: 'nobody' });
  });

  it('writes --out without loading node:crypto (its 16 modules and OpenSSL cost a collect ~12 ms of CPU, issue 8)', () => {
    // Node's own list of the built-in modules it loaded, printed as the process exits.
    const hook = `data:text/javascript,process.on('exit', () => process.stderr.write('LOADED\\n' + process.moduleLoadList.join('\\n')))`;
    const r = spawnSync('ip', ['netns', 'exec', NS, NODE, '--import', hook, BIN, 'collect', '--out', join(dir, 'again.json')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const loaded = r.stderr.slice(r.stderr.lastIndexOf('LOADED\n')).split('\n');
    expect(loaded).toContain('NativeModule child_process');
    expect(loaded).not.toContain('NativeModule crypto');
    expect(JSON.parse(readFileSync(join(dir, 'again.json'), 'utf8')).format).toBe(asRoot.format);
  });

  it('records the iptables dump with the rule, without its nft copy', () => {
    const v4nft = asRoot.firewall.find((f) => f.command.join(' ') === 'iptables-nft-save')!;
    expect(v4nft).toMatchObject({ kind: 'iptables-save', backend: 'nft', status: 'ok' });
    expect(v4nft.content).toContain(RULE);
    expect(v4nft.content).toContain(':INPUT DROP');
    // Its only nft table is iptables-nft's filter: held by that dump, so nft does not list it again.
    expect(v4nft.nftTablesLeftOut).toEqual(['filter']);
    expect(asRoot.firewall.filter((f) => f.kind === 'nft-json')).toEqual([]);
    // No legacy table exists in the namespace: the legacy dump is not run, and says why.
    expect(asRoot.firewall.find((f) => f.command.join(' ') === 'iptables-legacy-save')).toMatchObject({ status: 'ok', content: '', reason: expect.stringMatching(/^not run: no legacy iptables table exists/) });
    expect(asRoot.privileges.root).toBe(true);
  });

  it('records sysctls, per interface too', () => {
    expect(asRoot.sysctls['net.ipv4.tcp_syncookies']).toMatch(/^\d$/);
    expect(asRoot.sysctls['net.ipv4.ip_local_port_range']).toMatch(/^\d+\s+\d+$/);
    expect(asRoot.sysctls['net.ipv4.conf.pc0.rp_filter']).toMatch(/^\d$/);
    expect(asRoot.sysctls['net.ipv4.conf.pc0.route_localnet']).toBe('0');
  });

  it('as nobody: records what it could not read, and sees its own process', () => {
    expect(asNobody.privileges).toEqual({ uid: 65534, euid: 65534, root: false });
    const tcp = asNobody.sockets!.find((s) => s.proto === 'tcp' && s.port === 4242)!;
    expect(tcp.process).toBeNull();
    expect(tcp.v6only).toBe(true); // sock_diag answers normal users too
    const udp = asNobody.sockets!.find((s) => s.proto === 'udp' && s.port === 5353)!;
    expect(udp.process).toMatchObject({ user: 'nobody' });
    const procs = asNobody.unreadable.filter((u) => u.what === 'processes of sockets');
    expect(procs).toHaveLength(1);
    expect(procs[0]).toMatchObject({ hint: 'run as root', reason: expect.stringMatching(/^not root:/) });
    for (const f of asNobody.firewall) {
      expect(f.status).toBe('unavailable');
      expect(f.reason).toBe('permission denied: run as root');
    }
    expect(asNobody.unreadable.filter((u) => u.hint === 'run as root').length).toBeGreaterThanOrEqual(7);
    expect(nobodyStderr).toMatch(/^portcullis collect: not root: could not read processes of sockets, nft -j list ruleset, .*; run as root for a full snapshot$/m);
  });

  it('without iproute2 or firewall tools: interfaces from /sys and /proc match ip, and every tool is "not installed"', () => {
    const strip = (l: Snapshot['interfaces']) =>
      (l ?? [])
        .map((i) => ({ ...i, addresses: i.addresses.map(({ broadcast: _b, ...a }) => a).sort((x, y) => x.address.localeCompare(y.address)) }))
        .sort((a, b) => a.index - b.index);
    expect(strip(bare.interfaces)).toEqual(strip(asRoot.interfaces));
    expect(bare.sockets!.find((s) => s.port === 4242)).toMatchObject({ v6only: null, process: { name: 'node' } });
    expect(bare.firewall.map((f) => f.reason)).toEqual(['not installed', 'not installed', 'not installed', 'not installed']);
    expect(bare.unreadable.map((u) => u.what)).toEqual(expect.arrayContaining(['interfaces (ip -j addr show)', 'IPv4 addresses of interfaces', 'v6only and bound device of sockets (ss -Htulne)']));
  });
});
