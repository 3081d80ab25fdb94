/**
 * JSON output of `probe`: the report as it is, stable key order (schemas/probe.schema.json).
 *
 * @module
 */
import type { ProbeReport } from '../../analyze/probe/types.js';
import { stableStringify } from './stable-json.js';

export function renderProbeJson(report: ProbeReport): string {
  return stableStringify(report, 2) + '\n';
}
