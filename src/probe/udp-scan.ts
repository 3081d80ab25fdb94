/**
 * UDP probes, nmap's `-sU` semantics: any reply is open, ICMP port unreachable (reported
 * by a connected UDP socket as ECONNREFUSED) closed, silence after every retry
 * open|filtered. The datagram is a protocol's own request where one is known (a server
 * ignores an empty datagram), else empty.
 *
 * @module
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { PortState, Recognition } from '../model/probe.js';
import { runPool } from './pool.js';
import type { UdpProbe } from './recognise/types.js';

export interface UdpPortResult {
  address: string;
  port: number;
  state: PortState;
  recognition: Recognition | null;
}

export interface UdpScanOptions {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  ratePerTarget: number;
  probes: readonly UdpProbe[];
}

/** After the first datagram, how long to wait for the rest of a multi-datagram reply. */
const QUIET_MS = 250;

function sendOnce(address: string, port: number, request: Buffer, timeoutMs: number): Promise<{ kind: 'reply'; replies: Buffer[] } | { kind: 'refused' } | { kind: 'silence' }> {
  return new Promise((resolve) => {
    const sock = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    const replies: Buffer[] = [];
    let timer: NodeJS.Timeout;
    let done = false;
    const finish = (r: { kind: 'reply'; replies: Buffer[] } | { kind: 'refused' } | { kind: 'silence' }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      resolve(r);
    };
    timer = setTimeout(() => finish({ kind: 'silence' }), timeoutMs);
    sock.on('message', (msg) => {
      replies.push(msg);
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'reply', replies }), QUIET_MS);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'silence' }));
    sock.connect(port, address, () => sock.send(request));
  });
}

export async function udpScan(targets: readonly string[], ports: readonly number[], opts: UdpScanOptions): Promise<UdpPortResult[]> {
  const tasks = targets.flatMap((address) =>
    ports.map((port) => ({
      key: address,
      run: async (): Promise<UdpPortResult> => {
        const probe = opts.probes.find((p) => p.ports.includes(port)) ?? null;
        const request = probe?.request ?? Buffer.alloc(0);
        for (let attempt = 0; ; attempt++) {
          const r = await sendOnce(address, port, request, opts.timeoutMs);
          if (r.kind === 'refused') return { address, port, state: 'closed', recognition: null };
          if (r.kind === 'reply') return { address, port, state: 'open', recognition: probe ? probe.judge(request, r.replies) : null };
          if (attempt >= opts.retries) return { address, port, state: 'open|filtered', recognition: null };
        }
      },
    })),
  );
  return runPool(tasks, { concurrency: opts.concurrency, ratePerKey: opts.ratePerTarget });
}
