/**
 * One round of `watch --ssh` without a network (any user): a stand-in ssh runs the shipped
 * collector here, as an unprivileged user when we are root (setpriv), or refuses the
 * connection as ssh would. Each host's snapshot is named after its target, a failed host
 * gives ssh's reason, and what could not be read (not root) is said once per host, at its
 * first answer, not every round.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshRoundCollector } from '../../src/cli/commands/watch/ssh-rounds.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-wsr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fakeSsh = join(dir, 'ssh');
writeFileSync(
  fakeSsh,
  `#!/bin/sh
for a; do dest=$last; last=$a; done
case "$dest" in
  down-*) echo "ssh: connect to host $dest port 22: Connection refused" >&2; exit 255 ;;
esac
if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=65534 --regid=65534 --clear-groups sh -s; fi
exec sh -s
`,
);
chmodSync(fakeSsh, 0o755);

describe('sshRoundCollector', () => {
  it('names each snapshot after its target, gives a failed host its reason, says what is unreadable once per host', async () => {
    const notices: string[] = [];
    const round = sshRoundCollector(
      [
        { name: 'root@web-1:2222', host: 'web-1', user: 'root', port: 2222 },
        { name: 'down-2', host: 'down-2' },
      ],
      { sshProgram: fakeSsh, timeoutSeconds: 60 },
      (text) => void notices.push(text),
    );
    const first = await round();
    expect(first.map((h) => h.label)).toEqual(['root@web-1:2222', 'down-2']);
    const [web, down] = first;
    expect(web && 'snapshot' in web ? web.snapshot.host.hostname : web).toBe('root@web-1:2222');
    expect(web && 'snapshot' in web ? web.snapshot.privileges.root : null).toBe(false);
    expect(down && 'error' in down ? down.error : down).toMatch(/Connection refused/);
    // Not root there: the firewall could not be read, and the host is named in the words.
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatch(/^root@web-1:2222: not root: could not read .*; run as root for a full snapshot$/);
    const said = notices.length;
    await round();
    expect(notices.length).toBe(said);
  }, 120_000);
});
