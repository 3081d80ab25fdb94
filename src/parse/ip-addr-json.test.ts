import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpAddrJson } from './ip-addr-json.js';

const fixture = readFileSync(new URL('../../test/fixtures/proc/veth-v4-v6.ip-addr.json', import.meta.url), 'utf8');

describe('parseIpAddrJson', () => {
  it('reads a real `ip -j addr show` (netns with lo and a veth pair)', () => {
    const r = parseIpAddrJson(fixture, 'ip-addr.json');
    expect(r.diagnostics).toEqual([]);
    const byName = new Map(r.value!.map((i) => [i.name, i]));
    expect(byName.get('lo')).toEqual({
      name: 'lo',
      index: 1,
      up: true,
      loopback: true,
      addresses: [
        { family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
        { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' },
      ],
      linkType: 'loopback',
      operState: 'UNKNOWN',
    });
    const d0 = byName.get('d0')!;
    expect(d0.up).toBe(true);
    expect(d0.loopback).toBe(false);
    expect(d0.addresses).toContainEqual({ family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global' });
    expect(d0.addresses).toContainEqual({ family: 'ipv6', address: '2001:db8::1', prefixLength: 64, scope: 'global' });
    expect(d0.addresses.some((a) => a.scope === 'link' && a.address.startsWith('fe80::'))).toBe(true);
  });

  it('a down link without addresses', () => {
    const r = parseIpAddrJson('[{"ifindex":7,"ifname":"eth9","flags":["BROADCAST"],"addr_info":[]}]', 'f');
    expect(r.value).toEqual([{ name: 'eth9', index: 7, up: false, loopback: false, addresses: [] }]);
  });

  it('skips the empty objects old iproute2 prints for filtered links', () => {
    expect(parseIpAddrJson('[{},{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"]}]', 'f').value).toHaveLength(1);
  });

  it('not JSON → null and an error', () => {
    const r = parseIpAddrJson('1: lo: <LOOPBACK,UP>', 'ip.txt');
    expect(r.value).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ code: 'parse.ip-addr.json', severity: 'error', location: { file: 'ip.txt' } });
  });

  it('not an array → null and an error at $', () => {
    const r = parseIpAddrJson('{"ifname":"lo"}', 'f');
    expect(r.value).toBeNull();
    expect(r.diagnostics[0]?.location?.path).toBe('$');
  });

  it('reports bad links and addresses by JSON path and keeps the rest', () => {
    const r = parseIpAddrJson(
      JSON.stringify([
        { ifname: 'x' },
        {
          ifindex: 2,
          ifname: 'eth0',
          flags: ['UP'],
          addr_info: [
            { family: 'inet', local: '2001:db8::1', prefixlen: 24 },
            { family: 'inet6', local: '2001:db8::2', prefixlen: 129 },
            { family: 'inet', local: '192.0.2.9', prefixlen: 24, scope: 'global' },
            { family: 'bridge' },
          ],
        },
      ]),
      'f',
    );
    expect(r.value).toEqual([{ name: 'eth0', index: 2, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '192.0.2.9', prefixLength: 24, scope: 'global' }] }]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.path])).toEqual([
      ['parse.ip-addr.shape', 'error', '$[0]'],
      ['parse.ip-addr.address', 'error', '$[1].addr_info[0]'],
      ['parse.ip-addr.address', 'error', '$[1].addr_info[1]'],
      ['unsupported.ip-addr.family', 'warning', '$[1].addr_info[3]'],
    ]);
  });

  it('never throws on any JSON or text (fuzz)', () => {
    fc.assert(fc.property(fc.json(), (j) => void parseIpAddrJson(j, 'f')));
    fc.assert(fc.property(fc.string(), (s) => void parseIpAddrJson(s, 'f')));
    fc.assert(
      fc.property(fc.array(fc.record({ ifindex: fc.anything(), ifname: fc.anything(), flags: fc.anything(), addr_info: fc.anything() }, { requiredKeys: [] })), (links) => {
        const r = parseIpAddrJson(JSON.stringify(links), 'f');
        expect(Array.isArray(r.value)).toBe(true);
      }),
    );
  });
});
