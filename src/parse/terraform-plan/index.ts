/**
 * `terraform show -json PLAN` → the {@link AwsNetwork} the plan will build (its planned
 * values), for `audit --terraform`. Hosts are named by `aws_instance` address
 * (`module.app.aws_instance.web[0]`) or by instance id when the plan knows it.
 *
 * @module
 */
import type { AwsNetwork } from '../../model/aws-network.js';
import type { Parsed } from '../../model/diagnostics.js';
import { emptyAwsNetwork } from '../../model/aws-network.js';
import { JsonReader, parseJsonText } from '../aws-json/json-reader.js';
import { planToAwsNetwork } from './aws-resources.js';
import { PlanIndex } from './plan-index.js';
import { annotateResourceOrigins } from './resource-origins.js';

/**
 * `stage: 'after'` (default) reads what the plan builds; `'before'` what exists before it
 * applies (`prior_state`; nothing when the plan creates everything), for `diff --terraform`.
 */
export function parseTerraformPlan(text: string, file: string, stage: 'before' | 'after' = 'after'): Parsed<AwsNetwork> {
  const parsed = parseJsonText(text, file, 'parse.terraform.json');
  if (parsed.diagnostics.length > 0) return { value: emptyAwsNetwork(), diagnostics: parsed.diagnostics };
  const r = new JsonReader(file, 'parse.terraform.shape');
  const doc = r.object(parsed.value, '$');
  if (!doc) return { value: emptyAwsNetwork(), diagnostics: r.diagnostics };
  if (typeof doc['format_version'] !== 'string' || !('planned_values' in doc)) {
    r.error('$', 'not a Terraform plan in JSON', 'the output of `terraform show -json PLANFILE` (format_version, planned_values)', Object.keys(doc).join(', '));
    return { value: emptyAwsNetwork(), diagnostics: r.diagnostics };
  }
  // The prior state has the planned values' shape; everything in it is known.
  const view = stage === 'after' ? doc : { ...doc, planned_values: ((doc['prior_state'] as Record<string, unknown> | undefined)?.['values'] ?? { root_module: {} }), resource_changes: [] };
  const index = new PlanIndex(r, view);
  const net = planToAwsNetwork(index, r);
  annotateResourceOrigins(net, index, stage === 'after' ? text : null, file);
  return { value: net, diagnostics: r.diagnostics };
}
