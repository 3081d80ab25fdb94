/**
 * The watch loop with its edges passed in, as SSH collection and a store will pass theirs:
 * rounds of snapshots (built, no firewall: every listener on a routed address is open to
 * the world), triggers from an array, a sink. Baseline quiet, widenings reported with their
 * trigger and round, a failed round skipped with the previous one kept as the reference,
 * a failing sink reported and not fatal.
 */
import { describe, expect, it } from 'vitest';
import { snapshotOf, sock } from '../../test/helpers/model-builder.js';
import type { WatchEvent } from '../analyze/watch/index.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ChangeSource } from '../model/watch-trigger.js';
import { type RoundFailure, runWatchLoop, type WatchRound } from './watch-loop.js';

async function* triggersOf(list: (ChangeSource | 'interval')[]) {
  for (const trigger of list) yield { trigger, details: [`${trigger}: test`] };
}

describe('runWatchLoop', () => {
  it('baseline first, then one event per widening; a failed round keeps the reference; the sink sees every round', async () => {
    const rounds: (Snapshot | Error)[] = [
      snapshotOf([sock('tcp', '0.0.0.0', 22)]),
      snapshotOf([sock('tcp', '0.0.0.0', 22), sock('tcp', '127.0.0.1', 6379)]),
      new Error('ssh: connect to host web1 port 22: Connection refused'),
      snapshotOf([sock('tcp', '0.0.0.0', 22), sock('tcp', '127.0.0.1', 6379), sock('tcp', '0.0.0.0', 8080)]),
      snapshotOf([sock('tcp', '0.0.0.0', 22)]),
    ];
    const events: WatchEvent[] = [];
    const failures: RoundFailure[] = [];
    const stored: WatchRound[] = [];
    let sinkCalls = 0;
    await runWatchLoop({
      collectRound: async () => {
        const next = rounds.shift()!;
        if (next instanceof Error) throw next;
        return [{ label: 'web1', snapshot: next }];
      },
      triggers: triggersOf(['sockets', 'interval', 'nft-monitor', 'ip-monitor']),
      policy: null,
      failOn: 'none',
      toolVersion: 'test',
      now: () => new Date('2026-12-01T10:00:00Z'),
      sink: async (r) => {
        if (++sinkCalls === 2) throw new Error('database is locked');
        stored.push(r);
      },
      onEvent: (e) => void events.push(e),
      onFailure: (f) => void failures.push(f),
    });
    // The loopback Redis of round 1 is no event; 8080 on every address in round 3 is, compared with round 1.
    expect(events).toEqual([
      expect.objectContaining({ event: 'new-listener', host: 'test-host', proto: 'tcp', port: 8080, exposure: 'world', trigger: 'nft-monitor', round: 2, detectedAt: '2026-12-01T10:00:00.000Z' }),
    ]);
    expect(failures).toEqual([
      { round: 1, phase: 'sink', reason: 'database is locked' },
      { round: 2, phase: 'collect', reason: 'ssh: connect to host web1 port 22: Connection refused' },
    ]);
    expect(stored.map((r) => [r.round, r.trigger, r.events.length])).toEqual([[0, 'baseline', 0], [2, 'nft-monitor', 1], [3, 'ip-monitor', 0]]);
  });

  it('a baseline that fails is taken again at the next trigger', async () => {
    const rounds: (Snapshot | Error)[] = [new Error('timeout'), snapshotOf([sock('tcp', '0.0.0.0', 22)]), snapshotOf([sock('tcp', '0.0.0.0', 22), sock('udp', '0.0.0.0', 161)])];
    const seen: WatchRound[] = [];
    const events: WatchEvent[] = [];
    await runWatchLoop({
      collectRound: async () => {
        const next = rounds.shift()!;
        if (next instanceof Error) throw next;
        return [{ label: 'web1', snapshot: next }];
      },
      triggers: triggersOf(['interval', 'sockets']),
      policy: null,
      failOn: 'none',
      toolVersion: 'test',
      onRound: (r) => void seen.push(r),
      onEvent: (e) => void events.push(e),
      onFailure: () => undefined,
    });
    expect(seen.map((r) => [r.round, r.trigger])).toEqual([[0, 'baseline'], [1, 'sockets']]);
    expect(events.map((e) => [e.event, 'port' in e ? e.port : null, e.trigger])).toEqual([['new-listener', 161, 'sockets']]);
  });
});
