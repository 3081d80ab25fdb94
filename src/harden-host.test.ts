import { describe, expect, it } from 'vitest';
import { hostAfter } from './harden-host.js';
import type { FirewallSource, Snapshot } from './model/snapshot.js';

const table = (family: string, name: string) => ({ table: { family, name, handle: 1 } });
const nft = (command: string[], ...entries: unknown[]): FirewallSource => ({ kind: 'nft-json', backend: null, command, status: 'ok', content: JSON.stringify({ nftables: entries }) });
const snapshot = (firewall: FirewallSource[]) => ({ firewall }) as unknown as Snapshot;
const tablesOf = (s: FirewallSource) => (JSON.parse(s.content!) as { nftables: Array<{ table?: { name: string } }> }).nftables.map((e) => e.table?.name);

describe('hostAfter with nft tables listed one by one (collect beside iptables-nft)', () => {
  it('takes the old inet portcullis out of the dump that holds it and puts the new one in the first', () => {
    const before = snapshot([
      nft(['nft', '-j', 'list', 'table', 'inet', 'fw'], table('inet', 'fw')),
      nft(['nft', '-j', 'list', 'table', 'inet', 'portcullis'], table('inet', 'portcullis')),
    ]);
    const after = hostAfter(before, { nftJson: JSON.stringify({ nftables: [{ metainfo: {} }, table('inet', 'portcullis')] }) });
    expect(after.firewall.map(tablesOf)).toEqual([['fw', 'portcullis'], []]);
    // The snapshot itself is left as it was.
    expect(before.firewall.map(tablesOf)).toEqual([['fw'], ['portcullis']]);
  });

  it('no nft dump at all (every table iptables-nft\'s): the new table becomes one', () => {
    const after = hostAfter(snapshot([]), { nftJson: JSON.stringify({ nftables: [table('inet', 'portcullis')] }) });
    expect(after.firewall.map((s) => s.command.join(' '))).toEqual(['nft -j list ruleset']);
  });
});
