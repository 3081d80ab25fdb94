/**
 * MySQL/MariaDB: the server speaks first with an Initial Handshake packet (protocol 10:
 * server version, connection id, capability flags with CLIENT_SSL = 0x0800), or an ERR
 * packet (0xFF) such as "Host … is not allowed to connect". Authentication is taken as
 * required: proving otherwise would mean trying credentials.
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { recognition } from './text.js';

export const mysqlHandshake: TcpDialogue = {
  name: 'mysql-handshake',
  next: (replies) => (replies.length === 0 ? LISTEN : null),
  complete: (reply) => reply.length >= 4 && reply.length >= 4 + reply.readUIntLE(0, 3),
  judge(replies) {
    const b = replies[0];
    if (!b || b.length < 5 || b[3] !== 0 || 4 + b.readUIntLE(0, 3) > b.length) return null;
    const body = b.subarray(4, 4 + b.readUIntLE(0, 3));
    if (body[0] === 0xff && body.length >= 3) {
      const message = body.subarray(3).toString('utf8').replace(/^#\w{5}/, '');
      return recognition('mysql', { auth: 'required', banner: message.slice(0, 200), facts: [`refused before authentication: ${message.slice(0, 160)}`] });
    }
    if (body[0] !== 10) return null;
    const nul = body.indexOf(0, 1);
    if (nul < 0) return null;
    const version = body.subarray(1, nul).toString('latin1');
    // version NUL, thread id (4), auth-plugin-data part 1 (8), filler (1), capability flags low 16 bits.
    const capsAt = nul + 1 + 4 + 8 + 1;
    const ssl = body.length >= capsAt + 2 ? (body.readUInt16LE(capsAt) & 0x0800) !== 0 : false;
    return recognition(/MariaDB/i.test(version) ? 'mariadb' : 'mysql', {
      product: /MariaDB/i.test(version) ? `MariaDB ${version.replace(/^5\.5\.5-/, '')}` : `MySQL ${version}`,
      auth: 'required',
      banner: version,
      starttls: ssl,
      facts: [ssl ? 'handshake offers TLS (CLIENT_SSL)' : 'handshake does not offer TLS: passwords and data in cleartext'],
    });
  },
};
