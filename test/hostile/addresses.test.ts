/**
 * Issue 9, item 1: addresses are numbers, not strings. Every spelling of an address must
 * give the same answer as its canonical form (RFC 5952 is how the kernel prints, not what
 * a snapshot is bound to hold).
 */
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/analyze/audit/diff.js';
import { auditOf, explainOf, iptablesDump, snapshotWithRules, sock } from './hostile-helpers.js';

const OPEN = iptablesDump([]);
const UNSPECIFIED_V6 = ['0::0', '0:0:0:0:0:0:0:0', '0000:0000:0000:0000:0000:0000:0000:0000', '::0', '0::', '0:0::0:0'];
const HOST_V6 = ['2001:db8:1:0::1', '2001:0db8:0001:0000:0000:0000:0000:0001', '2001:DB8:1::1'];
const MAPPED = ['::ffff:192.0.2.1', '::ffff:c000:201', '0:0:0:0:0:ffff:c000:0201', '::FFFF:192.0.2.1'];

function exposureOf(address: string, v6only: boolean | null = null) {
  const report = auditOf(snapshotWithRules([sock('tcp', address, 22, { v6only })], OPEN, OPEN));
  const s = report.hosts[0]!.services.find((x) => x.port === 22)!;
  return { exposure: s.exposure, sources: s.sources };
}

describe('wildcard and host addresses in any spelling', () => {
  const canonical = exposureOf('::');
  it('the canonical IPv6 wildcard is reachable from the world over both families', () => {
    expect(canonical.exposure).toBe('world');
    expect(canonical.sources).toEqual({ ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] });
  });

  it.each(UNSPECIFIED_V6)('%s is the IPv6 wildcard (dual stack included)', (address) => {
    expect(exposureOf(address)).toEqual(canonical);
    expect(exposureOf(address, true)).toEqual(exposureOf('::', true));
    const answer = explainOf(snapshotWithRules([sock('tcp', address, 22)], OPEN, OPEN), { from: '2001:db8:99::7', to: '', port: 22, proto: 'tcp' });
    expect(answer.state).toBe('open');
    const v4 = explainOf(snapshotWithRules([sock('tcp', address, 22)], OPEN, OPEN), { from: '203.0.113.9', to: '', port: 22, proto: 'tcp' });
    expect(v4.state).toBe('open');
  });

  it.each(HOST_V6)('%s is the host address 2001:db8:1::1', (address) => {
    expect(exposureOf(address)).toEqual(exposureOf('2001:db8:1::1'));
    expect(exposureOf(address).exposure).toBe('world');
  });

  it.each(MAPPED)('%s takes IPv4 packets to 192.0.2.1, like ::ffff:192.0.2.1', (address) => {
    const e = exposureOf(address);
    expect(e.sources.ipv4).toEqual(['0.0.0.0/0']);
    expect(e.exposure).toBe('world');
  });

  it('diff sees a port move from ::1 to 0::0 as a widening, and :: to 0::0 as no change', () => {
    const report = (address: string) => auditOf(snapshotWithRules([sock('tcp', address, 6379)], OPEN, OPEN));
    expect(diffReports(report('::1'), report('0::0')).worsened).toBe(true);
    const same = diffReports(report('::'), report('0:0:0:0:0:0:0:0'));
    expect(same.worsened).toBe(false);
    expect(same.widened).toEqual([]);
    expect(same.narrowed).toEqual([]);
  });
});
