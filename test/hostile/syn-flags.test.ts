/**
 * Issue 9, item 2: a port is reachable when any flag byte that opens a connection gets
 * through, not only the plain SYN. The kernel side is proven in kernel-syn-flags.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SYN_PACKETS } from '../../src/analyze/engine/arrival.js';
import * as I from '../../src/model/interval-set.js';
import { auditOf, explainOf, iptablesDump, snapshotWithRules, sock } from './hostile-helpers.js';

/** The listening socket's rule (tcp_rcv_state_process, TCP_LISTEN): SYN, and no ACK, RST or FIN. */
const opensConnection = (b: number) => (b & 0x02) !== 0 && (b & (0x10 | 0x04 | 0x01)) === 0;

function exposureWith(rule: string) {
  const report = auditOf(snapshotWithRules([sock('tcp', '0.0.0.0', 2222)], iptablesDump([rule])));
  return report.hosts[0]!.services[0]!.exposure;
}

describe('connection-opening TCP flags', () => {
  it('the arrival set is every flag byte a listening socket answers, and nothing else', () => {
    const expected = Array.from({ length: 256 }, (_, b) => b).filter(opensConnection);
    expect(expected).toHaveLength(16);
    expect([...I.ranges(SYN_PACKETS)].flatMap(([lo, hi]) => Array.from({ length: hi - lo }, (_, k) => lo + k))).toEqual(expected);
  });

  it.each([
    ['-A INPUT -p tcp --dport 2222 --tcp-flags ALL SYN -j DROP', 'world'],
    ['-A INPUT -p tcp --dport 2222 --tcp-flags SYN,PSH SYN -j DROP', 'world'],
    ['-A INPUT -p tcp --dport 2222 --tcp-flags SYN,URG,PSH SYN -j DROP', 'world'],
    ['-A INPUT -p tcp --dport 2222 --tcp-flags FIN,SYN,RST,ACK SYN -j DROP', 'local'],
    ['-A INPUT -p tcp --dport 2222 --syn -j DROP', 'local'],
    ['-A INPUT -p tcp --dport 2222 --tcp-flags SYN SYN -j DROP', 'local'],
  ])('%s leaves the port %s', (rule, exposure) => {
    expect(exposureWith(rule)).toBe(exposure);
  });

  it('explain names the combinations that get through and those stopped', () => {
    const snap = snapshotWithRules([sock('tcp', '0.0.0.0', 2222)], iptablesDump(['-A INPUT -p tcp --dport 2222 --tcp-flags SYN,PSH SYN -j DROP']));
    const a = explainOf(snap, { from: '203.0.113.9', to: '', port: 2222, proto: 'tcp' });
    expect(a.state).toBe('open');
    expect(a.notes).toContain('the verdict depends on the TCP flags of the opening packet; the most exposed answer is given');
    const note = a.notes.find((n) => n.startsWith('only some connection-opening'))!;
    expect(note).toContain('SYN+PSH, SYN+PSH+URG');
    expect(note).toContain('(stopped: SYN, SYN+URG, SYN+ECE');
  });
});
