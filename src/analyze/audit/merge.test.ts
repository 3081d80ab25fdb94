import { describe, expect, it } from 'vitest';
import { mergeById } from './merge.js';
import type { Finding, Severity } from './types.js';

function finding(severity: Severity, ipv4: string[], ipv6: string[], fact: string): Finding {
  return {
    id: 'world-exposed:tcp/6379',
    rule: 'world-exposed',
    severity,
    host: 'db1',
    service: { proto: 'tcp', port: 6379 },
    title: 'Redis open to the world',
    evidence: { sources: { ipv4, ipv6 }, facts: [fact] },
    remediation: { summary: 'allowlist it', commands: [] },
  };
}

describe('mergeById', () => {
  it('joins the IPv4 socket and the IPv6 socket of a port into one finding with both lists', () => {
    const v4 = finding('high', ['0.0.0.0/1', '128.0.0.0/1'], [], 'bound to 0.0.0.0');
    const v6 = finding('critical', [], ['::/0'], 'bound to ::');
    const [merged, ...rest] = mergeById([v4, v6]);
    expect(rest).toEqual([]);
    expect(merged!.severity).toBe('critical');
    expect(merged!.evidence.sources).toEqual({ ipv4: ['0.0.0.0/1', '128.0.0.0/1'], ipv6: ['::/0'] });
    expect(merged!.evidence.facts).toEqual(['bound to ::', 'bound to 0.0.0.0']);
  });

  it('lists a prefix two sockets of one family share once, in first-seen order', () => {
    const a = finding('high', ['192.0.2.0/24', '198.51.100.0/24'], [], 'on 192.0.2.10');
    const b = finding('high', ['198.51.100.0/24', '203.0.113.0/24'], [], 'on 192.0.2.11');
    const [merged] = mergeById([a, b]);
    expect(merged!.evidence.sources!.ipv4).toEqual(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']);
  });

  it('keeps findings of different ids apart', () => {
    const a = finding('high', ['192.0.2.0/24'], [], 'x');
    const b = { ...finding('low', [], [], 'y'), id: 'cleartext:tcp/21' };
    expect(mergeById([a, b]).map((f) => f.id)).toEqual(['world-exposed:tcp/6379', 'cleartext:tcp/21']);
  });
});
