/**
 * Mail protocols by their greetings: SMTP (220 + EHLO: STARTTLS, AUTH; RFC 5321, 3207),
 * POP3 (+OK + CAPA: STLS, USER; RFC 2449, 2595), IMAP (* OK + CAPABILITY: STARTTLS,
 * LOGINDISABLED; RFC 9051). Credentials sent before TLS are cleartext logins.
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { ascii, codeReplyComplete, endsLine, firstLine, lastLine, latin1, recognition } from './text.js';

export const smtpEhlo: TcpDialogue = {
  name: 'smtp-ehlo',
  next: (replies) => (replies.length === 0 ? LISTEN : replies.length === 1 ? ascii('EHLO portcullis.invalid\r\n') : replies.length === 2 ? ascii('QUIT\r\n') : null),
  complete: (reply) => codeReplyComplete(reply),
  judge(replies) {
    const greeting = latin1(replies[0] ?? Buffer.alloc(0));
    if (!/^220[ -]/.test(greeting) || !/SMTP|Postfix|Exim|Sendmail|mail/i.test(greeting)) return null;
    const ehlo = latin1(replies[1] ?? Buffer.alloc(0));
    const starttls = /^250[ -]STARTTLS\b/im.test(ehlo);
    const auth = /^250[ -]AUTH\b/im.test(ehlo);
    return recognition('smtp', {
      banner: firstLine(replies[0]!),
      starttls,
      cleartextLogin: auth,
      facts: [starttls ? 'STARTTLS offered' : 'no STARTTLS: mail and any login travel in cleartext', ...(auth ? ['AUTH offered before TLS'] : [])],
    });
  },
};

export const pop3Capa: TcpDialogue = {
  name: 'pop3-capa',
  next: (replies) => (replies.length === 0 ? LISTEN : replies.length === 1 ? ascii('CAPA\r\n') : replies.length === 2 ? ascii('QUIT\r\n') : null),
  complete: (reply, step) => (step === 1 ? /(^|\r\n)\.\r\n$|^-ERR.*\r\n$/.test(latin1(reply)) : endsLine(reply)),
  judge(replies) {
    const greeting = latin1(replies[0] ?? Buffer.alloc(0));
    if (!greeting.startsWith('+OK')) return null;
    const capa = latin1(replies[1] ?? Buffer.alloc(0));
    const starttls = /^STLS\b/im.test(capa);
    return recognition('pop3', {
      banner: firstLine(replies[0]!),
      starttls,
      cleartextLogin: true,
      facts: [starttls ? 'STLS offered' : 'no STLS: USER/PASS travel in cleartext'],
    });
  },
};

export const imapCapability: TcpDialogue = {
  name: 'imap-capability',
  next: (replies) => (replies.length === 0 ? LISTEN : replies.length === 1 ? ascii('a1 CAPABILITY\r\n') : replies.length === 2 ? ascii('a2 LOGOUT\r\n') : null),
  complete: (reply, step) => (step === 1 ? /^a1 /m.test(lastLine(reply)) && endsLine(reply) : endsLine(reply)),
  judge(replies) {
    const greeting = latin1(replies[0] ?? Buffer.alloc(0));
    if (!/^\* (OK|PREAUTH)/i.test(greeting)) return null;
    const caps = `${greeting} ${latin1(replies[1] ?? Buffer.alloc(0))}`;
    const starttls = /\bSTARTTLS\b/i.test(caps);
    const loginDisabled = /\bLOGINDISABLED\b/i.test(caps);
    return recognition('imap', {
      banner: firstLine(replies[0]!),
      auth: /^\* PREAUTH/i.test(greeting) ? 'none' : null,
      starttls,
      cleartextLogin: !loginDisabled,
      facts: [starttls ? 'STARTTLS offered' : 'no STARTTLS', ...(loginDisabled ? ['LOGIN disabled before TLS'] : ['LOGIN allowed before TLS'])],
    });
  },
};
