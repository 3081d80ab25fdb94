/**
 * One probe run: TCP connect scan of every target × port (and UDP with `udp`), then the
 * recognisers on each open port. Returns the observation; judging it is analysis's job.
 *
 * @module
 */
import type { ProbedPort, ProbedTarget, ProbeObservation } from '../model/probe.js';
import { identifyTcp } from './identify.js';
import { runPool } from './pool.js';
import { UDP_PROBES } from './recognise/index.js';
import type { ResolvedTarget } from './targets.js';
import { tcpConnectScan } from './tcp-scan.js';
import { udpScan } from './udp-scan.js';
import { sourceAddressFor } from './vantage.js';

export interface ProbeRunOptions {
  ports: readonly number[];
  udp: boolean;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  ratePerTarget: number;
  /** Run the recognisers on open ports (off: ports and states only, like nmap -sT). */
  recognise: boolean;
  onProgress?: (phase: 'tcp' | 'udp' | 'identify', done: number, total: number) => void;
  now?: () => Date;
}

const emptyPort = (proto: 'tcp' | 'udp', port: number, state: ProbedPort['state']): ProbedPort => ({ proto, port, state, service: null, product: null, auth: null, tls: null, banner: null, facts: [] });

export async function runProbe(targets: readonly ResolvedTarget[], opts: ProbeRunOptions): Promise<ProbeObservation> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const addresses = targets.map((t) => t.address);
  const tcp = await tcpConnectScan(addresses, opts.ports, {
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    ratePerTarget: opts.ratePerTarget,
    ...(opts.onProgress ? { onProgress: (d: number, t: number) => opts.onProgress!('tcp', d, t) } : {}),
  });
  const udp = opts.udp ? await udpScan(addresses, opts.ports, { concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, retries: opts.retries, ratePerTarget: opts.ratePerTarget, probes: UDP_PROBES }) : [];
  const byTarget = new Map<string, ProbedPort[]>(addresses.map((a) => [a, []]));
  for (const r of tcp) byTarget.get(r.address)!.push({ ...emptyPort('tcp', r.port, r.state), ...(r.selfConnect ? { facts: ['the only connect that succeeded was onto itself (TCP simultaneous open): nothing listens'] } : {}) });
  for (const r of udp) {
    const p = emptyPort('udp', r.port, r.state);
    if (r.recognition) Object.assign(p, { ...r.recognition, service: r.recognition.service });
    byTarget.get(r.address)!.push(p);
  }
  if (opts.recognise) {
    const open = [...byTarget.entries()].flatMap(([address, ports]) => ports.filter((p) => p.proto === 'tcp' && p.state === 'open').map((p) => ({ address, p })));
    // A handful at a time: each recogniser holds a few connections and waits on banners.
    await runPool(
      open.map(({ address, p }) => ({
        key: address,
        run: async () => {
          const id = await identifyTcp(address, p.port, { timeoutMs: Math.min(opts.timeoutMs * 2, 5000), now: now() });
          if (id.recognition) Object.assign(p, id.recognition);
          p.tls = id.tls;
          p.banner = id.banner;
        },
      })),
      { concurrency: 8, ratePerKey: 0, ...(opts.onProgress ? { onDone: (d: number) => opts.onProgress!('identify', d, open.length) } : {}) },
    );
  }
  const vantage: Record<string, string | null> = {};
  for (const a of addresses) vantage[a] = await sourceAddressFor(a);
  const out: ProbedTarget[] = targets.map((t) => ({ address: t.address, hostname: t.hostname, ports: byTarget.get(t.address)! }));
  return { origin: { kind: 'scan' }, startedAt, finishedAt: now().toISOString(), vantage, targets: out };
}
