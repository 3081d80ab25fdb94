/**
 * The recognisers on bytes recorded from Debian's real servers (test/fixtures/probe/,
 * written by scripts/record-probe-replies.mjs): the verdict, and what the dialogue sends
 * at each step given those replies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ftpAnonymous } from './ftp.js';
import { httpDialogue } from './http.js';
import { dialogueForBanner } from './index.js';
import { memcachedStats } from './memcached.js';
import { redisPing } from './redis.js';
import { sshBanner } from './ssh.js';
import type { TcpDialogue } from './types.js';

function recorded(name: string): Buffer[] {
  const file = new URL(`../../../test/fixtures/probe/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { replies: string[] }).replies.map((r) => Buffer.from(r, 'base64'));
}

/** What the dialogue sends after each recorded reply (as text; "listen" for none). */
function sent(d: TcpDialogue, replies: Buffer[]): (string | null)[] {
  return replies.map((_, i) => {
    const next = d.next(replies.slice(0, i));
    return next === null ? null : typeof next === 'string' ? next : next.toString('latin1');
  });
}

describe('recognisers on recorded replies', () => {
  it('Redis without a password: +PONG, then INFO for the version', () => {
    const r = recorded('redis-open');
    expect(sent(redisPing, r)).toEqual(['PING\r\n', 'INFO server\r\n']);
    expect(redisPing.judge(r)).toMatchObject({ service: 'redis', auth: 'none', product: 'Redis 7.0.15' });
  });

  it('Redis with requirepass: -NOAUTH, and nothing more is sent', () => {
    const r = recorded('redis-requirepass');
    expect(redisPing.next(r)).toBeNull();
    expect(redisPing.judge(r)).toMatchObject({ service: 'redis', auth: 'required' });
  });

  it('Redis in protected mode: -DENIED, recognised from the first bytes alone', () => {
    const r = recorded('redis-protected-mode');
    expect(redisPing.judge(r)).toMatchObject({ service: 'redis', auth: 'denied-protected-mode' });
    expect(dialogueForBanner(r[0]!)).toBe(redisPing);
  });

  it('memcached: stats answered, version read', () => {
    const r = recorded('memcached-tcp');
    expect(memcachedStats.judge(r)).toMatchObject({ service: 'memcached', auth: 'none', product: 'memcached 1.6.18' });
    expect(memcachedStats.complete(r[0]!, 0)).toBe(true);
  });

  it('vsftpd with anonymous login: USER anonymous, PASS, QUIT and nothing else', () => {
    const r = recorded('vsftpd-anonymous');
    expect(sent(ftpAnonymous, r)).toEqual(['listen', 'USER anonymous\r\n', 'PASS portcullis-probe@example.invalid\r\n', 'QUIT\r\n']);
    expect(ftpAnonymous.next(r)).toBeNull();
    expect(ftpAnonymous.judge(r)).toMatchObject({ service: 'ftp', auth: 'none', product: 'vsFTPd 3.0.3', cleartextLogin: true });
  });

  it('vsftpd without anonymous login: 530 after PASS', () => {
    const r = recorded('vsftpd-no-anonymous');
    expect(ftpAnonymous.judge(r)).toMatchObject({ service: 'ftp', auth: 'required' });
    expect(dialogueForBanner(r[0]!)).toBe(ftpAnonymous);
  });

  it('OpenSSH: identification string, product and version', () => {
    const r = recorded('openssh-banner');
    expect(sshBanner.judge(r)).toMatchObject({ service: 'ssh', product: expect.stringMatching(/^OpenSSH_9\.2p1 Debian/) });
    expect(dialogueForBanner(r[0]!)).toBe(sshBanner);
  });

  it('nginx over HTTP: status line and Server header', () => {
    const d = httpDialogue('192.0.2.1', false);
    const r = recorded('nginx-http');
    expect(d.complete(r[0]!, 0)).toBe(true);
    expect(d.judge(r)).toMatchObject({ service: 'http', product: 'nginx/1.22.1', banner: 'HTTP/1.1 200 OK' });
  });

  it('no recogniser claims another protocol\'s replies', () => {
    for (const name of ['redis-open', 'memcached-tcp', 'nginx-http']) {
      const r = recorded(name);
      expect(ftpAnonymous.judge(r), name).toBeNull();
      expect(sshBanner.judge(r), name).toBeNull();
    }
    expect(redisPing.judge(recorded('memcached-tcp'))).toBeNull();
    expect(memcachedStats.judge(recorded('redis-open'))).toBeNull();
  });
});
