/**
 * Declares a vitest suite of kernel scenarios against the real Portcullis: one test per
 * scenario asserting 100% agreement, and the agreement table printed at the end.
 *
 * @module
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printAgreement, type Agreement } from './compare.js';
import { kernelSkipReason } from './preflight.js';
import { runScenario, type LoadStep, type Predictor, type Scenario } from './scenario.js';

/** iptables-restore NAME.v4.rules + ip6tables-restore NAME.v6.rules (nft backend). */
export function iptablesPair(name: string): LoadStep[] {
  return [
    { tool: 'iptables-restore', file: `${name}.v4.rules` },
    { tool: 'ip6tables-restore', file: `${name}.v6.rules` },
  ];
}

/**
 * One `it` per scenario; skips loudly (with the reason) when the kernel tests cannot run.
 * Returns the skip reason (null when the suite runs).
 */
export function kernelSuite(title: string, scenarios: Scenario[], tools: string[], predict?: Predictor): string | null {
  const skip = kernelSkipReason(tools);
  describe.skipIf(skip !== null)(title, () => {
    const rows: Agreement[] = [];
    afterAll(() => printAgreement(rows));
    for (const s of scenarios) {
      it(s.name, async () => {
        const r = await runScenario(s, predict);
        rows.push(r);
        expect(r.flows).toBeGreaterThan(0);
        expect(r.disagree.map((d) => `${d.flow.proto} ${d.flow.from} -> ${d.flow.to}:${d.flow.port}: engine ${d.engine}, kernel ${d.got}`)).toEqual([]);
        expect(r.audit ?? []).toEqual([]);
      });
    }
  });
  return skip;
}
