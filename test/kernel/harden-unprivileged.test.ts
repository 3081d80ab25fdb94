/**
 * The harden proof without root: a user namespace (`unshare --user --map-root-user --net`)
 * stands in for the named scratch namespace. Checked two ways (root needed to set it up):
 * the scratch loader forced to a user namespace in this process (it loads, dumps, refuses a
 * broken file at the check, and leaves no holder process behind), and the CLI run as user
 * `nobody`, whose proof must hold exactly as root's does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRuleset } from '../../src/collect/preview-ruleset.js';
import { realHostIO } from '../../src/collect/real-host-io.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';

const NOBODY = 65534;

function nobodySkipReason(): string | null {
  const base = kernelSkipReason(['nft', 'unshare', 'nsenter', 'setpriv']);
  if (base !== null) return base;
  const asNobody = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'sh', '-c', `test -r '${PORTCULLIS_BIN}' && unshare --user --map-root-user --net true`]);
  if (asNobody.status !== 0) {
    const reason = `user nobody cannot read ${PORTCULLIS_BIN} or make a user namespace here (checkout under a private home, or user.max_user_namespaces = 0)`;
    console.warn(`\n!!! UNPRIVILEGED HARDEN TEST SKIPPED: ${reason}\n`);
    return reason;
  }
  return null;
}
const skip = nobodySkipReason();

const RULES = `table inet portcullis {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    tcp dport 22 ip saddr 198.51.100.0/24 accept
  }
}
`;

/** The `sleep infinity` holders of this user's user namespaces still running. */
function holders(): string[] {
  const out = spawnSync('pgrep', ['-a', '-f', '^sleep infinity$'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean);
}

describe.skipIf(skip !== null)('harden proof without root (user namespace)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-harden-nobody-'));
    chmodSync(dir, 0o777);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads, dumps and refuses a broken file in a user namespace, leaving no holder behind', async () => {
    const before = holders().length;
    const io = realHostIO();
    const good = await previewRuleset({ format: 'nft', nft: RULES }, io.exec, 'user');
    expect(good.ok, JSON.stringify(good)).toBe(true);
    const dumped = JSON.parse((good as { nftJson: string }).nftJson) as { nftables: Record<string, { saddr?: unknown }>[] };
    expect(dumped.nftables.some((o) => 'table' in o && (o.table as { name?: string }).name === 'portcullis')).toBe(true);
    expect(JSON.stringify(dumped)).toContain('198.51.100.0');
    // The host's own ruleset is untouched: the table exists only in the scratch namespace.
    expect(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })).not.toMatch(/table inet portcullis\b/);

    const broken = await previewRuleset({ format: 'nft', nft: RULES.replace('accept\n  }', 'acept\n  }') }, io.exec, 'user');
    expect(broken).toMatchObject({ ok: false, stage: 'check' });
    expect(holders().length).toBe(before);
  });

  it('`portcullis harden` as user nobody: the proof holds, no named namespace is made', () => {
    const snapshot = join(dir, 'host.json');
    copyFileSync(join(process.cwd(), 'test/fixtures/aws/web-vpc/host-web-1.json'), snapshot);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'trusted:\n  admins: [198.51.100.0/24]\npublic:\n  - hosts: ["*"]\n    ports: [80/tcp, 443/tcp]\nallow:\n  - hosts: ["*"]\n    ports: [22/tcp]\n    from: [admins]\n');
    chmodSync(snapshot, 0o644);
    chmodSync(policy, 0o644);
    const named = (): string[] => (existsSync('/run/netns') ? execFileSync('ls', ['/run/netns'], { encoding: 'utf8' }).split('\n').filter((n) => n.startsWith('pc-harden-')) : []);
    const namedBefore = named();
    for (const format of ['nft', 'iptables']) {
      const out = join(dir, `out-${format}`);
      const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'env', '-u', 'SSH_CONNECTION', '-u', 'SSH_CLIENT', `HOME=${dir}`, process.execPath, PORTCULLIS_BIN, 'harden', '--snapshot', snapshot, '--config', policy, '--format', format, '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('Proof holds');
      expect(JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'))).toHaveProperty('open');
    }
    expect(named()).toEqual(namedBefore);
  });
});
