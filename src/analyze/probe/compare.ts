/**
 * Predicted vs observed: for every port either side calls open, the engine's answer for a
 * flow from the probe's source address against what answered. The predictor is passed in
 * (the CLI wires the engine's explain), so this stays a pure comparison.
 *
 * @module
 */
import type { ProbeObservation, ProbeProto } from '../../model/probe.js';
import type { Disagreement, PredictedState, ProbeComparison } from './types.js';

export interface PredictQuery {
  from: string;
  to: string;
  port: number;
  proto: ProbeProto;
}

export interface ComparisonInput {
  observation: ProbeObservation;
  /** The engine's state for a flow; null when it cannot say (e.g. the address is not the snapshot host's). */
  predict: (q: PredictQuery) => PredictedState | null;
  /** Ports the prediction holds open per target address (listeners the engine admits), so that silence there is compared too. */
  predictedOpen: (address: string, proto: ProbeProto) => readonly number[];
  snapshot: string;
}

export function comparePrediction(input: ComparisonInput): ProbeComparison {
  const disagreements: Disagreement[] = [];
  let compared = 0;
  for (const target of input.observation.targets) {
    const from = input.observation.vantage[target.address];
    if (!from) continue;
    for (const proto of ['tcp', 'udp'] as const) {
      const scanned = new Map(target.ports.filter((p) => p.proto === proto).map((p) => [p.port, p.state]));
      const candidates = new Set<number>([...scanned].filter(([, s]) => s === 'open').map(([p]) => p));
      for (const p of input.predictedOpen(target.address, proto)) if (scanned.has(p)) candidates.add(p);
      for (const port of [...candidates].sort((a, b) => a - b)) {
        const observed = scanned.get(port)!;
        const predicted = input.predict({ from, to: target.address, port, proto });
        if (predicted === null) continue;
        compared++;
        // UDP silence proves nothing either way.
        if (observed === 'open|filtered') continue;
        if (observed === 'open' && predicted !== 'open') disagreements.push({ address: target.address, proto, port, predicted, observed, kind: 'unexpected-open' });
        else if (observed !== 'open' && predicted === 'open') disagreements.push({ address: target.address, proto, port, predicted, observed, kind: observed === 'closed' ? 'unexpected-closed' : 'unexpected-filtered' });
      }
    }
  }
  return { snapshot: input.snapshot, compared, disagreements };
}
