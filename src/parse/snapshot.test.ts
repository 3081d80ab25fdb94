import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { jsonPath, parseSnapshot } from './snapshot.js';
import { SNAPSHOT_SCHEMA } from './snapshot-schema.js';

function sample(): Snapshot {
  return {
    format: 'portcullis-snapshot',
    version: 1,
    collectedAt: '2026-01-31T12:00:00.000Z',
    tool: { name: 'portcullis', version: '0.1.0' },
    host: { hostname: 'h', kernel: '6.1.0' },
    privileges: { uid: 1000, euid: 1000, root: false },
    interfaces: [
      {
        name: 'eth0',
        index: 2,
        up: true,
        loopback: false,
        addresses: [
          { family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global', broadcast: '192.0.2.255' },
          { family: 'ipv6', address: '2001:db8::1', prefixLength: 64, scope: 'global' },
        ],
        linkType: 'ether',
        operState: 'UP',
      },
    ],
    routing: {
      ipv4: {
        routes: [{ table: 'main', type: 'unicast', dst: '0.0.0.0/0', nexthops: [{ dev: 'eth0', gateway: '192.0.2.254' }], metric: null }],
        rules: [{ priority: 0, not: false, from: null, to: null, iif: null, oif: null, undecided: [], action: 'table', table: 'local', goto: null, suppressPrefixLength: null }],
      },
      ipv6: null,
    },
    sockets: [
      { proto: 'tcp', family: 'ipv4', address: '0.0.0.0', port: 22, v6only: null, device: null, uid: 0, inode: 100, process: null },
      { proto: 'udp', family: 'ipv6', address: '::', port: 53, v6only: false, device: 'eth0', uid: 1000, inode: 101, process: { pid: 42, name: 'dnsd', cmdline: ['dnsd', '-f'], user: 'alice' } },
    ],
    firewall: [
      { kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'unavailable', reason: 'permission denied: run as root' },
      { kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: '' },
    ],
    sysctls: { 'net.ipv4.ip_forward': '0', 'net.bridge.bridge-nf-call-iptables': null },
    unreadable: [{ what: 'nft -j list ruleset', reason: 'permission denied: run as root', hint: 'run as root' }],
  };
}

const text = (s: unknown) => JSON.stringify(s, null, 2);

describe('parseSnapshot', () => {
  it('accepts a valid snapshot', () => {
    const r = parseSnapshot(text(sample()), 's.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual(sample());
  });

  it('accepts a snapshot of an older version without routing state', () => {
    const { routing: _r, ...old } = sample();
    const r = parseSnapshot(JSON.stringify(old), 'old.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.routing).toBeUndefined();
  });

  it('a damaged route is located', () => {
    const s = sample() as unknown as { routing: { ipv4: { routes: Array<Record<string, unknown>> } } };
    s.routing.ipv4.routes[0]!['dst'] = 'default';
    const r = parseSnapshot(JSON.stringify(s), 'r.json');
    expect(r.value).toBeNull();
    expect(r.diagnostics[0]!.location?.path).toBe('$.routing.ipv4.routes[0].dst');
  });

  it('accepts a byte order mark', () => {
    expect(parseSnapshot('\uFEFF' + text(sample()), 's.json').value).not.toBeNull();
  });

  it('turns each schema violation into a diagnostic with JSON path, expectation and value', () => {
    const s = sample() as unknown as Record<string, any>;
    s.sockets[1].port = 70000;
    s.sockets[0].address = '::1';
    s.sysctls['net.ipv4.ip_forward'] = 1;
    delete s.host.kernel;
    s.extra = true;
    const r = parseSnapshot(text(s), 's.json');
    expect(r.value).toBeNull();
    const byPath = Object.fromEntries(r.diagnostics.map((d) => [d.location?.path, d]));
    expect(Object.keys(byPath).sort()).toEqual(['$.extra', '$.host.kernel', '$.sockets[0].address', '$.sockets[1].port', '$.sysctls["net.ipv4.ip_forward"]']);
    expect(byPath['$.sockets[1].port']).toMatchObject({ code: 'parse.snapshot.schema', severity: 'error', expected: 'a number <= 65535', input: '70000', location: { file: 's.json' } });
    expect(byPath['$.sockets[0].address']).toMatchObject({ expected: expect.stringContaining('IPv4 address'), input: '"::1"' });
    expect(byPath['$.host.kernel']).toMatchObject({ message: 'missing property', expected: 'property "kernel"' });
    expect(byPath['$.extra']).toMatchObject({ message: 'unknown property', expected: expect.stringContaining('"format"') });
    expect(byPath['$.sysctls["net.ipv4.ip_forward"]']).toMatchObject({ expected: 'string or null', input: '1' });
  });

  it('a firewall source that failed must say why and carry no content', () => {
    const s = sample() as unknown as Record<string, any>;
    s.firewall[0] = { kind: 'nft-json', backend: null, command: ['nft'], status: 'error', content: 'x' };
    const paths = parseSnapshot(text(s), 's').diagnostics.map((d) => d.location?.path);
    expect(paths.sort()).toEqual(['$.firewall[0].content', '$.firewall[0].reason']);
  });

  it('cuts long bad values short', () => {
    const s = sample() as unknown as Record<string, any>;
    s.host.hostname = 'x'.repeat(5000) as unknown as string;
    s.host.kernel = 7;
    const d = parseSnapshot(text(s), 's').diagnostics;
    expect(d).toHaveLength(1);
    s.host.kernel = ['y'.repeat(5000)];
    expect(parseSnapshot(text(s), 's').diagnostics[0]!.input!.length).toBeLessThanOrEqual(120);
  });

  it('invalid JSON → line and column', () => {
    const r = parseSnapshot('{\n  "format": "portcullis-snapshot",\n  "version": 1,,\n}', 'bad.json');
    expect(r.value).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'parse.snapshot.json', severity: 'error', location: { file: 'bad.json', line: 3 } });
    expect(r.diagnostics[0]!.message).toContain('column 16');
  });

  it('another format says what this Portcullis reads', () => {
    const r = parseSnapshot('{"nftables": []}', 'nft.json');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'parse.snapshot.format', location: { path: '$.format' } });
    expect(r.diagnostics[0]!.message).toContain('reads "portcullis-snapshot" version 1');
    expect(parseSnapshot('[1]', 'f').diagnostics[0]!.message).toContain('an array');
  });

  it('a newer version says which versions this Portcullis reads', () => {
    const r = parseSnapshot(text({ ...sample(), version: 3, newField: 1 }), 'new.json');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'parse.snapshot.version', location: { path: '$.version' }, expected: '1', input: '3' });
    expect(r.diagnostics[0]!.message).toMatch(/newer.*version 1/);
  });

  it('caps the number of diagnostics', () => {
    const s = sample() as unknown as Record<string, any>;
    s.sockets = Array.from({ length: 100 }, () => ({ proto: 'sctp' }));
    const d = parseSnapshot(text(s), 's').diagnostics;
    expect(d).toHaveLength(51);
    expect(d[50]!.message).toMatch(/more schema violations/);
  });

  it('never throws; null value iff an error diagnostic (fuzz)', () => {
    const check = (t: string) => {
      const r = parseSnapshot(t, 'f');
      expect(r.value === null).toBe(r.diagnostics.some((d) => d.severity === 'error'));
    };
    fc.assert(fc.property(fc.string(), check));
    fc.assert(fc.property(fc.json(), check));
    // Mutate one field of a valid snapshot to anything.
    const base = sample() as unknown as Record<string, unknown>;
    fc.assert(fc.property(fc.constantFrom(...Object.keys(base)), fc.jsonValue(), (key, v) => check(JSON.stringify({ ...base, [key]: v }))));
  });
});

describe('jsonPath', () => {
  it('uses dots for identifiers and brackets otherwise', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['sockets', '3', 'port'])).toBe('$.sockets[3].port');
    expect(jsonPath(['sysctls', 'net.ipv4.ip_forward'])).toBe('$.sysctls["net.ipv4.ip_forward"]');
  });
});

describe('schemas/snapshot.schema.json', () => {
  it('is the schema the parser uses (regenerate it from src/parse/snapshot-schema.ts if this fails)', () => {
    const file = JSON.parse(readFileSync(new URL('../../schemas/snapshot.schema.json', import.meta.url), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(SNAPSHOT_SCHEMA)));
  });
  it('names every property of the model (keys of a full sample)', () => {
    const s = sample();
    expect(Object.keys(SNAPSHOT_SCHEMA.properties).sort()).toEqual(Object.keys(s).sort());
    expect(Object.keys(SNAPSHOT_SCHEMA.definitions.socket.properties).sort()).toEqual(Object.keys(s.sockets![0]!).sort());
    expect(Object.keys(SNAPSHOT_SCHEMA.definitions.netInterface.properties).sort()).toEqual(Object.keys(s.interfaces![0]!).sort());
    expect(Object.keys(SNAPSHOT_SCHEMA.definitions.route.properties).sort()).toEqual(Object.keys(s.routing!.ipv4!.routes[0]!).sort());
    expect(Object.keys(SNAPSHOT_SCHEMA.definitions.policyRule.properties).sort()).toEqual(Object.keys(s.routing!.ipv4!.rules[0]!).sort());
    expect(Object.keys(SNAPSHOT_SCHEMA.definitions.processOrNull.properties).sort()).toEqual(Object.keys(s.sockets![1]!.process!).sort());
  });
});
