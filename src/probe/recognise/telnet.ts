/**
 * Telnet: servers open with IAC option negotiation (RFC 854: IAC = 0xFF, then DO/DONT/
 * WILL/WONT = 0xFD/0xFE/0xFB/0xFC and an option byte). Whatever the login, it is cleartext.
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { latin1, recognition } from './text.js';

const VERBS: Record<number, string> = { 0xfb: 'WILL', 0xfc: 'WONT', 0xfd: 'DO', 0xfe: 'DONT' };

/** The IAC commands at the start of a reply, e.g. ["DO 24", "WILL 1"]. */
export function iacCommands(b: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < b.length && b[i] === 0xff; ) {
    const verb = VERBS[b[i + 1]!];
    if (verb) {
      out.push(`${verb} ${b[i + 2]}`);
      i += 3;
    } else if (b[i + 1] === 0xfa) {
      // Subnegotiation: IAC SB … IAC SE.
      const end = b.indexOf(Buffer.from([0xff, 0xf0]), i + 2);
      if (end < 0) break;
      out.push(`SB ${b[i + 2]}`);
      i = end + 2;
    } else i += 2;
  }
  return out;
}

export const telnetNegotiation: TcpDialogue = {
  name: 'telnet',
  next: (replies) => (replies.length === 0 ? LISTEN : null),
  complete: (reply) => reply.length >= 3,
  judge(replies) {
    const b = replies[0] ?? Buffer.alloc(0);
    const commands = iacCommands(b);
    if (commands.length === 0) return null;
    const text = latin1(b).replace(/\xff[\xfb-\xfe]./gs, '').replace(/[^\x20-\x7e]/g, '').trim();
    return recognition('telnet', { banner: text.length > 0 ? text.slice(0, 200) : null, cleartextLogin: true, facts: [`Telnet option negotiation: ${commands.slice(0, 6).join(', ')}`] });
  },
};
