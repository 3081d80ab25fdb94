import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import type { Snapshot } from '../../model/snapshot.js';
import { analyzeHost, loadHost } from '../../pipeline.js';
import { backendConflict as check } from './backend-conflict.js';

describe('backend-conflict', () => {
  it('nftables accepts 8080, the leftover legacy ruleset drops it (legacy-and-nft)', () => {
    const out = runCheck(check, 'legacy-and-nft');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['backend-conflict:old-box:tcp/8080', 'medium']]);
    expect(out[0]!.title).toBe('HTTP on 8080/tcp: accepted by nftables but dropped by iptables-legacy (ipv4)');
    expect(out[0]!.evidence.decisions!.map((d) => d.rule.backend)).toEqual(['nftables', 'iptables-legacy']);
  });
  it('both backends accepting (FTP, telnet) is no conflict; one backend never conflicts (docker-host)', () => {
    expect(runCheck(check, 'legacy-and-nft').some((f) => f.service?.port === 21)).toBe(false);
    expect(runCheck(check, 'docker-host')).toEqual([]);
  });
  it('needs more than one backend for the family', () => {
    const a = loadAnalysis('legacy-and-nft');
    a.backends.ipv4 = ['nftables'];
    expect(runCheck(check, a)).toEqual([]);
  });
});

describe('backend-conflict: the accept in iptables is the stale side', () => {
  it('names the command that deletes the illusory iptables accept (mixed-backends: iptables-nft accepts 9000, legacy drops it)', () => {
    const snapshot = JSON.parse(readFileSync(new URL('../../../test/fixtures/snapshots/mixed-backends.json', import.meta.url), 'utf8')) as Snapshot;
    const out = runCheck(check, analyzeHost(loadHost(snapshot, 'mixed-backends.json')));
    expect(out.map((f) => f.title)).toEqual(['socat on 9000/tcp: accepted by iptables-nft but dropped by iptables-legacy (ipv4)']);
    expect(out[0]!.remediation.commands[0]).toBe('iptables-nft -t filter -D INPUT -p tcp -m tcp --dport 9000 -j ACCEPT  # if the drop is what you want: the accept never takes effect');
  });
  it('an nftables accept gets no delete command (legacy-and-nft)', () => {
    expect(runCheck(check, 'legacy-and-nft')[0]!.remediation.commands.some((c) => c.includes(' -D '))).toBe(false);
  });
});
