/**
 * Redis: `PING`. +PONG means it answers without a password; -NOAUTH that it requires one;
 * -DENIED is protected mode (no password set, not bound to loopback: refuses non-local
 * clients, and says so right after accept).
 *
 * @module
 */
import type { TcpDialogue } from './types.js';
import { ascii, endsLine, firstLine, latin1, recognition } from './text.js';

export const redisPing: TcpDialogue = {
  name: 'redis-ping',
  next: (replies) => (replies.length === 0 ? ascii('PING\r\n') : replies.length === 1 && latin1(replies[0]!).startsWith('+PONG') ? ascii('INFO server\r\n') : null),
  complete: (reply, step) => (step === 0 ? endsLine(reply) : /\r\n\r\n$|^-/.test(latin1(reply)) || bulkComplete(reply)),
  judge(replies) {
    const first = latin1(replies[0] ?? Buffer.alloc(0));
    const banner = firstLine(replies[0] ?? Buffer.alloc(0));
    if (first.startsWith('+PONG')) {
      const version = /redis_version:([^\r\n]+)/.exec(latin1(replies[1] ?? Buffer.alloc(0)))?.[1] ?? null;
      return recognition('redis', { product: version ? `Redis ${version}` : null, auth: 'none', banner, facts: ['PING answered +PONG without a password'] });
    }
    if (first.startsWith('-NOAUTH')) return recognition('redis', { auth: 'required', banner, facts: ['PING answered -NOAUTH: a password is required'] });
    if (first.startsWith('-DENIED')) return recognition('redis', { auth: 'denied-protected-mode', banner, facts: ['Redis protected mode refused this client (-DENIED)'] });
    // Redis 6 ACL users without the default user: "-NOPERM" / "-WRONGPASS".
    if (/^-(NOPERM|WRONGPASS)/.test(first)) return recognition('redis', { auth: 'required', banner, facts: [`PING answered ${banner}`] });
    return null;
  },
};

/** A RESP bulk string ("$len\r\n…\r\n") has arrived whole. */
function bulkComplete(reply: Buffer): boolean {
  const m = /^\$(\d+)\r\n/.exec(latin1(reply.subarray(0, 20)));
  return m !== null && reply.length >= m[0].length + Number(m[1]) + 2;
}

