/**
 * `collect --ssh` on bad input: exit 2, one clear message naming what and where, no stack
 * trace, nothing contacted (every case fails before ssh runs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portcullis } from '../audit-e2e/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-collect-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collect --ssh: bad input exits 2 with a located message', () => {
  const cases: [string, string[], RegExp][] = [
    ['no targets', ['collect', '--ssh', '--out', dir], /needs targets: --ssh \[USER@\]HOST\[:PORT\]… or --inventory FILE/],
    ['no --out', ['collect', '--ssh', 'web-1'], /give --out DIR/],
    ['a bad target', ['collect', '--ssh', 'web 1', '--out', dir], /--ssh: "web 1" is not a host name or address; expected \[USER@\]HOST\[:PORT\]/],
    ['an option as host', ['collect', '--ssh', 'root@-oProxyCommand=x', '--out', dir], /is not a host name or address/],
    ['a bad port', ['collect', '--ssh', 'web-1:99999', '--out', dir], /"99999" is not a port/],
    ['two targets, one file', ['collect', '--ssh', 'a:22', 'a_22', '--out', dir], /"a:22" and "a_22" would both be written to a_22\.json/],
    ['--parallel 0', ['collect', '--ssh', 'web-1', '--parallel', '0', '--out', dir], /--parallel 0: expected a whole number from 1 to 1000/],
    ['--timeout x', ['collect', '--ssh', 'web-1', '--timeout', 'x', '--out', dir], /--timeout x: expected a whole number/],
    ['--limit without inventory', ['collect', '--ssh', 'web-1', '--limit', 'web', '--out', dir], /--limit selects hosts of an inventory/],
    ['--sudo without --ssh', ['collect', '--sudo'], /go with --ssh or --inventory/],
    ['a missing inventory', ['collect', '--inventory', join(dir, 'nope.ini'), '--out', dir], /nope\.ini: no such file/],
  ];
  for (const [label, args, message] of cases) {
    it(label, () => {
      const r = portcullis(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a damaged inventory: file and line', () => {
    const inv = join(dir, 'hosts.ini');
    writeFileSync(inv, '[web]\nweb-1\nweb[9:1]\n');
    const r = portcullis(['collect', '--inventory', inv, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${inv}:3: range "[9:1]" runs backwards`);
  });

  it('--limit that matches nothing', () => {
    const inv = join(dir, 'ok.yml');
    writeFileSync(inv, 'all:\n  hosts:\n    web-1:\n');
    const r = portcullis(['collect', '--inventory', inv, '--limit', 'db', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit: "db" matches no group or host[\s\S]*no host of .*ok\.yml to collect \(--limit db matches none\)/);
  });

  it('--out that is a file', () => {
    const file = join(dir, 'file.json');
    writeFileSync(file, '{}');
    const r = portcullis(['collect', '--ssh', 'web-1', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a directory/);
  });
});
