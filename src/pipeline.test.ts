import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from './model/snapshot.js';
import type { Chain } from './model/ruleset.js';
import { LazyChains } from './parse/nft-json/index.js';
import { type LoadedHost, analyzeHost, explainFlow, loadHost, unloweredNftChains } from './pipeline.js';
import { isSetAside, parseSnapshotBytes } from './parse/snapshot-bytes/index.js';
import { SET_ASIDE_MIN } from './parse/snapshot-bytes/set-aside.js';

const FIXTURE = new URL('../test/fixtures/snapshots/mixed-backends.json', import.meta.url);

/** The mixed-backends host (iptables-nft, iptables-legacy and their nft copy) with its nft dump replaced. */
function withNft(edit: (json: string) => string): Snapshot {
  const s = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Snapshot;
  const nft = s.firewall.find((f) => f.kind === 'nft-json')!;
  nft.content = edit(nft.content!);
  return s;
}

const nftStatus = (s: Snapshot) => loadHost(s, 'host.json').sourceStatus.find((x) => x.source.includes('nft -j'))!;

describe('an nft dump holding only iptables-nft tables', () => {
  it('is not parsed a second time, and every answer is the one the full parse gives', () => {
    const skipped = withNft((j) => j);
    // The same dump with the table's keys reordered is not recognised by the text check: parsed in full.
    const parsed = withNft((j) => j.replace('{"family": "ip", "name": "filter", "handle": 1}', '{"name": "filter", "family": "ip", "handle": 1}'));
    expect(nftStatus(skipped)).toMatchObject({ status: 'passed', rules: 0 });
    const a = analyzeHost(loadHost(skipped, 'host.json'));
    const b = analyzeHost(loadHost(parsed, 'host.json'));
    expect(a.services).toEqual(b.services);
    expect(a.shadowedRules).toEqual(b.shadowedRules);
    expect(a.services.length).toBeGreaterThan(0);
  });

  it('cut short, still goes to the parser and is reported where it ends', () => {
    const host = loadHost(withNft((j) => j.slice(0, j.length - 40)), 'host.json');
    expect(host.diagnostics.map((d) => d.code)).toContain('parse.nft-json.truncated');
  });

  it('with a native table beside them, is parsed and its rules are read', () => {
    const host = loadHost(withNft((j) => j.replace(/\]\}\s*$/, ', {"table": {"family": "inet", "name": "extra", "handle": 9}}, {"chain": {"family": "inet", "table": "extra", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}, {"rule": {"family": "inet", "table": "extra", "chain": "input", "handle": 2, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 7000}}, {"drop": null}]}}]}')), 'host.json');
    // An inet rule is lowered into both families: counted twice.
    expect(host.sourceStatus.find((x) => x.source.includes('nft -j'))).toMatchObject({ status: 'passed', rules: 2 });
  });
});

describe('a snapshot read from its bytes', () => {
  // Spaces make the nft dump long enough to be set aside; they change no answer.
  const padded = (edit: (json: string) => string = (j) => j) => withNft((j) => edit(j.replace('{"nftables": [', `{"nftables": [${' '.repeat(SET_ASIDE_MIN)}`)));
  const fromBytes = (s: Snapshot) => parseSnapshotBytes(Buffer.from(JSON.stringify(s, null, 2)), 'host.json').value!;
  const flow = { from: '192.0.2.77', to: '', port: 22, proto: 'tcp' as const };

  it('does not decode an nft dump of only iptables-nft tables, and answers as from the text', () => {
    const snapshot = fromBytes(padded());
    const nft = snapshot.firewall.find((f) => f.kind === 'nft-json')!;
    const host = loadHost(snapshot, 'host.json', {}, { readAllChains: false });
    expect(isSetAside(nft)).toBe(true);
    const text = loadHost(padded(), 'host.json', {}, { readAllChains: false });
    expect(host.sourceStatus).toEqual(text.sourceStatus);
    expect(host.diagnostics).toEqual(text.diagnostics);
    expect(explainFlow(host, flow)).toEqual(explainFlow(text, flow));
    expect(analyzeHost(loadHost(fromBytes(padded()), 'host.json'))).toEqual(analyzeHost(loadHost(padded(), 'host.json')));
  });

  it('decodes and parses an nft dump with a table of its own', () => {
    const edit = (j: string) => j.replace(/\]\}\s*$/, ', {"table": {"family": "inet", "name": "extra", "handle": 9}}]}');
    const snapshot = fromBytes(padded(edit));
    const host = loadHost(snapshot, 'host.json');
    expect(isSetAside(snapshot.firewall.find((f) => f.kind === 'nft-json')!)).toBe(false);
    expect(host.sourceStatus).toEqual(loadHost(padded(edit), 'host.json').sourceStatus);
  });
});

describe('a snapshot whose collect left the nft copy of iptables-nft tables out (issue 8)', () => {
  /** The mixed-backends host as collect now writes it: no nft dump, `filter` left out. */
  function leftOut(): Snapshot {
    const s = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Snapshot;
    s.firewall = s.firewall.filter((f) => f.kind !== 'nft-json');
    s.firewall.find((f) => f.command[0] === 'iptables-nft-save')!.nftTablesLeftOut = ['filter'];
    return s;
  }

  it('answers as the snapshot with the copy, and says once where those tables were read', () => {
    const before = analyzeHost(loadHost(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Snapshot, 'host.json'));
    const after = analyzeHost(loadHost(leftOut(), 'host.json'));
    // The sources moved up by one (no nft dump): the same rules, another index in their origin.
    const unindexed = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/#firewall\[\d+\]/g, '#firewall'));
    expect(unindexed(after.services)).toEqual(unindexed(before.services));
    expect(after.services.length).toBeGreaterThan(0);
    expect(after.diagnostics.filter((d) => d.code.startsWith('collect.nft-tables'))).toEqual([
      { code: 'collect.nft-tables-left-out', severity: 'info', message: 'nftables tables ip filter are read from iptables-nft-save only: collect did not list their nft copy' },
    ]);
  });

  it('warns when no dump read holds a table left out (replaced by --iptables)', () => {
    const host = loadHost(leftOut(), 'host.json', { iptables: { text: '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n', file: 'nat.rules' } });
    expect(host.diagnostics.filter((d) => d.code.startsWith('collect.nft-tables')).map((d) => [d.code, d.severity])).toEqual([['collect.nft-tables-missing', 'warning']]);
    expect(host.diagnostics.find((d) => d.code === 'collect.nft-tables-missing')!.message).toContain('ip filter are missing from this analysis');
  });
});

describe('unloweredNftChains', () => {
  /** A host with one lazy chain map per family, for the count alone. */
  function host(ipv4: LazyChains, ipv6: LazyChains): LoadedHost {
    return { models: { ipv4: { family: 'ipv4', chains: ipv4, baseChains: [] }, ipv6: { family: 'ipv6', chains: ipv6, baseChains: [] } } } as unknown as LoadedHost;
  }
  const chain = (id: string) => ({ id }) as Chain;
  /** The count by its definition: chains (ids less the family) pending in a family and lowered in none. */
  function bruteForce(maps: LazyChains[], registered: string[][], lowered: Set<string>[]): number {
    const key = (id: string) => id.replace(/^nftables\/ipv[46]\//, '');
    const pending = new Set<string>();
    const done = new Set<string>();
    maps.forEach((_, f) => {
      for (const id of registered[f]!) (lowered[f]!.has(id) ? done : pending).add(key(id));
    });
    return [...pending].filter((k) => !done.has(k)).length;
  }

  it('counts each chain once over both families, as lowered in neither', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 50; round++) {
      const maps = [new LazyChains(), new LazyChains()];
      const registered: string[][] = [[], []];
      // inet tables in both families, ip and ip6 tables in one each; names with slashes too.
      for (let k = 0; k < 40; k++) {
        const where = next();
        const name = `c${k}${k % 7 === 0 ? '/x' : ''}`;
        const fams = where < 0.4 ? [0, 1] : where < 0.8 ? [0] : [1];
        for (const f of fams) {
          const id = `nftables/${f === 0 ? 'ipv4' : 'ipv6'}/${fams.length === 2 ? 'inet filter' : f === 0 ? 'ip t' : 'ip6 t'}/${name}`;
          maps[f]!.later(id, () => chain(id));
          registered[f]!.push(id);
        }
      }
      const lowered = [new Set<string>(), new Set<string>()];
      registered.forEach((ids, f) => {
        for (const id of ids) if (next() < 0.3) (maps[f]!.get(id), lowered[f]!.add(id));
      });
      expect(unloweredNftChains(host(maps[0]!, maps[1]!))).toBe(bruteForce(maps, registered, lowered));
    }
  });
});
