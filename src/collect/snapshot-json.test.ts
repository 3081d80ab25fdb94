import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { snapshotJsonSource, snapshotToJson } from './snapshot-json.js';

// Keys deliberately out of order, as an object built in another order would be.
const scrambled = {
  unreadable: [{ reason: 'r', hint: 'h', what: 'w' }],
  sysctls: { 'net.ipv6.bindv6only': '0', 'net.ipv4.ip_forward': '1' },
  firewall: [{ status: 'ok', content: '', command: ['x'], backend: null, kind: 'nft-json' }],
  sockets: [{ process: { user: null, cmdline: [], name: 'n', pid: 1 }, inode: 1, uid: 0, device: null, v6only: null, port: 1, address: '0.0.0.0', family: 'ipv4', proto: 'tcp' }],
  interfaces: [{ addresses: [{ scope: 'host', prefixLength: 8, address: '127.0.0.1', family: 'ipv4' }], loopback: true, up: true, index: 1, name: 'lo' }],
  privileges: { root: true, euid: 0, uid: 0 },
  host: { kernel: null, hostname: 'h' },
  tool: { version: '0', name: 'portcullis' },
  collectedAt: '2026-01-31T12:00:00.000Z',
  version: 1,
  format: 'portcullis-snapshot',
} as unknown as Snapshot;

describe('snapshotToJson', () => {
  const text = snapshotToJson(scrambled);
  it('orders keys as the schema declares them, map keys sorted, 2-space indent', () => {
    expect(text.startsWith('{\n  "format": "portcullis-snapshot",\n  "version": 1,\n  "collectedAt"')).toBe(true);
    const o = JSON.parse(text);
    expect(Object.keys(o)).toEqual(['format', 'version', 'collectedAt', 'tool', 'host', 'privileges', 'interfaces', 'sockets', 'firewall', 'sysctls', 'unreadable']);
    expect(Object.keys(o.sockets[0])).toEqual(['proto', 'family', 'address', 'port', 'v6only', 'device', 'uid', 'inode', 'process']);
    expect(Object.keys(o.sockets[0].process)).toEqual(['pid', 'name', 'cmdline', 'user']);
    expect(Object.keys(o.interfaces[0].addresses[0])).toEqual(['family', 'address', 'prefixLength', 'scope']);
    expect(Object.keys(o.firewall[0])).toEqual(['kind', 'backend', 'command', 'status', 'content']);
    expect(Object.keys(o.sysctls)).toEqual(['net.ipv4.ip_forward', 'net.ipv6.bindv6only']);
    expect(Object.keys(o.unreadable[0])).toEqual(['what', 'reason', 'hint']);
    expect(text.endsWith('}\n')).toBe(true);
  });
  it('loses nothing and is stable', () => {
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(scrambled)));
    expect(snapshotToJson(JSON.parse(text))).toBe(text);
  });
});

/** Every piece snapshotJsonSource hands over, in order. */
function snapshotJsonPieces(snapshot: Snapshot): string[] {
  const pieces: string[] = [];
  snapshotJsonSource(snapshot).each((piece) => pieces.push(piece));
  return pieces;
}

describe('snapshotJsonSource', () => {
  const withDump = (content: string, stderr = 'short'): Snapshot =>
    ({ ...scrambled, firewall: [{ status: 'ok', content, stderr, command: ['ipset', 'save'], backend: null, kind: 'ipset-save' }] }) as unknown as Snapshot;
  const joined = (s: Snapshot) => snapshotJsonPieces(s).join('');

  it('is snapshotToJson in one piece when no string is long', () => {
    expect(snapshotJsonPieces(scrambled)).toEqual([snapshotToJson(scrambled)]);
  });

  it('writes a long dump in pieces, each a slice, and joins to the same text', () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `add f2b-sshd 198.51.${i >> 8}.${i & 255} "quoted\\path"\ttab\r`).join('\n');
    const s = withDump(lines, lines.slice(0, 70_000));
    const pieces = snapshotJsonPieces(s);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(6 * 65_536 + 1_000);
    expect(pieces.join('')).toBe(snapshotToJson(s));
  });

  it('keeps a surrogate pair whole where a slice ends, and escapes lone surrogates as JSON.stringify does', () => {
    for (const cut of [65_535, 65_536, 65_537]) {
      const text = 'a'.repeat(cut - 1) + '\u{1F600}' + 'b'.repeat(70_000) + '\ud800x\udc00' + '\u0001\u001f';
      expect(joined(withDump(text))).toBe(snapshotToJson(withDump(text)));
    }
  });

  it('a host string that looks like a placeholder gives the same text (made whole)', () => {
    const tricky = 'x"\u0000portcullis-piece-0\u0000';
    const s = { ...withDump('y'.repeat(70_000)), unreadable: [{ what: tricky, reason: '\u0000portcullis-piece-0\u0000' }] } as unknown as Snapshot;
    expect(joined(s)).toBe(snapshotToJson(s));
    const before = { ...withDump('y'.repeat(70_000)), host: { hostname: '\u0000portcullis-piece-0\u0000', kernel: tricky } } as unknown as Snapshot;
    expect(joined(before)).toBe(snapshotToJson(before));
  });

  it('hands the same pieces over one by one (collect writes each as it comes)', () => {
    const s = withDump('z"\n'.repeat(300_000));
    const kept: string[] = [];
    snapshotJsonSource(s).each((piece) => kept.push(piece));
    expect(kept.length).toBeGreaterThan(10);
    expect(kept).toEqual(snapshotJsonPieces(s));
    expect(kept.join('')).toBe(snapshotToJson(s));
  });
});
