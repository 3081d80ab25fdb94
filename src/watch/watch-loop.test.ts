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
import type { RoundHost } from './audit-round.js';
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

  it('a fleet: the baseline is per host, a host that fails keeps its last good round, events name the host', async () => {
    const host = (name: string, ports: number[]): RoundHost => ({ label: name, snapshot: snapshotOf(ports.map((p) => sock('tcp', '0.0.0.0', p)), { host: { hostname: name, kernel: null } }) });
    const down = (name: string): RoundHost => ({ label: name, error: `timeout: no answer from ${name}` });
    const rounds: RoundHost[][] = [
      // web2 is down at the baseline: its first answer (round 1) is its own baseline, not two new listeners.
      [host('web1', [22]), down('web2')],
      [host('web1', [22]), host('web2', [22, 80])],
      // web1 misses round 2: judged by round 1, so 8080 on web2 is the only event; web1 is not "gone" then "new" again.
      [down('web1'), host('web2', [22, 80, 8080])],
      [host('web1', [22, 3306]), host('web2', [22, 80, 8080])],
      // Nobody answers: no round at all, the last one stays the reference.
      [down('web1'), down('web2')],
      [host('web1', [22, 3306]), host('web2', [22, 80, 8080, 9000])],
    ];
    const seen: WatchRound[] = [];
    const events: WatchEvent[] = [];
    const failures: RoundFailure[] = [];
    await runWatchLoop({
      collectRound: async () => rounds.shift()!,
      triggers: triggersOf(['interval', 'interval', 'interval', 'interval', 'interval']),
      policy: null,
      failOn: 'none',
      toolVersion: 'test',
      onRound: (r) => void seen.push(r),
      onEvent: (e) => void events.push(e),
      onFailure: (f) => void failures.push(f),
    });
    expect(seen.map((r) => [r.round, r.hosts.map((h) => h.label), r.carried, r.report.hosts.map((h) => h.name)])).toEqual([
      [0, ['web1'], [], ['web1']],
      [1, ['web1', 'web2'], [], ['web1', 'web2']],
      [2, ['web2'], ['web1'], ['web1', 'web2']],
      [3, ['web1', 'web2'], [], ['web1', 'web2']],
      [4, ['web1', 'web2'], [], ['web1', 'web2']],
    ]);
    // Each outage is one host-down and one host-up, in the order the hosts were seen.
    expect(events.map((e) => [e.round, e.host, e.event, 'port' in e ? e.port : 'judgedBy' in e ? e.judgedBy : 'downSince' in e ? e.downSince : null])).toEqual([
      [0, 'web2', 'host-down', 'nothing-yet'],
      [1, 'web2', 'host-up', 0],
      [2, 'web1', 'host-down', 'last-good-round'],
      [2, 'web2', 'new-listener', 8080],
      [3, 'web1', 'host-up', 2],
      [3, 'web1', 'new-listener', 3306],
      [4, 'web1', 'host-down', 'last-good-round'],
      [4, 'web2', 'host-down', 'last-good-round'],
      [4, 'web1', 'host-up', 4],
      [4, 'web2', 'host-up', 4],
      [4, 'web2', 'new-listener', 9000],
    ]);
    expect(events[0]).toMatchObject({ trigger: 'baseline', phase: 'collect', reason: 'timeout: no answer from web2' });
    expect(failures).toEqual([
      { round: 0, phase: 'collect', host: 'web2', hasReference: false, downSince: 0, reason: 'timeout: no answer from web2' },
      { round: 2, phase: 'collect', host: 'web1', hasReference: true, downSince: 2, reason: 'timeout: no answer from web1' },
      { round: 4, phase: 'collect', host: 'web1', hasReference: true, downSince: 4, reason: 'timeout: no answer from web1' },
      { round: 4, phase: 'collect', host: 'web2', hasReference: true, downSince: 4, reason: 'timeout: no answer from web2' },
    ]);
  });

  it('a fleet host whose dump cannot be analysed is reported with the errors and judged by its last good round', async () => {
    const good = snapshotOf([sock('tcp', '0.0.0.0', 22)], { host: { hostname: 'db1', kernel: null } });
    const damaged: typeof good = { ...good, sockets: [sock('tcp', '0.0.0.0', 22), sock('tcp', '0.0.0.0', 5432)], firewall: [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: '{"nftables": [' }] };
    const rounds: RoundHost[][] = [
      [{ label: 'db1', snapshot: good }, { label: 'db2', snapshot: { ...good, host: { hostname: 'db2', kernel: null } } }],
      [{ label: 'db1', snapshot: damaged }, { label: 'db2', snapshot: { ...good, host: { hostname: 'db2', kernel: null } } }],
    ];
    const failures: RoundFailure[] = [];
    const seen: WatchRound[] = [];
    const events: WatchEvent[] = [];
    await runWatchLoop({
      collectRound: async () => rounds.shift()!,
      triggers: triggersOf(['interval']),
      policy: null,
      failOn: 'none',
      toolVersion: 'test',
      onRound: (r) => void seen.push(r),
      onEvent: (e) => void events.push(e),
      onFailure: (f) => void failures.push(f),
    });
    expect(failures).toEqual([expect.objectContaining({ round: 1, phase: 'analyze', host: 'db1', hasReference: true, reason: 'cannot analyse db1', diagnostics: [expect.objectContaining({ severity: 'error' })] })]);
    expect(seen.map((r) => r.carried)).toEqual([[], ['db1']]);
    // db1's 5432 came in the damaged round only: it is not taken as seen (no event), and not lost either.
    expect(events).toEqual([expect.objectContaining({ event: 'host-down', host: 'db1', round: 1, phase: 'analyze', judgedBy: 'last-good-round' })]);
  });
});
