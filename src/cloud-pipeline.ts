/**
 * The cloud half of the pipeline: an AWS export in, one host analysis per instance out,
 * each joined with the host snapshot of the same machine where one is given (matched by
 * instance id when `collect --imds` recorded it, else by private address). Snapshots that match no instance stay hosts of their own.
 *
 * @module
 */
import { type CloudAnalysisOptions, analyzeAwsNetwork, cloudOnlyHost, joinHost, matchInstance } from './analyze/cloud-path/index.js';
import type { HostAnalysis } from './analyze/types.js';
import type { Diagnostic, Parsed } from './model/diagnostics.js';
import type { AwsNetwork } from './model/aws-network.js';
import { type AwsExportFile, parseAwsExport } from './parse/aws-json/index.js';
import { parseTerraformPlan } from './parse/terraform-plan/index.js';
import { type LoadedHost, analyzeHost } from './pipeline.js';

export interface CloudInput {
  /** The AWS CLI export (`audit --aws`), or a `terraform show -json` plan (`audit --terraform`). */
  source: { kind: 'aws'; files: readonly AwsExportFile[] } | { kind: 'terraform'; file: string; text: string; stage?: 'before' | 'after' };
  options?: CloudAnalysisOptions;
  /** When the export was made (instances without a snapshot carry it as `collectedAt`). */
  exportedAt: string;
}

export function analyzeCloud(input: CloudInput, hosts: readonly LoadedHost[]): Parsed<HostAnalysis[]> {
  const parsed: Parsed<AwsNetwork> = input.source.kind === 'aws' ? parseAwsExport(input.source.files) : parseTerraformPlan(input.source.text, input.source.file, input.source.stage);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { value: [], diagnostics };
  const cloud = analyzeAwsNetwork(parsed.value, input.options);
  const joined = new Map<string, HostAnalysis>();
  const unmatched: HostAnalysis[] = [];
  for (const loaded of hosts) {
    const addresses = (loaded.snapshot.interfaces ?? []).flatMap((i) => i.addresses.map((a) => a.address));
    // By instance id (collect --imds) when the snapshot knows it, else by private address.
    const id = loaded.snapshot.host.cloud?.instanceId;
    const byId = id ? cloud.find((c) => c.facts.instanceId === id) : undefined;
    const instance = byId ?? (id ? null : matchInstance(addresses, cloud));
    const analysis = analyzeHost(loaded);
    if (instance) joined.set(instance.facts.instanceId, joinHost(analysis, instance, byId ? 'instance-id' : 'private-address'));
    else {
      diagnostics.push({ code: 'cloud.unmatched-snapshot', severity: 'warning', message: id ? `${loaded.file}: instance ${id} (collect --imds) is not in the export; audited without the cloud layer` : `${loaded.file}: no instance of the export has any of its addresses; audited without the cloud layer` });
      unmatched.push(analysis);
    }
  }
  const value = cloud.map((c) => joined.get(c.facts.instanceId) ?? cloudOnlyHost(c, input.exportedAt));
  return { value: [...value, ...unmatched], diagnostics };
}
