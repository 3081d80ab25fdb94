/**
 * The authentication methods an SSH server offers, read the way a client learns them:
 * complete the key exchange, ask for the `none` method (RFC 4252 §5.2), and read the list
 * of methods that "can continue" from the failure. No credential is ever sent.
 *
 * @module
 */
import { Client } from 'ssh2';

export function sshAuthMethods(address: string, port: number, timeoutMs: number): Promise<string[] | null> {
  return new Promise((resolve) => {
    const client = new Client();
    let methods: string[] | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.end();
      resolve(methods);
    };
    const timer = setTimeout(finish, timeoutMs);
    client.on('error', finish);
    client.on('close', finish);
    // `none` accepted: the server lets anyone in without a credential.
    client.on('ready', () => {
      methods = ['none'];
      finish();
    });
    client.connect({
      host: address,
      port,
      username: 'portcullis-probe',
      readyTimeout: timeoutMs,
      // First call: try `none`; the second call carries the methods the server offers: stop there.
      authHandler: (methodsLeft, _partial, next) => {
        if (methodsLeft === null) return next({ type: 'none', username: 'portcullis-probe' });
        methods = [...methodsLeft];
        next(false as never);
        finish();
      },
    });
  });
}
