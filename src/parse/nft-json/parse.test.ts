import { describe, expect, it } from 'vitest';
import { parseNftJson } from './index.js';

const META = { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } };
const TABLE = { table: { family: 'inet', name: 'filter', handle: 1 } };
const CHAIN = { chain: { family: 'inet', table: 'filter', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } };
const RULE = { rule: { family: 'inet', table: 'filter', chain: 'input', handle: 2, expr: [{ accept: null }] } };
const doc = (...items: unknown[]) => JSON.stringify({ nftables: items });

describe('parseNftJson', () => {
  it('reads metainfo, tables, chains, rules', () => {
    const { value, diagnostics } = parseNftJson(doc(META, TABLE, CHAIN, { rule: { ...RULE.rule, comment: 'c' } }), 'f.json');
    expect(diagnostics).toEqual([]);
    expect(value.metainfo).toEqual({ version: '1.0.6', releaseName: 'Lester Gooch #5', jsonSchemaVersion: 1 });
    expect(value.tables).toEqual([{ family: 'inet', name: 'filter', handle: 1, path: '$.nftables[1].table' }]);
    expect(value.chains).toEqual([{ family: 'inet', table: 'filter', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop', path: '$.nftables[2].chain' }]);
    expect(value.rules).toEqual([{ family: 'inet', table: 'filter', chain: 'input', handle: 2, expr: [{ accept: null }], comment: 'c', path: '$.nftables[3].rule' }]);
  });

  it('drops rules of undeclared tables and chains with an error each, read whole or deferred alike', () => {
    const other = { table: { family: 'ip', name: 'nat', handle: 3 } };
    const natChain = { chain: { family: 'ip', table: 'nat', name: 'pre', handle: 4 } };
    const r = (family: string, table: string, chain: string) => ({ rule: { ...RULE.rule, family, table, chain } });
    const text = doc(TABLE, other, CHAIN, natChain, r('inet', 'filter', 'input'), r('inet', 'filter', 'nope'), r('ip', 'nat', 'pre'), r('ip', 'nat', 'input'), r('ip', 'filter', 'input'), r('inet', 'filter', 'input'), r('ip', 'nat', 'pre'));
    for (const parsed of [parseNftJson(text, 'f'), parseNftJson(text, 'f', { deferRules: { onLate: () => {} } })]) {
      expect(parsed.value.rules.map((x) => x.path)).toEqual(['$.nftables[4].rule', '$.nftables[6].rule', '$.nftables[9].rule', '$.nftables[10].rule']);
      expect(parsed.diagnostics.map((d) => [d.location?.path, d.message])).toEqual([
        ['$.nftables[5].rule.chain', 'rule refers to chain nope, which table inet filter does not declare'],
        ['$.nftables[7].rule.chain', 'rule refers to chain input, which table ip nat does not declare'],
        ['$.nftables[8].rule.table', 'rule refers to table ip filter, which the dump does not declare'],
      ]);
    }
  });

  it('accepts named priorities and a device list', () => {
    const c = { chain: { ...CHAIN.chain, hook: 'ingress', prio: 'filter + 10', dev: ['eth0', 'eth1'] } };
    const { value, diagnostics } = parseNftJson(doc(TABLE, c), 'f');
    expect(diagnostics).toEqual([]);
    expect(value.chains[0]).toMatchObject({ prio: 'filter + 10', dev: ['eth0', 'eth1'] });
  });

  it('reads sets and maps: flags as string or array, elem wrappers, prefixes, ranges, concatenations, verdict data', () => {
    const set = { set: { family: 'inet', table: 'filter', name: 's', type: ['ipv4_addr', 'inet_service'], flags: 'interval', elem: [{ concat: [{ prefix: { addr: '192.0.2.0', len: 24 } }, { range: [1, 2] }] }, { elem: { val: { concat: ['198.51.100.1', 22] }, timeout: 60, counter: { packets: 0, bytes: 0 } } }] } };
    const map = { map: { family: 'inet', table: 'filter', name: 'm', type: 'ifname', map: 'verdict', flags: ['interval', 'timeout'], elem: [['lo', { accept: null }], [{ elem: { val: 'eth0', timeout: 5 } }, { jump: { target: 'input' } }]] } };
    const { value, diagnostics } = parseNftJson(doc(TABLE, CHAIN, set, map), 'f');
    expect(diagnostics).toEqual([]);
    const [s, m] = value.sets;
    expect(s!.flags).toEqual(['interval']);
    expect(s!.elem.map((e) => e.key)).toEqual([{ concat: [{ prefix: { addr: '192.0.2.0', len: 24 } }, { range: [1, 2] }] }, { concat: ['198.51.100.1', 22] }]);
    expect(s!.elem[1]!.timeout).toBe(60);
    expect(s!.elem[1]!.path).toBe('$.nftables[2].set.elem[1]');
    expect(m!.kind).toBe('map');
    expect(m!.map).toBe('verdict');
    expect(m!.flags).toEqual(['interval', 'timeout']);
    expect(m!.elem.map((e) => [e.key, e.data])).toEqual([['lo', { accept: null }], ['eth0', { jump: { target: 'input' } }]]);
  });

  it('keeps ct helpers, counters, quotas, limits and flowtables as objects', () => {
    const objs = [
      { 'ct helper': { family: 'inet', table: 'filter', name: 'ftp', type: 'ftp', protocol: 'tcp' } },
      { counter: { family: 'inet', table: 'filter', name: 'cnt', packets: 0, bytes: 0 } },
      { quota: { family: 'inet', table: 'filter', name: 'q', bytes: 100 } },
      { limit: { family: 'inet', table: 'filter', name: 'l', rate: 1, per: 'second' } },
      { flowtable: { family: 'inet', table: 'filter', name: 'ft', hook: 'ingress', prio: 0, dev: ['lo'] } },
      { 'ct timeout': { family: 'inet', table: 'filter', name: 't', protocol: 'tcp' } },
    ];
    const { value, diagnostics } = parseNftJson(doc(TABLE, ...objs), 'f');
    expect(diagnostics).toEqual([]);
    expect(value.objects.map((o) => o.kind)).toEqual(['ct helper', 'counter', 'quota', 'limit', 'flowtable', 'ct timeout']);
    expect(value.objects[0]!.path).toBe('$.nftables[1]["ct helper"]');
  });

  it('warns about an unknown schema version and reads on', () => {
    const { value, diagnostics } = parseNftJson(doc({ metainfo: { json_schema_version: 2 } }, TABLE, CHAIN, RULE), 'f');
    expect(diagnostics).toMatchObject([{ code: 'unsupported.nft-json.schema-version', severity: 'warning', location: { file: 'f', path: '$.nftables[0].metainfo.json_schema_version' } }]);
    expect(value.rules).toHaveLength(1);
  });

  it('reports invalid JSON with line and column', () => {
    const { value, diagnostics } = parseNftJson('{"nftables": [\n  {"table": {"family": "ip",, "name": "x"}}\n]}', 'bad.json');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'parse.nft-json.invalid-json', severity: 'error', location: { file: 'bad.json', line: 2 }, expected: 'valid JSON' });
    expect(diagnostics[0]!.message).toContain('line 2, column 29');
    expect(value.tables).toEqual([]);
  });

  it('reports a position even when V8 does not', () => {
    const { diagnostics } = parseNftJson('{"nftables": [\n{"a": tru}]}', 'f');
    expect(diagnostics[0]!.message).toContain('line 2, column 7');
  });

  it('reports a truncated dump', () => {
    const full = doc(META, TABLE, CHAIN, RULE);
    const { diagnostics } = parseNftJson(full.slice(0, full.length - 20), 'cut.json');
    expect(diagnostics).toMatchObject([{ code: 'parse.nft-json.truncated', severity: 'error', location: { file: 'cut.json', line: 1 } }]);
    expect(diagnostics[0]!.message).toContain('cut short');
  });

  it('reports empty input and a document that is not a ruleset', () => {
    expect(parseNftJson('', 'e').diagnostics).toMatchObject([{ severity: 'error', code: 'parse.nft-json.invalid-json' }]);
    expect(parseNftJson('[1,2]', 'e').diagnostics).toMatchObject([{ severity: 'error', location: { path: '$' }, expected: 'an object {"nftables": [ … ]}' }]);
  });

  it('reports a rule referencing a missing table or chain, with its path', () => {
    const orphanTable = { rule: { ...RULE.rule, table: 'nope' } };
    const orphanChain = { rule: { ...RULE.rule, chain: 'nope' } };
    const { value, diagnostics } = parseNftJson(doc(TABLE, CHAIN, orphanTable, orphanChain, RULE), 'f');
    expect(diagnostics.map((d) => [d.severity, d.location?.path])).toEqual([
      ['error', '$.nftables[2].rule.table'],
      ['error', '$.nftables[3].rule.chain'],
    ]);
    expect(diagnostics[1]!.message).toContain('chain nope');
    expect(value.rules.map((r) => r.path)).toEqual(['$.nftables[4].rule']);
  });

  it('reports wrong types with the path and what was expected', () => {
    const items = [
      TABLE,
      { chain: { ...CHAIN.chain, name: 7 } },
      { rule: { ...RULE.rule, expr: {} } },
      { chain: { ...CHAIN.chain, name: 'x', prio: [1] } },
      'stray',
      { table: 5 },
      { set: { family: 'inet', table: 'filter', name: 's' } },
      { map: { family: 'inet', table: 'filter', name: 'm', type: 'ifname', map: 'verdict', elem: ['not-a-pair'] } },
    ];
    const { diagnostics } = parseNftJson(doc(...items), 'f');
    expect(diagnostics.map((d) => [d.location?.path, d.expected])).toEqual([
      ['$.nftables[1].chain.name', 'a string'],
      ['$.nftables[2].rule.expr', 'an array of statements'],
      ['$.nftables[3].chain.prio', 'a number or a named priority such as "filter + 10"'],
      ['$.nftables[4]', 'an object with exactly one key, such as {"table": {…}}'],
      ['$.nftables[5].table', 'an object describing the table'],
      ['$.nftables[6].set.type', 'a set type such as "ipv4_addr"'],
      ['$.nftables[7].map.elem[0]', 'a [key, data] pair'],
    ]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.input !== undefined)).toBe(true);
  });

  it('rejects absurdly deep nesting instead of overflowing the stack later', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `{"nftables":[${JSON.stringify(TABLE)},${JSON.stringify(CHAIN)},{"rule":{"family":"inet","table":"filter","chain":"input","expr":[${deep}]}}]}`;
    const { value, diagnostics } = parseNftJson(text, 'f');
    expect(diagnostics).toMatchObject([{ severity: 'error', location: { path: '$.nftables[2].rule.expr' } }]);
    expect(value.rules).toEqual([]);
  });

  it('warns about unknown ruleset objects without failing', () => {
    const { diagnostics } = parseNftJson(doc(TABLE, { gizmo: { family: 'inet' } }), 'f');
    expect(diagnostics).toMatchObject([{ severity: 'warning', location: { path: '$.nftables[1].gizmo' } }]);
  });
});
