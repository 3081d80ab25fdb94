/**
 * SMTP STARTTLS (RFC 3207) up to the point where TLS starts: read the 220 greeting, EHLO,
 * STARTTLS, and hand over the plain socket once the server answered 220; the caller runs
 * the TLS handshake over it. Nothing else is sent: no MAIL, no AUTH.
 *
 * @module
 */
import { Socket } from 'node:net';
import { ascii, codeReplyComplete, lastLine, latin1 } from './recognise/text.js';

/** The socket, ready for a TLS ClientHello; null when the server does not get there in time. */
export function smtpStarttls(address: string, port: number, timeoutMs: number): Promise<Socket | null> {
  const steps: (Buffer | null)[] = [null, ascii('EHLO portcullis.invalid\r\n'), ascii('STARTTLS\r\n')];
  return new Promise((resolve) => {
    const sock = new Socket();
    let step = 0;
    let reply = Buffer.alloc(0);
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.removeAllListeners('data');
      sock.removeAllListeners('error');
      sock.removeAllListeners('close');
      if (ok) resolve(sock);
      else {
        sock.destroy();
        resolve(null);
      }
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(false));
    sock.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (!codeReplyComplete(reply)) return;
      // Greeting 220, EHLO 250, STARTTLS 220 ("ready to start TLS").
      const expected = step === 1 ? '250' : '220';
      if (!lastLine(reply).startsWith(expected) || !latin1(reply).startsWith(expected)) return finish(false);
      reply = Buffer.alloc(0);
      step += 1;
      if (step === steps.length) return finish(true);
      sock.write(steps[step]!);
    });
    sock.connect({ host: address, port });
  });
}
