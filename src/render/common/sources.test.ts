import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { omittedNote, summarizeCidrs, summarizeSources } from './sources.js';

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

describe('omittedNote', () => {
  it('counts what a cut list leaves out, in both families, and says nothing of a whole list', () => {
    expect(omittedNote({ ipv4: 59_000, ipv6: 248 })).toBe(' +59,248 more ranges');
    expect(omittedNote({ ipv4: 0, ipv6: 0 })).toBe('');
    expect(omittedNote(undefined)).toBe('');
  });
});

describe('summarizeCidrs against the plain reading of its rules', () => {
  // The definition, written the slow way: join everything, try each prefix count in turn.
  function reference(cidrs: readonly string[], max: number): string {
    if (cidrs.length === 0) return 'none';
    if (cidrs.length === 1) return cidrs[0]!;
    const all = cidrs.join(', ');
    if (cidrs.length === 2 && all.length <= max) return all;
    const head = `${cidrs.length} prefixes (`;
    if (head.length + all.length + 1 <= max) return `${head}${all})`;
    const shown: string[] = [];
    for (const c of cidrs) {
      if (head.length + [...shown, c].join(', ').length + 4 > max && shown.length > 0) break;
      shown.push(c);
    }
    return shown.length === cidrs.length ? `${head}${shown.join(', ')})` : `${head}${shown.join(', ')}, …)`;
  }

  it('gives the same text for any list and budget', () => {
    const cidr = fc.oneof(fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '2001:db8::/32', '192.0.2.10/32'), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 12 }), fc.integer({ min: 0, max: 120 }), (cidrs, max) => summarizeCidrs(cidrs, max) === reference(cidrs, max)),
      { numRuns: 3000 },
    );
  });

  it('summarises two families as their joined list, for any lists and budget', () => {
    const cidr = fc.oneof(fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '2001:db8::/32', ''), fc.string({ maxLength: 6 }));
    const list = fc.array(cidr, { maxLength: 60 });
    fc.assert(
      fc.property(list, list, fc.integer({ min: 0, max: 90 }), (ipv4, ipv6, max) => summarizeSources({ ipv4, ipv6 }, max) === reference([...ipv4, ...ipv6], max)),
      { numRuns: 3000 },
    );
  });

  it('summarises both families in order, whichever is empty', () => {
    const v4 = ['198.51.100.0/24', '203.0.113.0/25'];
    const v6 = ['2001:db8::/32'];
    expect(summarizeSources({ ipv4: v4, ipv6: [] }, 80)).toBe(reference(v4, 80));
    expect(summarizeSources({ ipv4: [], ipv6: v6 }, 80)).toBe('2001:db8::/32');
    expect(summarizeSources({ ipv4: v4, ipv6: v6 }, 30)).toBe(reference([...v4, ...v6], 30));
    expect(summarizeSources({ ipv4: [], ipv6: [] })).toBe('none');
  });
});
