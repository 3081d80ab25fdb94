/**
 * Recognisers of protocols whose servers the test machine does not run (yet): on byte
 * sequences built from the protocol specifications cited in each recogniser, so the
 * parsing of each field is pinned down. Real-server recordings replace these as the
 * servers join the live suite.
 */
import { describe, expect, it } from 'vitest';
import { imapCapability, pop3Capa, smtpEhlo } from './mail.js';
import { mysqlHandshake } from './mysql.js';
import { postgresProbe, startupVerdict, SSL_REQUEST } from './postgres.js';
import { iacCommands, telnetNegotiation } from './telnet.js';
import { vncSecurity } from './vnc.js';
import { judgeHttp } from './http.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('protocol recognisers (spec-built bytes)', () => {
  it('PostgreSQL: SSLRequest S/N, then the startup answer', () => {
    expect(postgresProbe.next([])).toEqual(SSL_REQUEST);
    expect(postgresProbe.next([b('N')])).not.toBeNull();
    expect(postgresProbe.next([b('S')])).toBeNull();
    const md5 = Buffer.from([0x52, 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]);
    expect(postgresProbe.judge([b('N'), md5])).toMatchObject({ service: 'postgresql', auth: 'required', starttls: false });
    const trust = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]);
    expect(startupVerdict(trust)).toMatchObject({ auth: 'none' });
    expect(postgresProbe.judge([b('S')])).toMatchObject({ auth: 'unknown', starttls: true });
    expect(postgresProbe.judge([b('HTTP/1.1 400')])).toBeNull();
  });

  it('MySQL/MariaDB: version and the CLIENT_SSL capability from the handshake', () => {
    const version = b('5.5.5-10.11.6-MariaDB-0+deb12u1\0');
    // Capability flags, low 16 bits little-endian: 0xfffe has CLIENT_SSL (0x0800), 0xf7fe not.
    const packet = (caps: number[]) => {
      const body = Buffer.concat([Buffer.from([10]), version, Buffer.alloc(4), Buffer.alloc(8), Buffer.from([0]), Buffer.from(caps)]);
      return Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]);
    };
    expect(mysqlHandshake.judge([packet([0xfe, 0xff])])).toMatchObject({ service: 'mariadb', auth: 'required', starttls: true, product: 'MariaDB 10.11.6-MariaDB-0+deb12u1' });
    expect(mysqlHandshake.judge([packet([0xfe, 0xf7])])).toMatchObject({ starttls: false });
    const err = Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), b("Host '192.0.2.10' is not allowed to connect to this MariaDB server")]);
    expect(mysqlHandshake.judge([Buffer.concat([Buffer.from([err.length, 0, 0, 0]), err])])).toMatchObject({ auth: 'required' });
  });

  it('VNC: security types, None means no authentication', () => {
    expect(vncSecurity.judge([b('RFB 003.008\n'), Buffer.from([2, 1, 2])])).toMatchObject({ service: 'vnc', auth: 'none' });
    expect(vncSecurity.judge([b('RFB 003.008\n'), Buffer.from([1, 2])])).toMatchObject({ auth: 'required' });
    expect(vncSecurity.judge([b('RFB 003.003\n'), Buffer.from([0, 0, 0, 2])])).toMatchObject({ auth: 'required' });
  });

  it('Telnet: IAC negotiation is recognised and is a cleartext login', () => {
    const neg = Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfb, 0x01]);
    expect(iacCommands(neg)).toEqual(['DO 24', 'DO 32', 'WILL 1']);
    expect(telnetNegotiation.judge([neg])).toMatchObject({ service: 'telnet', cleartextLogin: true });
    expect(telnetNegotiation.judge([b('SSH-2.0-x\r\n')])).toBeNull();
  });

  it('SMTP, POP3, IMAP: STARTTLS offered or not', () => {
    expect(smtpEhlo.judge([b('220 mx.example ESMTP Postfix\r\n'), b('250-mx.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n')])).toMatchObject({ service: 'smtp', starttls: true });
    expect(pop3Capa.judge([b('+OK Dovecot ready.\r\n'), b('+OK\r\nCAPA\r\nUSER\r\n.\r\n')])).toMatchObject({ service: 'pop3', starttls: false, cleartextLogin: true });
    expect(imapCapability.judge([b('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n'), b('a1 OK done\r\n')])).toMatchObject({ service: 'imap', starttls: true, cleartextLogin: false });
  });

  it('HTTP APIs: Elasticsearch, Docker and Basic auth over plain HTTP', () => {
    const es = b('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"name":"n","cluster_name":"c","tagline":"You Know, for Search"}');
    expect(judgeHttp([es], false)).toMatchObject({ service: 'elasticsearch', auth: 'none' });
    const docker = b('HTTP/1.1 404 Not Found\r\nServer: Docker/24.0.7 (linux)\r\n\r\n{"message":"page not found"}');
    expect(judgeHttp([docker], false)).toMatchObject({ service: 'docker', auth: 'none' });
    const basic = b('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="admin"\r\n\r\n');
    expect(judgeHttp([basic], false)).toMatchObject({ service: 'http', auth: 'required', cleartextLogin: true });
    expect(judgeHttp([basic], true)).not.toHaveProperty('cleartextLogin');
  });
});
