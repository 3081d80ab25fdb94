/**
 * Self-test of the kernel harness, independent of Portcullis: the probe and the namespaces
 * must show what a hand-written prediction says (no firewall; one rule per reply type).
 * If this fails, the harness is wrong, not the engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printAgreement, type Agreement, type EngineAnswer } from './harness/compare.js';
import type { Flow, ListenerSpec } from './harness/flows.js';
import { kernelSkipReason } from './harness/preflight.js';
import { runScenario, type Predictor } from './harness/scenario.js';

const skip = kernelSkipReason(['iptables-restore', 'ip6tables-restore'], false);

/** Does a socket bound as `l` take a packet to `to`? */
function takes(l: ListenerSpec, f: Flow): boolean {
  if (l.proto !== f.proto || l.port !== f.port) return false;
  const v6 = f.to.includes(':');
  if (l.host === '::') return v6 || !l.v6only;
  if (l.host === '0.0.0.0') return !v6;
  return l.host === f.to;
}

type Rule = { firewall: 'drop' | 'reject'; rejectWith?: string };
/** harness-selftest.v4.rules / .v6.rules, by hand. */
const RULES: Record<string, Rule> = {
  'v4 tcp 80': { firewall: 'drop' },
  'v4 tcp 443': { firewall: 'reject', rejectWith: 'host-prohibited' },
  'v4 tcp 22': { firewall: 'reject', rejectWith: 'tcp-reset' },
  'v4 tcp 2222': { firewall: 'reject', rejectWith: 'port-unreachable' },
  'v4 udp 53': { firewall: 'reject', rejectWith: 'port-unreachable' },
  'v4 udp 5353': { firewall: 'drop' },
  'v4 udp 123': { firewall: 'reject', rejectWith: 'admin-prohibited' },
  'v6 tcp 80': { firewall: 'reject', rejectWith: 'tcp-reset' },
  'v6 tcp 443': { firewall: 'reject', rejectWith: 'admin-prohibited' },
  'v6 tcp 22': { firewall: 'drop' },
  'v6 tcp 2222': { firewall: 'reject', rejectWith: 'addr-unreachable' },
  'v6 udp 53': { firewall: 'reject', rejectWith: 'no-route' },
  'v6 udp 5353': { firewall: 'reject', rejectWith: 'port-unreachable' },
};

/** A stand-in predictor: a rule table keyed by family/proto/port, then the listeners. */
function standIn(rules: Record<string, Rule>): Predictor {
  return async (flows, { listeners }) =>
    flows.map((f): EngineAnswer => {
      const rule = rules[`${f.to.includes(':') ? 'v6' : 'v4'} ${f.proto} ${f.port}`];
      if (rule) return { ...f, state: 'filtered', ...rule };
      return { ...f, state: listeners.some((l) => takes(l, f)) ? 'open' : 'closed', firewall: 'accept' };
    });
}

describe.skipIf(skip !== null)('kernel harness self-test (stand-in predictor)', () => {
  const rows: Agreement[] = [];
  afterAll(() => printAgreement(rows));

  it('no firewall: every flow is open or refused, as the listeners say', async () => {
    const r = await runScenario({ name: 'selftest: no firewall', load: [] }, standIn({}));
    rows.push(r);
    expect(r.byResult.timeout ?? 0).toBe(0);
    expect(r.byResult.open).toBeGreaterThan(50);
    expect(r.byResult.refused).toBeGreaterThan(50);
    expect(r.disagree).toEqual([]);
  });

  it('one rule per reply type: drop times out, resets and port-unreachable refuse, prohibited is unreachable', async () => {
    const r = await runScenario(
      {
        name: 'selftest: reply types',
        load: [
          { tool: 'iptables-restore', file: 'harness-selftest.v4.rules' },
          { tool: 'ip6tables-restore', file: 'harness-selftest.v6.rules' },
        ],
      },
      standIn(RULES),
    );
    rows.push(r);
    for (const k of ['open', 'refused', 'unreachable', 'timeout']) expect(r.byResult[k], k).toBeGreaterThan(0);
    expect(r.disagree).toEqual([]);
  });
});
