/**
 * When watch runs a round: real child processes stand in for the monitors (a shell printing
 * what `nft monitor` prints, a command that does not exist), and /proc/net comes from the
 * fixture tables through the injected readFile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeListenerChange, listenerKeys } from './listener-signature.js';
import { type RoundTriggerBatch, type TriggerOptions, roundTriggers } from './round-triggers.js';

const PROC = join(process.cwd(), 'test/fixtures/proc');
const TCP = readFileSync(join(PROC, 'listeners.tcp.txt'), 'utf8');
const HEADER = TCP.split('\n')[0]!;

/** /proc/net as the fixture has it, with `tcp` replaceable while the poll runs. */
function procNet(): { read: (p: string) => Promise<string>; setTcp: (t: string) => void } {
  let tcp = TCP;
  return {
    read: async (p) => {
      if (p === '/proc/net/tcp') return tcp;
      throw Object.assign(new Error('absent'), { code: 'ENOENT' });
    },
    setTcp: (t) => (tcp = t),
  };
}

async function firstBatch(opts: Omit<TriggerOptions, 'signal'>, act?: () => void): Promise<{ batch: RoundTriggerBatch; ms: number }> {
  const controller = new AbortController();
  const started = Date.now();
  const it = roundTriggers({ ...opts, signal: controller.signal });
  const next = it.next();
  act?.();
  const r = await next;
  controller.abort();
  await it.return(undefined);
  return { batch: r.value as RoundTriggerBatch, ms: Date.now() - started };
}

describe('roundTriggers', () => {
  it('a burst of monitor lines is one round, soon, with what the monitor said', async () => {
    const { batch, ms } = await firstBatch({
      intervalMs: 20_000,
      socketPollMs: 0,
      monitors: [{ source: 'nft-monitor', argv: ['sh', '-c', 'echo "add rule inet filter input tcp dport 8080 accept"; echo "# new generation 7 by process 1 (nft)"; echo "add rule inet filter input tcp dport 8081 accept"; sleep 30'] }],
      notice: () => undefined,
    });
    expect(batch.trigger).toBe('nft-monitor');
    expect(batch.details).toEqual(['nft-monitor: add rule inet filter input tcp dport 8080 accept', 'nft-monitor: add rule inet filter input tcp dport 8081 accept']);
    expect(ms).toBeLessThan(5_000);
  });

  it('a monitor that is not installed is said once; the interval still runs rounds', async () => {
    const notices: string[] = [];
    const { batch, ms } = await firstBatch({ intervalMs: 400, socketPollMs: 0, monitors: [{ source: 'nft-monitor', argv: ['/nonexistent/nft', 'monitor'] }], notice: (t) => notices.push(t) });
    expect(batch).toEqual({ trigger: 'interval', details: [] });
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(notices).toEqual(['nft-monitor unavailable (/nonexistent/nft not installed): its changes are seen at the next interval']);
  });

  it('a monitor that is refused says the tool\'s own words', async () => {
    const notices: string[] = [];
    await firstBatch({ intervalMs: 500, socketPollMs: 0, monitors: [{ source: 'nft-monitor', argv: ['sh', '-c', 'echo "Operation not permitted (you must be root)" >&2; exit 1'] }], notice: (t) => notices.push(t) });
    expect(notices).toEqual([expect.stringMatching(/^nft-monitor unavailable \(sh -c .* ended: Operation not permitted \(you must be root\)\)/)]);
  });

  it('a new listener in /proc/net starts a round at once', async () => {
    const proc = procNet();
    const added = `${TCP.trimEnd()}\n  99: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99999 1 0000000000000000 100 0 0 10 0\n`;
    const { batch, ms } = await firstBatch({ intervalMs: 20_000, socketPollMs: 50, monitors: [], readFile: proc.read, notice: () => undefined }, () => setTimeout(() => proc.setTcp(added), 100));
    expect(batch).toEqual({ trigger: 'sockets', details: ['sockets: +tcp 0.0.0.0:8080'] });
    expect(ms).toBeLessThan(5_000);
  });

  it('ends with the signal, killing the monitors', async () => {
    const controller = new AbortController();
    const it = roundTriggers({ intervalMs: 60_000, socketPollMs: 0, monitors: [{ source: 'ip-monitor', argv: ['sleep', '60'] }], signal: controller.signal, notice: () => undefined });
    const next = it.next();
    setTimeout(() => controller.abort(), 100);
    expect(await next).toEqual({ done: true, value: undefined });
  });
});

describe('listener keys', () => {
  it('reads every listener of the tables and describes what changed', async () => {
    const proc = procNet();
    const before = await listenerKeys(proc.read);
    expect(before.size).toBeGreaterThan(0);
    proc.setTcp(`${HEADER}\n`);
    const after = await listenerKeys(proc.read);
    expect(after.size).toBe(0);
    expect(describeListenerChange(before, after)).toMatch(/^-tcp /);
    expect(describeListenerChange(before, before)).toBeNull();
  });
});
