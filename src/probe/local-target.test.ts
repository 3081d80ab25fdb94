import { describe, expect, it } from 'vitest';
import { isLocalAddress } from './local-target.js';

describe('isLocalAddress (the safety rule)', () => {
  const own = ['192.0.2.1', '2001:db8::1', 'fe80::1'];
  it('loopback and the host\'s own addresses are local', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '192.0.2.1', '2001:db8::1', '2001:db8:0:0::1', '::ffff:127.0.0.1', '::ffff:192.0.2.1']) expect(isLocalAddress(a, own), a).toBe(true);
  });
  it('anything else is not, including neighbours in the same prefix', () => {
    for (const a of ['192.0.2.2', '198.51.100.7', '2001:db8::2', '::ffff:198.51.100.7', 'not-an-address', '']) expect(isLocalAddress(a, own), a).toBe(false);
  });
});
