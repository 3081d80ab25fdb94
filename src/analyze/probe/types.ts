/**
 * The probe report: what `portcullis probe` prints as JSON (schemas/probe.schema.json) and
 * what its text and HTML renderers read.
 *
 * @module
 */
import type { PortState, ProbedPort, ProbeObservation, ProbeProto } from '../../model/probe.js';
import type { Finding, Severity } from '../audit/types.js';

/** Ports in the most common state of a target, counted instead of listed (nmap's extraports). */
export interface CollapsedPorts {
  proto: ProbeProto;
  state: PortState;
  count: number;
}

export interface ProbeReportTarget {
  address: string;
  hostname: string | null;
  /** The address the probes left from (null when unknown: nmap XML). */
  vantage: string | null;
  ports: ProbedPort[];
  otherPorts: CollapsedPorts[];
}

/** The engine's state for a flow, as explain gives it. */
export type PredictedState = 'open' | 'closed' | 'filtered';

/**
 * A port where the engine's prediction and the probe disagree:
 * - unexpected-open: predicted closed or filtered, but it answered (a layer the snapshot does not see, or an engine bug);
 * - unexpected-filtered: predicted open, but nothing answered (a cloud or upstream firewall);
 * - unexpected-closed: predicted open, but refused (the service stopped, or a reject the snapshot does not see).
 */
export interface Disagreement {
  address: string;
  proto: ProbeProto;
  port: number;
  predicted: PredictedState;
  observed: PortState;
  kind: 'unexpected-open' | 'unexpected-filtered' | 'unexpected-closed';
}

export interface ProbeComparison {
  /** The snapshot the prediction came from ("this host" when live). */
  snapshot: string;
  /** Ports compared (every port either side calls open). */
  compared: number;
  disagreements: Disagreement[];
}

export interface ProbeReport {
  format: 'portcullis-probe';
  version: 1;
  generatedAt: string;
  tool: { name: 'portcullis'; version: string };
  origin: ProbeObservation['origin'];
  startedAt: string;
  finishedAt: string;
  targets: ProbeReportTarget[];
  comparison: ProbeComparison | null;
  findings: Finding[];
  summary: Record<Severity, number>;
}
