/**
 * SSH: the identification string (RFC 4253 §4.2, "SSH-protoversion-softwareversion SP
 * comments CR LF"); the authentication methods come from a real key exchange (ssh-auth.ts).
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { endsLine, firstLine, latin1, recognition } from './text.js';

export const sshBanner: TcpDialogue = {
  name: 'ssh-banner',
  next: (replies) => (replies.length === 0 ? LISTEN : null),
  complete: (reply) => endsLine(reply),
  judge(replies) {
    // Servers may send other lines before the identification string (RFC 4253 §4.2).
    const line = latin1(replies[0] ?? Buffer.alloc(0)).split(/\r?\n/).find((l) => l.startsWith('SSH-'));
    if (!line) return null;
    const m = /^SSH-([\d.]+)-(\S+)(?: (.*))?$/.exec(line);
    const product = m ? [m[2], m[3]].filter(Boolean).join(' ') : null;
    return recognition('ssh', { product, banner: firstLine(Buffer.from(line, 'latin1')), facts: m && m[1] === '1.5' ? ['speaks only SSH protocol 1'] : [] });
  },
};

