import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../model/snapshot.js';
import { analyzeHost, loadHost } from '../../pipeline.js';
import { overriddenAccepts } from './overridden-accepts.js';

/** The mixed-backends host: iptables-nft accepts 9000 and 9001, iptables-legacy drops 9000. */
const after = analyzeHost(loadHost(JSON.parse(readFileSync(new URL('../../../test/fixtures/snapshots/mixed-backends.json', import.meta.url), 'utf8')) as Snapshot, 'mixed-backends.json'));

describe('overriddenAccepts', () => {
  it('names the accept of another backend that "our" drop overrides, with its delete command', () => {
    const out = overriddenAccepts(after, (r) => r.backend === 'iptables-legacy');
    expect(out.map((o) => [o.rule.backend, o.rule.text, o.services, o.remove])).toEqual([
      ['iptables-nft', '-A INPUT -p tcp -m tcp --dport 9000 -j ACCEPT', ['9000/tcp'], 'iptables-nft -t filter -D INPUT -p tcp -m tcp --dport 9000 -j ACCEPT'],
    ]);
  });
  it('nothing when our rules drop nothing the others accept', () => {
    expect(overriddenAccepts(after, (r) => r.backend === 'iptables-nft')).toEqual([]);
    expect(overriddenAccepts(after, (r) => r.backend === 'nftables')).toEqual([]);
  });
});
