import { describe, expect, it } from 'vitest';
import type { SshBundle } from '../../parse/ssh-bundle/index.js';
import { collectSnapshot } from '../collect-snapshot.js';
import { replayHostIO } from './replay-host-io.js';

/** A small target: no nft installed, a normal user, IPv6 off, one readable process. */
function bundle(): SshBundle {
  return {
    meta: new Map([['ruid', '1000'], ['euid', '1000'], ['hostname', 'web-1'], ['kernel', '6.1.0-28-amd64']]),
    files: new Map([
      ['/proc/net/tcp', { ok: true, value: '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0000000000000000 100 0 0 10 0\n' }],
      ['/proc/net/tcp6', { ok: false, code: 'ENOENT' }],
      ['/proc/net/udp', { ok: true, value: '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' }],
      ['/proc/net/udp6', { ok: false, code: 'ENOENT' }],
      ['/etc/passwd', { ok: true, value: 'root:x:0:0:root:/root:/bin/bash\n' }],
    ]),
    dirs: new Map([['/proc', { ok: true, value: ['1', 'self'] }], ['/proc/1/fd', { ok: false, code: 'EACCES' }]]),
    links: new Map(),
    execs: new Map([
      ['nft -j list ruleset', { ran: false, code: 'ENOENT' }],
      ['ss -Htulne', { ran: true, code: 0, stdout: '', stderr: '' }],
    ]),
  };
}

describe('replayHostIO', () => {
  it('answers collectSnapshot as the target did: not installed, permission denied, not root', async () => {
    const io = replayHostIO(bundle(), () => new Date('2026-12-02T06:00:00Z'));
    const s = await collectSnapshot(io);
    expect(s.host).toEqual({ hostname: 'web-1', kernel: '6.1.0-28-amd64' });
    expect(s.privileges).toEqual({ uid: 1000, euid: 1000, root: false });
    expect(s.collectedAt).toBe('2026-12-02T06:00:00.000Z');
    expect(s.firewall.find((f) => f.kind === 'nft-json')).toMatchObject({ status: 'unavailable', reason: 'not installed' });
    expect(s.sockets).toEqual([expect.objectContaining({ proto: 'tcp', port: 22, inode: 4711, process: null })]);
    expect(s.unreadable).toContainEqual(expect.objectContaining({ what: 'processes of sockets', hint: 'run as root' }));
    expect(s.unreadable).toContainEqual({ what: 'sockets (/proc/net/tcp6)', reason: 'not present (IPv6 disabled?)' });
  });

  it('a question the bundle has no answer for is "not present", and listed as a miss', async () => {
    const io = replayHostIO(bundle());
    await expect(io.readFile('/proc/sys/net/ipv4/ip_forward')).rejects.toMatchObject({ code: 'ENOENT', message: expect.stringContaining("not in the SSH collector's bundle") });
    expect(await io.exec(['ipset', 'save'])).toMatchObject({ ok: false, error: 'ENOENT' });
    expect(io.misses).toEqual(['open /proc/sys/net/ipv4/ip_forward', 'exec ipset save']);
  });
});
