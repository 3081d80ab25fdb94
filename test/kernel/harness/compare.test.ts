import { describe, expect, it } from 'vitest';
import { compare, expectedProbe, type EngineAnswer, type ProbeAnswer } from './compare.js';

const flow = { from: '192.0.2.10', to: '192.0.2.1', port: 22, proto: 'tcp' as const };
const answer = (a: Partial<EngineAnswer>): EngineAnswer => ({ ...flow, state: 'open', firewall: 'accept', ...a });

describe('expectedProbe', () => {
  it('maps open, closed and drop', () => {
    expect(expectedProbe(answer({}))).toBe('open');
    expect(expectedProbe(answer({ state: 'closed' }))).toBe('refused');
    expect(expectedProbe(answer({ state: 'filtered', firewall: 'drop' }))).toBe('timeout');
  });

  it('maps reject types to what the client sees', () => {
    const rej = (rejectWith: string, proto: 'tcp' | 'udp' = 'tcp') => expectedProbe(answer({ proto, state: 'filtered', firewall: 'reject', rejectWith }));
    expect(rej('tcp-reset')).toBe('refused');
    expect(rej('port-unreachable')).toBe('refused');
    expect(rej('port-unreachable', 'udp')).toBe('refused');
    expect(rej('host-prohibited')).toBe('unreachable');
    expect(rej('admin-prohibited', 'udp')).toBe('unreachable');
    expect(rej('host-unreachable')).toBe('unreachable');
    // Soft ICMP errors never reach a UDP application without IP_RECVERR.
    expect(rej('host-unreachable', 'udp')).toBe('timeout');
    expect(rej('no-route', 'udp')).toBe('timeout');
  });
});

describe('compare', () => {
  const probe = (result: ProbeAnswer['result']): ProbeAnswer => ({ ...flow, result, code: null });

  it('counts agreement and lists disagreements', () => {
    const r = compare('t', [answer({}), answer({ state: 'filtered', firewall: 'drop' })], [probe('open'), probe('open')]);
    expect(r.agree).toBe(1);
    expect(r.disagree).toHaveLength(1);
    expect(r.disagree[0]).toMatchObject({ expected: 'timeout', got: 'open', engine: 'filtered/drop' });
  });

  it('refuses answers that do not line up with the probes', () => {
    expect(() => compare('t', [answer({ port: 23 })], [probe('open')])).toThrow(/answer 0/);
    expect(() => compare('t', [], [probe('open')])).toThrow(/0 engine answers/);
  });
});
