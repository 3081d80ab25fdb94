/**
 * explain reads an iptables user chain, and lowers an nftables chain, only when its flow enters
 * it (issue 8): what it never read is named in the answer, and a broken rule in a chain it did
 * read still stops it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOf, sock } from '../helpers/model-builder.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
let dir: string;

const RULES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ssh - [0:0]
:mail - [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j ssh
-A INPUT -p tcp -m tcp --dport 25 -j mail
-A ssh -s 198.51.100.0/24 -j ACCEPT
-A mail -s 192.0.2.300 -j ACCEPT
COMMIT
`;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-cli-deferred-'));
  const snapshot = snapshotOf([sock('tcp', '0.0.0.0', 22), sock('tcp', '0.0.0.0', 25)], {
    firewall: [{ kind: 'iptables-save', backend: 'nft', command: ['iptables-nft-save'], status: 'ok', content: RULES }],
  });
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshot));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An nft ruleset whose input chain jumps to one chain per port, as `nft -j list ruleset` prints it. */
function nftRuleset(): string {
  const t = { family: 'inet', table: 'f' };
  const jump = (port: number, target: string, handle: number) => ({ rule: { ...t, chain: 'input', handle, expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: port } }, { jump: { target } }] } });
  const accept = (chain: string, net: string, handle: number) => ({ rule: { ...t, chain, handle, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: net, len: 24 } } } }, { accept: null }] } });
  return JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } },
      { table: { family: 'inet', name: 'f', handle: 1 } },
      { chain: { ...t, name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
      { chain: { ...t, name: 'ssh', handle: 2 } },
      { chain: { ...t, name: 'mail', handle: 3 } },
      { chain: { ...t, name: 'web', handle: 4 } },
      jump(22, 'ssh', 5),
      jump(25, 'mail', 6),
      jump(80, 'web', 7),
      accept('ssh', '198.51.100.0', 8),
      accept('mail', '203.0.113.0', 9),
      accept('web', '192.0.2.0', 10),
    ],
  });
}

describe('explain of an nftables host lowers only the chains its flow enters', () => {
  it('answers as a full load does and counts the chains it did not lower', () => {
    const file = join(dir, 'nft-snap.json');
    const snapshot = snapshotOf([sock('tcp', '0.0.0.0', 22), sock('tcp', '0.0.0.0', 25), sock('tcp', '0.0.0.0', 80)], {
      firewall: [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: nftRuleset() }],
    });
    writeFileSync(file, JSON.stringify(snapshot));
    const open = JSON.parse(run(['explain', '--snapshot', file, '--from', '198.51.100.7', '--port', '22/tcp', '--json']).stdout);
    expect(open.state).toBe('open');
    expect(open.notes, JSON.stringify(open)).toContain('2 nftables chains this flow does not enter were not lowered: a construct in them that Portcullis does not model is not reported here; audit reads every chain');
    const closed = JSON.parse(run(['explain', '--snapshot', file, '--from', '198.51.100.7', '--port', '25/tcp', '--json']).stdout);
    expect(closed.state).not.toBe('open');
    // The audit (every chain lowered) agrees on both ports.
    const audit = JSON.parse(run(['audit', '--snapshot', file, '--format', 'json', '--fail-on', 'none']).stdout);
    const sources = (port: number) => audit.hosts[0].services.filter((x: { port: number }) => x.port === port).map((x: { sources: { ipv4: string[] } }) => x.sources.ipv4);
    expect(sources(22)).toContainEqual(['198.51.100.0/24']);
    expect(sources(25)).toContainEqual(['203.0.113.0/24']);
  });
});

describe('explain with chains it does not enter', () => {
  it('answers, and names the chain it did not read', () => {
    const r = run(['explain', '--snapshot', join(dir, 'snap.json'), '--from', '198.51.100.7', '--port', '22/tcp', '--json']);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.state).toBe('open');
    expect(answer.notes).toContain('1 iptables chain this flow does not enter was not read (filter mail): a problem in them is not reported here; audit reads every chain');
  });

  it('stops at a malformed rule in a chain the flow enters, as a full read does', () => {
    const r = run(['explain', '--snapshot', join(dir, 'snap.json'), '--from', '198.51.100.7', '--port', '25/tcp', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('192.0.2.300');
    expect(r.stderr).toMatch(/#firewall\[0\].*:10\b/);
    expect(run(['audit', '--snapshot', join(dir, 'snap.json'), '--json']).code).toBe(2);
  });

  it('--flows: each answer names the chains still unread after it', () => {
    writeFileSync(join(dir, 'flows.jsonl'), '{"from":"203.0.113.9","to":"192.0.2.1","port":80,"proto":"tcp"}\n{"from":"198.51.100.7","to":"192.0.2.1","port":22,"proto":"tcp"}\n');
    const r = run(['explain', '--snapshot', join(dir, 'snap.json'), '--flows', join(dir, 'flows.jsonl')]);
    expect(r.code).toBe(0);
    const [first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(first.notes.find((n: string) => n.includes('not read'))).toMatch(/^2 iptables chains this flow does not enter were not read \(filter ssh, filter mail\)/);
    expect(second.notes.find((n: string) => n.includes('not read'))).toMatch(/^1 iptables chain .* \(filter mail\)/);
  });
});
