import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../model/snapshot.js';
import { snapshotOf } from '../../../test/helpers/model-builder.js';
import { parseSnapshot } from '../snapshot.js';
import { isSetAside, parseSnapshotBytes, undecodedNftShape } from './index.js';
import { SET_ASIDE_MIN, setAsideContents } from './set-aside.js';

const BIG = SET_ASIDE_MIN + 10;
const iptables = `*filter\n:INPUT ACCEPT [0:0]\n${'-A INPUT -s 192.0.2.7/32 -m comment --comment "a \\"quoted\\" é" -j DROP\n'.repeat(Math.ceil(BIG / 70))}COMMIT\n`;
const nft = JSON.stringify({ nftables: [{ metainfo: { version: '1.0.6' } }, { table: { family: 'ip', name: 'filter', handle: 1 } }, { chain: { family: 'ip', table: 'filter', name: 'INPUT', comment: 'x'.repeat(BIG) } }] });

function snapshot(): Snapshot {
  return snapshotOf([], {
    firewall: [
      { kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: nft },
      { kind: 'iptables-save', backend: 'nft', command: ['iptables-nft-save'], status: 'ok', content: iptables },
      { kind: 'ip6tables-save', backend: 'nft', command: ['ip6tables-nft-save'], status: 'ok', content: '' },
    ],
  });
}

const file = (s: unknown) => Buffer.from(JSON.stringify(s, null, 2) + '\n');

describe('parseSnapshotBytes', () => {
  it('gives the value parseSnapshot gives, its long dumps decoded on first read', () => {
    const bytes = file(snapshot());
    // Read before: the bytes become the snapshot's, its dumps decoded over them.
    const text = bytes.toString('utf8');
    const r = parseSnapshotBytes(bytes, 's.json');
    expect(r.diagnostics).toEqual([]);
    const [n, i, six] = r.value!.firewall;
    expect([isSetAside(n!), isSetAside(i!), isSetAside(six!)]).toEqual([true, true, false]);
    expect(undecodedNftShape(n!)).toEqual({ declared: ['ip filter'], whole: true });
    expect(i!.content).toBe(iptables);
    expect(isSetAside(i!)).toBe(false);
    expect(JSON.stringify(r.value)).toBe(JSON.stringify(parseSnapshot(text, 's.json').value));
    expect(isSetAside(n!)).toBe(false);
    expect(undecodedNftShape(n!)).toBeUndefined();
  });

  it('a dump set aside can be replaced', () => {
    const r = parseSnapshotBytes(file(snapshot()), 's.json');
    const n = r.value!.firewall[0]!;
    n.content = '{}';
    expect(n.content).toBe('{}');
    expect(isSetAside(n)).toBe(false);
  });

  it('a damaged dump gets the diagnostics of the whole parse', () => {
    const text = file(snapshot()).toString('utf8').replace('-j DROP', '-j \\q DROP');
    const r = parseSnapshotBytes(Buffer.from(text), 'bad.json');
    expect(r.value).toBeNull();
    expect(r.diagnostics).toEqual(parseSnapshot(text, 'bad.json').diagnostics);
    expect(r.diagnostics[0]!.code).toBe('parse.snapshot.json');
  });

  it('a schema error is reported as by the whole parse', () => {
    const s = snapshot() as unknown as { firewall: Record<string, unknown>[] };
    s.firewall[1]!['status'] = 'unavailable';
    const text = JSON.stringify(s, null, 2);
    const r = parseSnapshotBytes(Buffer.from(text), 'schema.json');
    expect(r.value).toBeNull();
    expect(r.diagnostics).toEqual(parseSnapshot(text, 'schema.json').diagnostics);
  });

  it('a long content that is not a firewall dump is parsed with the rest', () => {
    const text = file(snapshot()).toString('utf8').replace('"sysctls": {}', `"sysctls": {"x": {"content": "${'y'.repeat(BIG)}"}}`);
    const r = parseSnapshotBytes(Buffer.from(text), 'odd.json');
    expect(r.diagnostics).toEqual(parseSnapshot(text, 'odd.json').diagnostics);
    expect(r.value).toBeNull();
  });

  it('a key repeated keeps the last value, as JSON.parse does', () => {
    const text = file(snapshot()).toString('utf8').replace('"status": "ok",\n      "content": "{', '"status": "ok",\n      "content": "short",\n      "content": "{');
    const r = parseSnapshotBytes(Buffer.from(text), 'dup.json');
    expect(JSON.stringify(r.value)).toBe(JSON.stringify(parseSnapshot(text, 'dup.json').value));
    const again = text.replace('"content": "short",\n      "content": "{', '"content": "{').replace('"status": "ok",\n      "content": "{', '"status": "ok",\n      "content": "{');
    expect(again).toBe(file(snapshot()).toString('utf8'));
  });
});

describe('setAsideContents', () => {
  it('sets aside long strings only, and keeps the rest of the text', () => {
    const text = '{"a": [{"content": "short"}, {"content": "long\\"er"}]}';
    const r = setAsideContents(Buffer.from(text), 'n', 6)!;
    expect(r.aside).toHaveLength(1);
    expect(r.json).toBe(`{"a": [{"content": "short"}, {"content": ${JSON.stringify(r.placeholder(0))}}]}`);
  });

  it('is null when a long string is not valid JSON', () => {
    expect(setAsideContents(Buffer.from('{"content": "long\tstring"}'), 'n', 5)).toBeNull();
  });
});
