import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS, staleNamespaces } from './stale-namespaces.js';

describe('staleNamespaces', () => {
  const now = Date.UTC(2026, 11, 2, 12);
  const old = now - STALE_AFTER_MS - 1;

  it('picks only empty, old namespaces with the tests\' prefix', () => {
    const picked = staleNamespaces([
      { name: 'pc-k-a1b2c3-s', createdMs: old, pids: 0 },
      { name: 'pc-k-d4e5f6-s', createdMs: old, pids: 2 },
      { name: 'pc-k-young-s', createdMs: now - 60_000, pids: 0 },
      { name: 'customer-ns', createdMs: old, pids: 0 },
    ], now);
    expect(picked).toEqual(['pc-k-a1b2c3-s']);
  });

  it('keeps a namespace exactly at the age limit', () => {
    expect(staleNamespaces([{ name: 'pc-x', createdMs: now - STALE_AFTER_MS, pids: 0 }], now)).toEqual([]);
  });
});
