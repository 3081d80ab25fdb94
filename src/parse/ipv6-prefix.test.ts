import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddrSet } from '../model/addr.js';
import { readIpv6Prefix } from './ipv6-prefix.js';

/** What the general parser makes of the text, read the way ipset-save reads an entry. */
function general(text: string, fixed: number | null): unknown {
  const set = parseAddrSet(fixed === null ? text : `${text}/${fixed}`, 'ipv6');
  return set === null || set.length !== 2 ? null : set;
}

describe('readIpv6Prefix', () => {
  it('reads plain spellings as the general parser does', () => {
    const cases = ['::', '::1', '1::', '2001:db8::1', '2001:DB8::1/64', '2001:db8:0:0:0:0:0:1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::/0', '2001:db8::/128', '2001:db8::7/127', '0001:0db8::0001'];
    for (const text of cases) expect(readIpv6Prefix(text, null), text).toEqual(general(text, null));
    expect(readIpv6Prefix('2001:db8::1', 64)).toEqual(general('2001:db8::1', 64));
  });

  it('declines what it does not read (the general parser then decides)', () => {
    for (const text of ['', ':', ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', ':1::', '1::2:', '12345::', 'g::', '::ffff:192.0.2.1', 'fe80::1%eth0', '::1/129', '::1/012', '::1/', '2001:db8::1-2001:db8::9', '192.0.2.1']) {
      expect(readIpv6Prefix(text, null), text).toBeNull();
    }
    expect(readIpv6Prefix('2001:db8::/64', 64)).toBeNull();
    expect(readIpv6Prefix('2001:db8::', 129)).toBeNull();
  });

  it('agrees with the general parser wherever it reads, on random spellings', () => {
    const group = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((v) => v.toString(16)), fc.constantFrom('0', '00', '0000', 'FFFF', 'aBcD', '12345', 'g'));
    const text = fc
      .tuple(fc.array(group, { maxLength: 9 }), fc.option(fc.nat({ max: 9 }), { nil: undefined }), fc.option(fc.constantFrom('/0', '/1', '/64', '/127', '/128', '/129', '/064', '/'), { nil: undefined }))
      .map(([gs, gap, len]) => {
        const parts = gap === undefined ? gs.join(':') : `${gs.slice(0, gap).join(':')}::${gs.slice(gap).join(':')}`;
        return parts + (len ?? '');
      });
    fc.assert(
      fc.property(text, fc.option(fc.integer({ min: -1, max: 130 }), { nil: null }), (t, fixed) => {
        const fast = readIpv6Prefix(t, fixed);
        if (fast !== null) expect(fast, `${t} ${fixed}`).toEqual(general(t, fixed));
        // A plain spelling the general parser reads as one prefix is read here too.
        else if (fixed === null && /^[0-9a-f:]*(\/([1-9]?\d|1[01]\d|12[0-8]))?$/.test(t) && !/[0-9a-f]{5}/.test(t) && general(t, fixed) !== null && !t.includes(':::')) {
          const groups = t.split('/')[0]!;
          // Only shapes outside its grammar (e.g. a lone leading ":") may be declined.
          expect(groups.startsWith(':') && !groups.startsWith('::'), t).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
