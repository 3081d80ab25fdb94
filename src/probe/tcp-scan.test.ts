/**
 * One behaviour suite for both ways to connect (the bare libuv handle and net.Socket), on
 * loopback listeners this test opens.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastConnect } from './fast-connect.js';
import { connectOnce, tcpConnectScan } from './tcp-scan.js';

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer((c) => c.destroy());
    s.once('error', reject);
    s.listen(0, host, () => resolve(s));
  });
}
const portOf = (s: Server) => (s.address() as { port: number }).port;

const connectors = [
  ['net.Socket', connectOnce],
  ['libuv handle', fastConnect],
] as const;

describe.each(connectors)('TCP connect scan with %s', (name, connect) => {
  if (!connect) {
    it.skip(`${name} is not available in this Node`, () => {});
    return;
  }
  let v4: Server;
  let v6: Server | null = null;
  let closedPort = 0;
  beforeAll(async () => {
    v4 = await listen('127.0.0.1');
    v6 = await listen('::1').catch(() => null);
    const tmp = await listen('127.0.0.1');
    closedPort = portOf(tmp);
    await new Promise((r) => tmp.close(r));
  });
  afterAll(() => {
    v4.close();
    v6?.close();
  });

  it('open, closed, over IPv4 and IPv6', async () => {
    expect(await connect('127.0.0.1', portOf(v4), 2000)).toEqual({ state: 'open' });
    expect(await connect('127.0.0.1', closedPort, 2000)).toEqual({ state: 'closed' });
    if (v6) expect(await connect('::1', portOf(v6), 2000)).toEqual({ state: 'open' });
  });

  it('a scan reports each port once, in the order asked', async () => {
    const ports = [closedPort, portOf(v4)];
    const r = await tcpConnectScan(['127.0.0.1'], ports, { concurrency: 2, timeoutMs: 2000, retries: 0, ratePerTarget: 0, connect });
    expect(r).toEqual([
      { address: '127.0.0.1', port: closedPort, state: 'closed' },
      { address: '127.0.0.1', port: portOf(v4), state: 'open' },
    ]);
  });

  it('a connect that only met itself (TCP simultaneous open) is closed, not open', async () => {
    // The kernel may pick the probed port as the source port on a local target; binding the
    // source port to the destination port makes that happen every time.
    expect(await connect('127.0.0.1', closedPort, 2000, closedPort)).toEqual({ state: 'closed', selfConnect: true });
  });
});
