import { describe, expect, it } from 'vitest';
import { expandCidr, resolveTargets, TargetError } from './targets.js';

describe('resolveTargets', () => {
  it('addresses, CIDR blocks and names, each address once, never more than asked', async () => {
    const resolve = async (name: string) => (name === 'www.example' ? ['192.0.2.7', '2001:db8::7'] : []);
    const t = await resolveTargets(['192.0.2.0/30', '192.0.2.1', 'www.example', '2001:DB8::7'], 16, resolve);
    expect(t).toEqual([
      { address: '192.0.2.0', hostname: null },
      { address: '192.0.2.1', hostname: null },
      { address: '192.0.2.2', hostname: null },
      { address: '192.0.2.3', hostname: null },
      { address: '192.0.2.7', hostname: 'www.example' },
      { address: '2001:db8::7', hostname: 'www.example' },
    ]);
  });
  it('refuses past the cap before expanding, and bad targets', async () => {
    expect(() => expandCidr('198.18.0.0/15', 256)).toThrow(/131072 addresses, more than --max-targets 256/);
    await expect(resolveTargets(['192.0.2.0/24', '198.51.100.0/24'], 300)).rejects.toThrow(/more than --max-targets 300/);
    await expect(resolveTargets(['192.0.2.1/33'], 10)).rejects.toBeInstanceOf(TargetError);
    await expect(resolveTargets(['exa mple'], 10)).rejects.toThrow(/bad target/);
  });
});
