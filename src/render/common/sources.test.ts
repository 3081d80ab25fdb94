import { describe, expect, it } from 'vitest';
import { summarizeCidrs, summarizeSources } from './sources.js';

describe('summarizeCidrs', () => {
  it('shows one prefix as is, two when they fit, more as a count', () => {
    expect(summarizeCidrs(['0.0.0.0/0'])).toBe('0.0.0.0/0');
    expect(summarizeCidrs(['0.0.0.0/0', '::/0'])).toBe('0.0.0.0/0, ::/0');
    expect(summarizeCidrs(['198.51.100.0/24', '203.0.113.0/25', '192.0.2.10/32'], 36)).toBe('3 prefixes (198.51.100.0/24, …)');
    expect(summarizeCidrs(['198.51.100.0/24', '203.0.113.0/25', '192.0.2.10/32'], 80)).toBe('3 prefixes (198.51.100.0/24, 203.0.113.0/25, 192.0.2.10/32)');
    expect(summarizeCidrs([])).toBe('none');
  });

  it('shows at least one prefix even when the budget is tiny', () => {
    expect(summarizeCidrs(['198.51.100.0/24', '203.0.113.0/25'], 5)).toBe('2 prefixes (198.51.100.0/24, …)');
  });
});

describe('summarizeSources', () => {
  it('joins both families', () => {
    expect(summarizeSources({ ipv4: ['10.0.0.0/8'], ipv6: ['fd00::/8'] })).toBe('10.0.0.0/8, fd00::/8');
  });
});
