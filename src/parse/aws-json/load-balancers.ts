/**
 * The Elastic Load Balancing v2 calls: `aws elbv2 describe-load-balancers`,
 * `describe-listeners`, `describe-rules`, `describe-target-groups` and `describe-target-health` (whose
 * output does not name its target group: the file name does,
 * `describe-target-health-<target-group-name>.json`).
 *
 * @module
 */
import type { LbListener, LbRule, LbTarget, LoadBalancer, TargetGroup } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';

const LB_TYPES = ['application', 'network', 'gateway'] as const;
const TARGET_TYPES = ['instance', 'ip', 'lambda', 'alb'] as const;

function oneOf<T extends string>(r: JsonReader, o: JsonObject, key: string, path: string, allowed: readonly T[]): T | null {
  const v = r.string(o, key, path);
  if (v === null) return null;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  r.error(`${path}.${key}`, `unknown ${key}`, allowed.join(', '), v);
  return null;
}

export function readLoadBalancers(r: JsonReader, doc: JsonObject, base: string): LoadBalancer[] {
  const out: LoadBalancer[] = [];
  r.array(doc, 'LoadBalancers', base).forEach((x, i) => {
    const path = `${base}.LoadBalancers[${i}]`;
    const o = r.object(x, path);
    if (!o) return;
    const arn = r.string(o, 'LoadBalancerArn', path);
    const name = r.string(o, 'LoadBalancerName', path);
    const type = oneOf(r, o, 'Type', path, LB_TYPES);
    const scheme = oneOf(r, o, 'Scheme', path, ['internet-facing', 'internal'] as const);
    const vpcId = r.string(o, 'VpcId', path);
    if (!arn || !name || !type || !scheme || !vpcId) return;
    const subnetIds = r.array(o, 'AvailabilityZones', path).flatMap((z, k) => {
      const zo = r.object(z, `${path}.AvailabilityZones[${k}]`);
      const id = zo && r.string(zo, 'SubnetId', `${path}.AvailabilityZones[${k}]`);
      return id ? [id] : [];
    });
    const securityGroups = r.array(o, 'SecurityGroups', path).filter((g): g is string => typeof g === 'string');
    out.push({ arn, name, type, scheme, vpcId, subnetIds, securityGroups, ipAddressType: r.optionalString(o, 'IpAddressType', path) ?? 'ipv4', origin: { file: r.file, path } });
  });
  return out;
}

export function readListeners(r: JsonReader, doc: JsonObject, base: string): LbListener[] {
  const out: LbListener[] = [];
  r.array(doc, 'Listeners', base).forEach((x, i) => {
    const path = `${base}.Listeners[${i}]`;
    const o = r.object(x, path);
    if (!o) return;
    const arn = r.string(o, 'ListenerArn', path);
    const loadBalancerArn = r.string(o, 'LoadBalancerArn', path);
    const port = r.integer(o, 'Port', path, 1, 65535);
    const protocol = r.string(o, 'Protocol', path);
    if (!arn || !loadBalancerArn || port === null || !protocol) return;
    const targetGroupArns = forwardedGroups(r, o, 'DefaultActions', path);
    out.push({ arn, loadBalancerArn, port, protocol, targetGroupArns, rules: null, origin: { file: r.file, path } });
  });
  return out;
}

export function readTargetGroups(r: JsonReader, doc: JsonObject, base: string): TargetGroup[] {
  const out: TargetGroup[] = [];
  r.array(doc, 'TargetGroups', base).forEach((x, i) => {
    const path = `${base}.TargetGroups[${i}]`;
    const o = r.object(x, path);
    if (!o) return;
    const arn = r.string(o, 'TargetGroupArn', path);
    const name = r.string(o, 'TargetGroupName', path);
    const targetType = oneOf(r, o, 'TargetType', path, TARGET_TYPES);
    if (!arn || !name || !targetType) return;
    const loadBalancerArns = r.array(o, 'LoadBalancerArns', path).filter((a): a is string => typeof a === 'string');
    out.push({ arn, name, protocol: r.optionalString(o, 'Protocol', path), port: r.optionalInteger(o, 'Port', path, 1, 65535), targetType, loadBalancerArns, targets: null, origin: { file: r.file, path } });
  });
  return out;
}

/** The `TargetHealthDescriptions` of one target group. */
export function readTargetHealth(r: JsonReader, list: unknown[], base: string): LbTarget[] {
  const out: LbTarget[] = [];
  list.forEach((x, i) => {
    const path = `${base}[${i}]`;
    const o = r.object(x, path);
    const target = o && r.object(o['Target'], `${path}.Target`);
    const id = target && r.string(target, 'Id', `${path}.Target`);
    if (!o || !target || !id) return;
    const health = o['TargetHealth'] === undefined ? null : r.object(o['TargetHealth'], `${path}.TargetHealth`);
    out.push({ id, port: r.optionalInteger(target, 'Port', `${path}.Target`, 1, 65535), health: health ? r.optionalString(health, 'State', `${path}.TargetHealth`) : null, origin: { file: r.file, path } });
  });
  return out;
}

/** The groups the forward actions of `key` name: one (TargetGroupArn) or several (ForwardConfig.TargetGroups), or both. */
function forwardedGroups(r: JsonReader, o: JsonObject, key: string, path: string): string[] {
  const arns = new Set<string>();
  r.array(o, key, path).forEach((a, k) => {
    const ap = `${path}.${key}[${k}]`;
    const action = r.object(a, ap);
    if (!action || action['Type'] !== 'forward') return;
    const single = r.optionalString(action, 'TargetGroupArn', ap);
    if (single) arns.add(single);
    const config = action['ForwardConfig'] === undefined ? null : r.object(action['ForwardConfig'], `${ap}.ForwardConfig`);
    if (config) {
      r.array(config, 'TargetGroups', `${ap}.ForwardConfig`).forEach((t, n) => {
        const to = r.object(t, `${ap}.ForwardConfig.TargetGroups[${n}]`);
        const tg = to && r.string(to, 'TargetGroupArn', `${ap}.ForwardConfig.TargetGroups[${n}]`);
        if (tg) arns.add(tg);
      });
    }
  });
  return [...arns];
}

/** `…:listener-rule/app/<lb>/<lb-id>/<listener-id>/<rule-id>` → `…:listener/app/<lb>/<lb-id>/<listener-id>`. */
const RULE_ARN = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener-rule\/((?:app|net)\/[^/]+\/[^/]+\/[^/]+)\/[^/]+$/;

export function readListenerRules(r: JsonReader, doc: JsonObject, base: string): LbRule[] {
  const out: LbRule[] = [];
  r.array(doc, 'Rules', base).forEach((x, i) => {
    const path = `${base}.Rules[${i}]`;
    const o = r.object(x, path);
    if (!o) return;
    const arn = r.string(o, 'RuleArn', path);
    const priority = r.string(o, 'Priority', path);
    if (!arn || !priority) return;
    const m = RULE_ARN.exec(arn);
    if (!m) {
      r.error(`${path}.RuleArn`, 'not a listener rule ARN', 'arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<lb>/<id>/<listener-id>/<rule-id>', arn);
      return;
    }
    const conditions = r.array(o, 'Conditions', path).flatMap((c) => {
      if (c === null || typeof c !== 'object') return [];
      const cond = c as JsonObject;
      const values = Array.isArray(cond['Values']) ? (cond['Values'] as unknown[]).filter((v) => typeof v === 'string') : [];
      return typeof cond['Field'] === 'string' ? [`${cond['Field']} ${values.join(',')}`.trim()] : [];
    });
    out.push({ arn, listenerArn: `${m[1]}listener/${m[2]}`, priority, conditions: conditions.join(' and '), targetGroupArns: forwardedGroups(r, o, 'Actions', path), origin: { file: r.file, path } });
  });
  return out;
}
