/**
 * The JSON the AWS CLI prints (one file per call, or one combined object) → an
 * {@link AwsNetwork}. Pure: file names and texts in, the network and located diagnostics
 * out. Each file is read by the keys it holds, so a combined file works the same way.
 *
 * @module
 */
import type { AwsNetwork, NetworkInterface, PrefixList } from '../../model/aws-network.js';
import { emptyAwsNetwork } from '../../model/aws-network.js';
import type { Diagnostic, Parsed } from '../../model/diagnostics.js';
import { readInstances, readNetworkInterfaces } from './instances.js';
import { type JsonObject, JsonReader, parseJsonText } from './json-reader.js';
import { readClassicLoadBalancers } from './classic-load-balancers.js';
import { readListenerRules, readListeners, readLoadBalancers, readTargetGroups, readTargetHealth } from './load-balancers.js';
import type { LbRule, LbTarget } from '../../model/aws-network.js';
import { readNetworkAcls } from './network-acls.js';
import { readRouteTables } from './route-tables.js';
import { readSecurityGroups } from './security-groups.js';
import { readInternetGateways, readPrefixListEntries, readPrefixLists, readSubnets } from './small-calls.js';

export interface AwsExportFile {
  /** The file name (its base name tells a prefix list's entries apart: `get-managed-prefix-list-entries-<pl-id>.json`). */
  name: string;
  text: string;
}

/** The calls, by the top-level key of their output, with the file each is exported to. */
export const AWS_EXPORT_FILES = [
  { key: 'SecurityGroups', file: 'describe-security-groups.json', command: 'aws ec2 describe-security-groups --output json', required: true },
  { key: 'NetworkAcls', file: 'describe-network-acls.json', command: 'aws ec2 describe-network-acls --output json', required: true },
  { key: 'RouteTables', file: 'describe-route-tables.json', command: 'aws ec2 describe-route-tables --output json', required: true },
  { key: 'Subnets', file: 'describe-subnets.json', command: 'aws ec2 describe-subnets --output json', required: true },
  { key: 'Reservations', file: 'describe-instances.json', command: 'aws ec2 describe-instances --output json', required: true },
  { key: 'NetworkInterfaces', file: 'describe-network-interfaces.json', command: 'aws ec2 describe-network-interfaces --output json', required: false },
  { key: 'InternetGateways', file: 'describe-internet-gateways.json', command: 'aws ec2 describe-internet-gateways --output json', required: true },
  { key: 'PrefixLists', file: 'describe-managed-prefix-lists.json', command: 'aws ec2 describe-managed-prefix-lists --output json', required: false },
  { key: 'LoadBalancers', file: 'describe-load-balancers.json', command: 'aws elbv2 describe-load-balancers --output json', required: false },
  { key: 'Listeners', file: 'describe-listeners-<load-balancer-name>.json', command: 'aws elbv2 describe-listeners --load-balancer-arn <arn> --output json', required: false },
  { key: 'TargetGroups', file: 'describe-target-groups.json', command: 'aws elbv2 describe-target-groups --output json', required: false },
  { key: 'LoadBalancerDescriptions', file: 'elb-describe-load-balancers.json', command: 'aws elb describe-load-balancers --output json', required: false },
  { key: 'Rules', file: 'describe-rules-<load-balancer-name>-<port>.json', command: 'aws elbv2 describe-rules --listener-arn <arn> --output json', required: false },
] as const;

const ENTRIES_FILE = /get-managed-prefix-list-entries-(pl-[0-9a-zA-Z]+)\.json$/;
/** Target group names: up to 32 letters, digits and hyphens. */
const HEALTH_FILE = /describe-target-health-([0-9a-zA-Z-]+)\.json$/;

export function parseAwsExport(files: readonly AwsExportFile[]): Parsed<AwsNetwork> {
  const net = emptyAwsNetwork();
  const diagnostics: Diagnostic[] = [];
  const entries = new Map<string, string[]>();
  const seenKeys = new Set<string>();
  const instanceEnis: NetworkInterface[] = [];
  const health = new Map<string, LbTarget[]>();
  const rules: LbRule[] = [];
  for (const f of files) {
    const parsed = parseJsonText(f.text, f.name, 'parse.aws.json');
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length > 0) continue;
    const r = new JsonReader(f.name, 'parse.aws.shape');
    const doc = r.object(parsed.value, '$');
    if (doc) {
      const known = readDocument(r, doc, f.name, net, entries, instanceEnis, health, rules);
      for (const k of known) seenKeys.add(k);
      if (known.length === 0) {
        r.error('$', 'no EC2 output recognised in this file', `one of the keys ${AWS_EXPORT_FILES.map((x) => x.key).join(', ')}, or Entries in get-managed-prefix-list-entries-<pl-id>.json`, Object.keys(doc).join(', '));
      }
    }
    diagnostics.push(...r.diagnostics);
  }
  for (const call of AWS_EXPORT_FILES) {
    if (call.required && !seenKeys.has(call.key)) {
      diagnostics.push({ code: 'parse.aws.missing', severity: 'error', message: `no ${call.key} in the export: ${call.file} is missing`, expected: `the output of \`${call.command} > ${call.file}\`` });
    }
  }
  // Interfaces listed both inline and in describe-network-interfaces: the ENI file wins, the instance link is kept.
  const byId = new Map(net.interfaces.map((e) => [e.id, e]));
  for (const e of instanceEnis) {
    const known = byId.get(e.id);
    if (known) known.instanceId ??= e.instanceId;
    else {
      byId.set(e.id, e);
      net.interfaces.push(e);
    }
  }
  net.calls = [...seenKeys].sort();
  // Target health is keyed by the group's name (the file name) or, in a combined file, its name or ARN.
  // describe-rules always lists the default rule: a listener without any has had its rules not exported.
  for (const l of net.listeners) {
    const own = rules.filter((x) => x.listenerArn === l.arn);
    l.rules = own.length > 0 ? own : null;
  }
  // (A Classic balancer's groups come with their instances.)
  for (const tg of net.targetGroups) tg.targets = health.get(tg.arn) ?? health.get(tg.name) ?? tg.targets;
  for (const pl of net.prefixLists) pl.entries = entries.get(pl.id) ?? null;
  for (const [id, list] of entries) {
    if (!net.prefixLists.some((p) => p.id === id)) net.prefixLists.push({ id, name: null, family: null, entries: list, origin: { file: `get-managed-prefix-list-entries-${id}.json`, path: '$' } } satisfies PrefixList);
  }
  return { value: net, diagnostics };
}

/** Read every known key of one document; returns the keys found. */
function readDocument(r: JsonReader, doc: JsonObject, name: string, net: AwsNetwork, entries: Map<string, string[]>, instanceEnis: NetworkInterface[], health: Map<string, LbTarget[]>, rules: LbRule[]): string[] {
  const found: string[] = [];
  const has = (k: string) => {
    if (!(k in doc)) return false;
    found.push(k);
    return true;
  };
  if (has('SecurityGroups')) net.securityGroups.push(...readSecurityGroups(r, doc, '$'));
  if (has('NetworkAcls')) net.networkAcls.push(...readNetworkAcls(r, doc, '$'));
  if (has('RouteTables')) net.routeTables.push(...readRouteTables(r, doc, '$'));
  if (has('Subnets')) net.subnets.push(...readSubnets(r, doc, '$'));
  if (has('Reservations')) {
    const got = readInstances(r, doc, '$');
    net.instances.push(...got.instances);
    instanceEnis.push(...got.interfaces);
  }
  if (has('NetworkInterfaces')) net.interfaces.push(...readNetworkInterfaces(r, doc, '$'));
  if (has('InternetGateways')) net.internetGateways.push(...readInternetGateways(r, doc, '$'));
  if (has('PrefixLists')) net.prefixLists.push(...readPrefixLists(r, doc, '$'));
  if (has('LoadBalancers')) net.loadBalancers.push(...readLoadBalancers(r, doc, '$'));
  if (has('Listeners')) net.listeners.push(...readListeners(r, doc, '$'));
  if (has('TargetGroups')) net.targetGroups.push(...readTargetGroups(r, doc, '$'));
  if (has('Rules')) rules.push(...readListenerRules(r, doc, '$'));
  if (has('LoadBalancerDescriptions')) {
    const classic = readClassicLoadBalancers(r, doc, '$');
    net.loadBalancers.push(...classic.loadBalancers);
    net.listeners.push(...classic.listeners);
    net.targetGroups.push(...classic.targetGroups);
  }
  const hm = HEALTH_FILE.exec(name);
  if (hm && has('TargetHealthDescriptions')) health.set(hm[1]!, readTargetHealth(r, r.array(doc, 'TargetHealthDescriptions', '$'), '$.TargetHealthDescriptions'));
  // A combined file carries the health per group: {"TargetHealth": {"<name or ARN>": [TargetHealthDescriptions…]}}.
  if (has('TargetHealth')) {
    const per = r.object(doc['TargetHealth'], '$.TargetHealth');
    for (const [id, list] of Object.entries(per ?? {})) {
      if (Array.isArray(list)) health.set(id, readTargetHealth(r, list, `$.TargetHealth.${id}`));
      else r.error(`$.TargetHealth.${id}`, 'not a list', 'the TargetHealthDescriptions array of describe-target-health', list);
    }
  }
  const m = ENTRIES_FILE.exec(name);
  if (m && has('Entries')) entries.set(m[1]!, readPrefixListEntries(r, r.array(doc, 'Entries', '$'), '$.Entries'));
  // A combined file carries the entries per list: {"PrefixListEntries": {"pl-…": [{"Cidr": …}]}}.
  if (has('PrefixListEntries')) {
    const per = r.object(doc['PrefixListEntries'], '$.PrefixListEntries');
    for (const [id, list] of Object.entries(per ?? {})) {
      if (Array.isArray(list)) entries.set(id, readPrefixListEntries(r, list, `$.PrefixListEntries.${id}`));
      else r.error(`$.PrefixListEntries.${id}`, 'not a list', 'the Entries array of get-managed-prefix-list-entries', list);
    }
  }
  return found;
}
