/**
 * plan.json: the {@link HardenPlan} as stable JSON (schemas/harden-plan.schema.json).
 *
 * @module
 */
import type { HardenPlan } from '../../analyze/harden/types.js';
import { stableStringify } from '../json/stable-json.js';

export function renderHardenPlanJson(plan: HardenPlan): string {
  return `${stableStringify(plan)}\n`;
}
