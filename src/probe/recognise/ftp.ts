/**
 * FTP: the 220 greeting, then what nmap's ftp-anon does and no more: `USER anonymous`, a
 * `PASS`, `QUIT`; nothing is listed, read or written (RFC 959 reply codes: 230 logged in,
 * 331 need password, 530 not logged in).
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { ascii, codeReplyComplete, firstLine, lastLine, latin1, recognition } from './text.js';

const code = (b: Buffer | undefined): number => Number(/^(\d{3})/.exec(lastLine(b ?? Buffer.alloc(0)))?.[1] ?? 0);

export const ftpAnonymous: TcpDialogue = {
  name: 'ftp-anon',
  next(replies) {
    if (replies.length === 0) return LISTEN;
    if (replies.length === 1) return code(replies[0]) === 220 ? ascii('USER anonymous\r\n') : null;
    if (replies.length === 2) return code(replies[1]) === 331 ? ascii('PASS portcullis-probe@example.invalid\r\n') : ascii('QUIT\r\n');
    if (replies.length === 3) return ascii('QUIT\r\n');
    return null;
  },
  complete: (reply) => codeReplyComplete(reply),
  minStepMs: 6000,
  judge(replies) {
    const greeting = replies[0] ?? Buffer.alloc(0);
    if (code(greeting) !== 220 || /\b(E?SMTP|Postfix|Exim)\b/i.test(latin1(greeting))) return null;
    const user = code(replies[1]);
    const pass = code(replies[2]);
    const anonymous = user === 230 || (user === 331 && pass === 230);
    const refused = user === 530 || (user === 331 && pass >= 500);
    const product = /\((vsFTPd [\d.]+)\)/.exec(latin1(greeting))?.[1] ?? /ProFTPD [\d.]+\S*/.exec(latin1(greeting))?.[0] ?? null;
    return recognition('ftp', {
      product,
      auth: anonymous ? 'none' : refused ? 'required' : 'unknown',
      banner: firstLine(greeting),
      cleartextLogin: true,
      facts: anonymous ? ['anonymous FTP login accepted (USER anonymous, then PASS)'] : refused ? ['anonymous FTP login refused'] : [],
    });
  },
};
