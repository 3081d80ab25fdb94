import { describe, expect, it } from 'vitest';
import { findSshConnection } from './ssh-session.js';

/** A process tree as /proc shows it: pid → { ppid, name, environ }. */
function procfs(tree: Record<number, { ppid: number; name: string; env?: Record<string, string>; unreadable?: boolean }>) {
  return {
    readFile: async (path: string): Promise<string> => {
      const m = /^\/proc\/(\d+)\/(status|environ)$/.exec(path);
      const p = m ? tree[Number(m[1])] : undefined;
      if (!p) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      if (m![2] === 'status') return `Name:\t${p.name}\nPPid:\t${p.ppid}\n`;
      if (p.unreadable) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return Object.entries(p.env ?? {}).map(([k, v]) => `${k}=${v}\0`).join('');
    },
  };
}

describe('findSshConnection', () => {
  it('reads SSH_CONNECTION from the environment', async () => {
    const s = await findSshConnection({ SSH_CONNECTION: '203.0.113.9 51234 192.0.2.1 22' }, 10, procfs({}));
    expect(s).toEqual({ client: '203.0.113.9', clientPort: 51234, server: '192.0.2.1', serverPort: 22, foundIn: 'environment' });
  });

  it('under sudo (env_reset): finds it in the nearest ancestor that has it, skipping unreadable ones', async () => {
    const tree = {
      40: { ppid: 30, name: 'node' },
      30: { ppid: 20, name: 'sudo', env: { SUDO_USER: 'alice' } },
      20: { ppid: 15, name: 'bash', unreadable: true },
      15: { ppid: 10, name: 'bash', env: { SSH_CONNECTION: '2001:db8::9 40000 2001:db8::1 2222' } },
      10: { ppid: 1, name: 'sshd-session' },
    };
    expect(await findSshConnection({}, 40, procfs(tree))).toEqual({ client: '2001:db8::9', clientPort: 40000, server: '2001:db8::1', serverPort: 2222, foundIn: 'process 15 (bash)' });
  });

  it('falls back to SSH_CLIENT (no server address); null on a console', async () => {
    expect(await findSshConnection({ SSH_CLIENT: '198.51.100.4 5000 22' }, 10, procfs({}))).toMatchObject({ client: '198.51.100.4', server: null, serverPort: 22 });
    expect(await findSshConnection({}, 40, procfs({ 40: { ppid: 1, name: 'bash' } }))).toBeNull();
    expect(await findSshConnection({ SSH_CONNECTION: 'garbage' }, 40, procfs({ 40: { ppid: 1, name: 'bash' } }))).toBeNull();
  });
});
