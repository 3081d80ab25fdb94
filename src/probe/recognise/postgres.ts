/**
 * PostgreSQL (protocol 3.0): an SSLRequest (length 8, code 80877103) is answered with one
 * byte, `S` (TLS available) or `N`; a StartupMessage is answered with an Authentication
 * request (`R`, int32 code: 0 = no authentication, 3 cleartext, 5 MD5, 10 SASL) or an
 * ErrorResponse (`E`: e.g. no pg_hba.conf entry). Nothing further is sent.
 *
 * @module
 */
import type { AuthVerdict } from '../../model/probe.js';
import type { TcpDialogue } from './types.js';
import { recognition } from './text.js';

export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** StartupMessage for user "portcullis-probe", database "postgres". */
export function startupMessage(): Buffer {
  const params = Buffer.from('user\0portcullis-probe\0database\0postgres\0\0', 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + params.length, 0);
  head.writeUInt32BE(0x00030000, 4);
  return Buffer.concat([head, params]);
}

const AUTH_NAMES: Record<number, string> = { 0: 'none (trust)', 3: 'cleartext password', 5: 'MD5 password', 7: 'GSSAPI', 9: 'SSPI', 10: 'SASL (SCRAM)' };

/** The server's answer to a StartupMessage. */
export function startupVerdict(b: Buffer): { auth: AuthVerdict; fact: string } | null {
  if (b.length >= 9 && b[0] === 0x52 /* R */) {
    const code = b.readUInt32BE(5);
    return { auth: code === 0 ? 'none' : 'required', fact: `startup answered with authentication ${AUTH_NAMES[code] ?? `code ${code}`}` };
  }
  if (b.length >= 5 && b[0] === 0x45 /* E */) {
    const message = /M([^\0]*)\0/.exec(b.subarray(5).toString('utf8'))?.[1] ?? 'error';
    return { auth: 'required', fact: `startup refused: ${message.slice(0, 160)}` };
  }
  return null;
}

export const postgresProbe: TcpDialogue = {
  name: 'postgres',
  next(replies) {
    if (replies.length === 0) return SSL_REQUEST;
    // After N the same connection may go on in plaintext; after S it would have to speak TLS.
    if (replies.length === 1 && replies[0]!.length === 1 && replies[0]![0] === 0x4e) return startupMessage();
    return null;
  },
  complete: (reply, step) => (step === 0 ? reply.length >= 1 : reply.length >= 5 && reply.length >= 1 + reply.readUInt32BE(1)),
  judge(replies) {
    const ssl = replies[0];
    if (!ssl || ssl.length !== 1 || (ssl[0] !== 0x53 && ssl[0] !== 0x4e)) return null;
    const tls = ssl[0] === 0x53;
    const startup = replies[1] ? startupVerdict(replies[1]) : null;
    return recognition('postgresql', {
      auth: startup?.auth ?? 'unknown',
      starttls: tls,
      facts: [tls ? 'SSLRequest answered S: TLS available' : 'SSLRequest answered N: no TLS', ...(startup ? [startup.fact] : [])],
    });
  },
};
