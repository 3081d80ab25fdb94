import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeIfFlags, parseIfInet6 } from './if-inet6.js';

const fixture = readFileSync(new URL('../../test/fixtures/proc/listeners.if_inet6.txt', import.meta.url), 'utf8');

describe('parseIfInet6 (real /proc/net/if_inet6)', () => {
  it('reads address, index, prefix and scope', () => {
    const { entries, bad } = parseIfInet6(fixture + 'garbage line\n');
    expect(bad).toEqual(['garbage line']);
    expect(entries).toContainEqual({ name: 'lo', index: 1, address: { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' } });
    expect(entries).toContainEqual({ name: 'd0', index: 3, address: { family: 'ipv6', address: '2001:db8::1', prefixLength: 64, scope: 'global' } });
    expect(entries.filter((e) => e.address.scope === 'link')).toHaveLength(2);
  });
  it('decodes IFF_UP and IFF_LOOPBACK', () => {
    expect(decodeIfFlags('0x9\n')).toEqual({ up: true, loopback: true });
    expect(decodeIfFlags('0x1002')).toEqual({ up: false, loopback: false });
    expect(decodeIfFlags('nope')).toBeNull();
  });
});
