import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import type { Snapshot } from '../../model/snapshot.js';
import { analyzeHost, loadHost } from '../../pipeline.js';
import type { HostAnalysis } from '../types.js';
import { dropsNotLogged as check } from './drops-not-logged.js';

describe('drops-not-logged', () => {
  it('IPv4 drops without a LOG rule (docker-host, legacy-and-nft)', () => {
    const out = runCheck(check, 'docker-host');
    expect(out.map((f) => [f.id, f.severity])).toEqual([['drops-not-logged:docker-1:ipv4', 'low']]);
    expect(out[0]!.evidence.decisions!.map((d) => d.rule.text)).toEqual(['policy DROP']);
    expect(ids(runCheck(check, 'legacy-and-nft'))).toEqual(['drops-not-logged:old-box:ipv4']);
  });
  it('logged drops (ufw-host), nothing dropped (redis-world) or no fact: nothing', () => {
    expect(runCheck(check, 'ufw-host')).toEqual([]);
    expect(runCheck(check, 'redis-world')).toEqual([]);
    const a = loadAnalysis('docker-host');
    delete a.firewall;
    expect(runCheck(check, a)).toEqual([]);
  });
});

/**
 * The bare host (no rules) with one nft table, as `nft -j list ruleset` (nft 1.0.6) printed
 * it after loading harden's input chain: policy drop, the last rule `limit rate 5/second
 * burst 10 packets log prefix "[portcullis drop] "` (nft names the statements "limit, log").
 */
function bareHostWith(lastRule: string): HostAnalysis {
  const s = JSON.parse(readFileSync(new URL('../../../test/fixtures/snapshots/bare-host.json', import.meta.url), 'utf8')) as Snapshot;
  const rule = (handle: number, expr: string) => `{"rule": {"family": "inet", "table": "portcullis", "chain": "input", "handle": ${handle}, "expr": [${expr}]}}`;
  const nft = [
    '{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}',
    '{"table": {"family": "inet", "name": "portcullis", "handle": 1}}',
    '{"chain": {"family": "inet", "table": "portcullis", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}',
    rule(2, '{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}, {"accept": null}'),
    rule(3, '{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}'),
    rule(4, '{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "invalid"}}, {"drop": null}'),
    rule(5, '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}'),
    ...(lastRule ? [rule(8, lastRule)] : []),
  ];
  s.firewall.find((f) => f.kind === 'nft-json')!.content = `{"nftables": [${nft.join(', ')}]}\n`;
  return analyzeHost(loadHost(s, 'bare-host.json'));
}

describe('drops-not-logged on nft rules lowered from `nft -j`', () => {
  it('harden\'s rate-limited log before the drop policy counts as logging (both families)', () => {
    const a = bareHostWith('{"limit": {"rate": 5, "burst": 10, "per": "second"}}, {"log": {"prefix": "[portcullis drop] "}}');
    expect(a.firewall?.inputDropsLogged).toEqual({ ipv4: true, ipv6: true });
    expect(runCheck(check, a)).toEqual([]);
  });
  it('a counter and a log in one rule count too; a counter alone does not', () => {
    expect(runCheck(check, bareHostWith('{"counter": {"packets": 0, "bytes": 0}}, {"log": null}'))).toEqual([]);
    expect(ids(runCheck(check, bareHostWith('{"counter": {"packets": 0, "bytes": 0}}')))).toEqual(['drops-not-logged:bare-host:ipv4', 'drops-not-logged:bare-host:ipv6']);
  });
  it('no log rule at all: both families reported', () => {
    expect(ids(runCheck(check, bareHostWith('')))).toEqual(['drops-not-logged:bare-host:ipv4', 'drops-not-logged:bare-host:ipv6']);
  });
});
