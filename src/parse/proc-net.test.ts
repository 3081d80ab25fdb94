import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProcNetAddress, parseProcNet, parseProcNetListeners } from './proc-net.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/proc/${name}`, import.meta.url), 'utf8');
const brief = (list: { address: string; port: number }[]) => list.map((s) => `${s.address}:${s.port}`);

describe('decodeProcNetAddress', () => {
  it('reverses the bytes of each 32-bit word (little-endian host)', () => {
    expect(decodeProcNetAddress('0100007F', 'ipv4')).toBe('127.0.0.1');
    expect(decodeProcNetAddress('010200C0', 'ipv4')).toBe('192.0.2.1');
    expect(decodeProcNetAddress('B80D0120000000000000000001000000', 'ipv6')).toBe('2001:db8::1');
    expect(decodeProcNetAddress('0000000000000000FFFF0000010200C0', 'ipv6')).toBe('::ffff:192.0.2.1');
    expect(decodeProcNetAddress('00000000000000000000000001000000', 'ipv6')).toBe('::1');
  });
  it('rejects wrong lengths and non-hex', () => {
    expect(decodeProcNetAddress('0100007', 'ipv4')).toBeNull();
    expect(decodeProcNetAddress('0100007F', 'ipv6')).toBeNull();
    expect(decodeProcNetAddress('0100007G', 'ipv4')).toBeNull();
  });
});

describe('parseProcNetListeners on real tables (test/fixtures/proc/listeners.*)', () => {
  it('tcp: LISTEN only, not the established pair', () => {
    const r = parseProcNetListeners(fixture('listeners.tcp.txt'), 'tcp', 'tcp', 'ipv4');
    expect(r.diagnostics).toEqual([]);
    expect(brief(r.value).sort()).toEqual(['0.0.0.0:3333', '127.0.0.1:6666']);
    expect(r.value.find((s) => s.port === 3333)).toEqual({ proto: 'tcp', family: 'ipv4', address: '0.0.0.0', port: 3333, state: 0x0a, uid: 0, inode: 15627 });
  });
  it('all rows are parsed when asked, with their state', () => {
    const r = parseProcNet(fixture('listeners.tcp.txt'), 'tcp', 'tcp', 'ipv4');
    expect(r.value.map((s) => s.state)).toEqual([0x0a, 0x0a, 0x01, 0x01]);
  });
  it('tcp6: wildcard, global and v4-mapped listeners', () => {
    const r = parseProcNetListeners(fixture('listeners.tcp6.txt'), 'tcp6', 'tcp', 'ipv6');
    expect(r.diagnostics).toEqual([]);
    expect(brief(r.value).sort()).toEqual(['2001:db8::1:7777', ':::1111', ':::2222', '::ffff:192.0.2.1:1234']);
  });
  it('udp: bound unconnected sockets only (the connected one, state 01, is not a listener)', () => {
    const r = parseProcNetListeners(fixture('listeners.udp.txt'), 'udp', 'udp', 'ipv4');
    expect(brief(r.value)).toEqual(['192.0.2.1:8888']);
  });
  it('udp6: with the longer header (ref pointer drops)', () => {
    const r = parseProcNetListeners(fixture('listeners.udp6.txt'), 'udp6', 'udp', 'ipv6');
    expect(r.diagnostics).toEqual([]);
    expect(brief(r.value).sort()).toEqual(['::1:9999', ':::4444', ':::5555']);
  });
});

describe('parseProcNet bad input', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  it('reports a damaged row with its line and goes on', () => {
    const text = header + '   0: 0100007F:1A0A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42 1\n   1: garbage\n';
    const r = parseProcNet(text, '/proc/net/tcp', 'tcp', 'ipv4');
    expect(r.value).toHaveLength(1);
    expect(r.value[0]).toMatchObject({ uid: 1000, inode: 42, port: 6666 });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'parse.proc-net.row', severity: 'error', location: { file: '/proc/net/tcp', line: 3 }, input: '1: garbage' });
  });
  it('an IPv6 address in the IPv4 table is an error', () => {
    const r = parseProcNet(header + '   0: 00000000000000000000000000000000:0457 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n', 'f', 'tcp', 'ipv4');
    expect(r.value).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['parse.proc-net.row']);
  });
  it('warns when the header is missing', () => {
    const r = parseProcNet('hello\n', 'f', 'udp', 'ipv4');
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['parse.proc-net.header', 'parse.proc-net.row']);
  });
  it('empty text is no sockets and no diagnostics', () => {
    expect(parseProcNet('', 'f', 'tcp', 'ipv4')).toEqual({ value: [], diagnostics: [] });
  });
  it('never throws, and every non-blank row is either a socket or a diagnostic (fuzz)', () => {
    const row = fc
      .tuple(fc.nat(9999), fc.stringMatching(/^[0-9A-F]{8}$/), fc.integer({ min: 0, max: 65535 }), fc.constantFrom('0A', '07', '01'), fc.nat(70000), fc.nat(1e9))
      .map(([sl, a, p, st, uid, ino]) => `${sl}: ${a}:${p.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000 ${uid} 0 ${ino} 1`);
    fc.assert(
      fc.property(fc.array(fc.oneof(row, fc.string()), { maxLength: 8 }), (rows) => {
        const text = header + rows.join('\n');
        const r = parseProcNet(text, 'f', 'tcp', 'ipv4');
        const nonBlank = rows.join('\n').split('\n').filter((l) => l.trim() !== '').length;
        expect(r.value.length + r.diagnostics.filter((d) => d.code === 'parse.proc-net.row').length).toBe(nonBlank);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseProcNetListeners(s, 'f', 'udp', 'ipv6')));
  });
});
