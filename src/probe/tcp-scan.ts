/**
 * TCP connect scan, nmap's `-sT` semantics: a completed handshake is open, a refusal (RST,
 * or ICMP port unreachable) closed, silence after every retry filtered, ICMP host/network
 * unreachable filtered.
 *
 * @module
 */
import { Socket } from 'node:net';
import type { ConnectOutcome } from './connect-outcome.js';
import { fastConnect } from './fast-connect.js';
import { runPool } from './pool.js';

export type TcpState = 'open' | 'closed' | 'filtered';

export interface TcpScanOptions {
  concurrency: number;
  timeoutMs: number;
  /** Further attempts after a timeout. */
  retries: number;
  ratePerTarget: number;
  /** How to connect: the bare libuv handle where Node has it, else net.Socket. */
  connect?: (address: string, port: number, timeoutMs: number, localPort?: number) => Promise<ConnectOutcome>;
  onProgress?: (done: number, total: number) => void;
}

export interface TcpPortResult {
  address: string;
  port: number;
  state: TcpState;
  /** Set when the connect succeeded only onto itself (TCP simultaneous open on a local target). */
  selfConnect?: true;
}

/** One connect attempt: open, closed, filtered, or 'timeout' (to be retried). */
/** One connect attempt; `localPort` binds the source port (tests use it to force a self-connect). */
export function connectOnce(address: string, port: number, timeoutMs: number, localPort?: number): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let settled = false;
    const finish = (r: ConnectOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ state: 'timeout' }), timeoutMs);
    sock.once('connect', () => {
      // On a local target the kernel may pick the probed port as the source port: the SYN
      // meets itself and the connect "succeeds" with nothing listening (simultaneous open).
      if (sock.localPort === port && sock.localAddress === sock.remoteAddress) finish({ state: 'closed', selfConnect: true });
      else finish({ state: 'open' });
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') finish({ state: 'closed' });
      else if (err.code === 'ETIMEDOUT') finish({ state: 'timeout' });
      else if (err.code === 'EMFILE' || err.code === 'ENFILE' || err.code === 'EADDRNOTAVAIL' || err.code === 'ENOBUFS') finish({ state: 'busy' });
      // EHOSTUNREACH, ENETUNREACH, EACCES (a local OUTPUT reject): nothing answered from the port.
      else finish({ state: 'filtered' });
    });
    sock.connect({ host: address, port, ...(localPort !== undefined ? { localPort, localAddress: address } : {}) });
  });
}

/** Scans every target × port; results in target-major, port order as given. */
export async function tcpConnectScan(targets: readonly string[], ports: readonly number[], opts: TcpScanOptions): Promise<TcpPortResult[]> {
  const connect = opts.connect ?? fastConnect ?? connectOnce;
  // Interleave targets so that the per-target rate does not serialise a multi-target scan.
  const tasks = ports.flatMap((port) =>
    targets.map((address) => ({
      key: address,
      run: async (): Promise<TcpPortResult> => {
        for (let attempt = 0; ; attempt++) {
          const r = await connect(address, port, opts.timeoutMs);
          if (r.state === 'busy') {
            // Our own shortage, not the target's answer: wait for sockets to free up and try again.
            attempt--;
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          if (r.state !== 'timeout') return { address, port, state: r.state, ...(r.selfConnect ? { selfConnect: true as const } : {}) };
          if (attempt >= opts.retries) return { address, port, state: 'filtered' };
        }
      },
    })),
  );
  const total = tasks.length;
  const results = await runPool(tasks, { concurrency: opts.concurrency, ratePerKey: opts.ratePerTarget, ...(opts.onProgress ? { onDone: (d: number) => opts.onProgress!(d, total) } : {}) });
  const order = new Map(targets.map((t, i) => [t, i]));
  const portOrder = new Map(ports.map((p, i) => [p, i]));
  return results.sort((a, b) => order.get(a.address)! - order.get(b.address)! || portOrder.get(a.port)! - portOrder.get(b.port)!);
}
