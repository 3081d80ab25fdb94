/**
 * explain reads an iptables user chain only when its flow enters it (issue 8): what it never
 * read is named in the answer, and a broken rule in a chain it did read still stops it.
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
