import { describe, expect, it } from 'vitest';
import type { Socket } from '../model/snapshot.js';
import { compareAddressText, compareSockets } from './sockets.js';

const sign = (n: number) => Math.sign(n);

describe('compareAddressText', () => {
  it('orders IPv4 text as localeCompare does, also where code units and the collator could part', () => {
    const octets = ['0', '1', '9', '10', '100', '127', '19', '2', '25', '255', '99'];
    const addrs: string[] = ['', '1', '1.', '.1'];
    for (const a of octets) for (const b of octets) addrs.push(`${a}.${b}.0.1`, `${b}.0.${a}.255`, `${a}.${b}`);
    for (const a of addrs) for (const b of addrs) expect(sign(compareAddressText(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
  });

  it('keeps the collator for IPv6 text, where it puts ":" before digits unlike code units', () => {
    expect(compareAddressText('2001:db8::1', '2001:db8:0:1::10')).toBeLessThan(0);
    expect('2001:db8::1' < '2001:db8:0:1::10').toBe(false);
    expect(compareAddressText('::ffff:10.0.0.1', '::1')).toBe(sign('::ffff:10.0.0.1'.localeCompare('::1')));
  });
});

describe('compareSockets', () => {
  const sock = (proto: 'tcp' | 'udp', family: 'ipv4' | 'ipv6', port: number, address: string, inode: number): Socket =>
    ({ proto, family, address, port, v6only: null, device: null, uid: 0, inode, process: null });

  it('sorts as the localeCompare order it replaces', () => {
    const list = [
      sock('udp', 'ipv6', 53, '::1', 5), sock('tcp', 'ipv6', 22, '::', 4), sock('tcp', 'ipv4', 22, '192.0.2.10', 3),
      sock('tcp', 'ipv4', 22, '127.0.0.1', 2), sock('udp', 'ipv4', 53, '0.0.0.0', 1), sock('tcp', 'ipv4', 22, '127.0.0.1', 1),
      sock('udp', 'ipv6', 53, '2001:db8::1', 6), sock('udp', 'ipv6', 53, '2001:db8:0:1::10', 7), sock('tcp', 'ipv4', 8080, '10.0.0.1', 8),
    ];
    const byLocale = (a: Socket, b: Socket) =>
      a.proto.localeCompare(b.proto) || a.family.localeCompare(b.family) || a.port - b.port || a.address.localeCompare(b.address) || a.inode - b.inode;
    expect([...list].sort(compareSockets)).toEqual([...list].sort(byLocale));
  });
});
