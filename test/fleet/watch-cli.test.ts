/** `watch` refuses bad options (its own and those of --ssh/--inventory) before it starts anything: exit 2, what and an example, no stack. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'watch', ...args], { encoding: 'utf8', timeout: 20_000 });

describe('watch: bad input', () => {
  it.each([
    [['--interval', 'soon'], /--interval: expected a number of seconds of at least 1; got "soon" \(e\.g\. --interval 60\)/],
    [['--interval', '0'], /--interval: expected a number of seconds of at least 1; got "0"/],
    [['--socket-poll', '-1'], /--socket-poll: expected a number of seconds; got "-1"/],
    [['--format', 'html'], /argument 'html' is invalid/],
    [['--config', '/nonexistent/policy.yaml'], /cannot read policy file \/nonexistent\/policy\.yaml: no such file/],
    [['--limit', 'web', '--sudo'], /watch: --limit, --sudo go with --ssh or --inventory/],
    [['--ssh', 'web-1:99999'], /bad --ssh target/],
    [['--ssh', 'web-1', '--parallel', '0'], /--parallel 0: expected a whole number from 1 to 1000/],
    [['--ssh', 'web-1', '--timeout', 'soon'], /--timeout soon: expected a whole number from 1 to 86400/],
    [['--ssh', 'web-1', '--ssh-config', '/nonexistent/ssh_config'], /--ssh-config \/nonexistent\/ssh_config: cannot read it/],
    [['--inventory', '/nonexistent/hosts.ini'], /--inventory \/nonexistent\/hosts\.ini: no such file/],
    [['--ssh', 'web-1', '--socket-poll', '5'], /--socket-poll and --no-monitor follow this machine; with --ssh or --inventory rounds run at --interval only/],
    [['--ssh', 'web-1', '--no-monitor'], /--socket-poll and --no-monitor follow this machine/],
  ])('%j', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('names watch, not collect, when an inventory selects no host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-watch-inv-'));
    try {
      const inventory = join(dir, 'hosts.ini');
      writeFileSync(inventory, '[web]\nweb-1.example.test\n');
      const r = run('--inventory', inventory, '--limit', 'db');
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/no host of .*hosts\.ini to watch \(--limit db matches none\)/);
      expect(r.stderr).toMatch(/^portcullis watch: warning: /m);
      expect(r.stderr).not.toMatch(/portcullis collect/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
