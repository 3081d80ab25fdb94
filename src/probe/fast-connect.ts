/**
 * A connect attempt on libuv's TCP handle directly, without a net.Socket around it: a
 * net.Socket costs ~150 µs of JavaScript per connect, which makes a 65,535-port loopback scan
 * 3-4× slower than nmap's; the bare handle is ~40 µs. Node exposes the handle only through
 * `process.binding('tcp_wrap')` (DEP0111, a documentation-only deprecation), so this is
 * feature-detected and the scanner falls back to net.Socket (connectOnce) where it is missing.
 *
 * @module
 */
import { constants } from 'node:os';
import { isIP } from 'node:net';
import type { ConnectOutcome } from './connect-outcome.js';

interface TcpHandle {
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  getpeername(out: { address?: string; port?: number }): number;
  close(cb?: () => void): void;
}

interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete?: (status: number) => void };
  constants: { SOCKET: number };
}

function loadTcpWrap(): TcpWrap | null {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as Partial<TcpWrap>;
    if (typeof binding.TCP === 'function' && typeof binding.TCPConnectWrap === 'function' && binding.constants && typeof binding.constants.SOCKET === 'number') return binding as TcpWrap;
  } catch {
    // Not available in this Node: the caller uses net.Socket.
  }
  return null;
}

const wrap = loadTcpWrap();
const REFUSED = -constants.errno.ECONNREFUSED;
const TIMEDOUT = -constants.errno.ETIMEDOUT;
/** Local shortages (descriptors, source ports): the attempt never reached the target. */
const LOCAL_SHORTAGE = new Set([-constants.errno.EMFILE, -constants.errno.ENFILE, -constants.errno.EADDRNOTAVAIL, -constants.errno.ENOBUFS]);

/** The bare-handle connect, or null when this Node does not offer it. */
export const fastConnect: ((address: string, port: number, timeoutMs: number, localPort?: number) => Promise<ConnectOutcome>) | null = wrap
  ? (address, port, timeoutMs, localPort) =>
      new Promise((resolve) => {
        const handle = new wrap.TCP(wrap.constants.SOCKET);
        const req = new wrap.TCPConnectWrap();
        let settled = false;
        const finish = (r: ConnectOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          handle.close();
          resolve(r);
        };
        const timer = setTimeout(() => finish({ state: 'timeout' }), timeoutMs);
        req.oncomplete = (status: number) => {
          if (status === 0) {
            const local: { address?: string; port?: number } = {};
            const peer: { address?: string; port?: number } = {};
            handle.getsockname(local);
            handle.getpeername(peer);
            // Simultaneous open onto itself: see connectOnce.
            if (local.port === port && local.address === peer.address) finish({ state: 'closed', selfConnect: true });
            else finish({ state: 'open' });
          } else if (status === REFUSED) finish({ state: 'closed' });
          else if (status === TIMEDOUT) finish({ state: 'timeout' });
          else if (LOCAL_SHORTAGE.has(status)) finish({ state: 'busy' });
          else finish({ state: 'filtered' });
        };
        const v6 = isIP(address) === 6;
        if (localPort !== undefined) {
          const bound = v6 ? handle.bind6(address, localPort, 0) : handle.bind(address, localPort);
          if (bound !== 0) return finish({ state: 'filtered' });
        }
        const err = v6 ? handle.connect6(req, address, port) : handle.connect(req, address, port);
        if (err === REFUSED) finish({ state: 'closed' });
        else if (LOCAL_SHORTAGE.has(err)) finish({ state: 'busy' });
        else if (err !== 0) finish({ state: 'filtered' });
      })
  : null;
