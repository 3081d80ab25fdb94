/**
 * The Elastic Load Balancing v2 calls: `aws elbv2 describe-load-balancers`,
 * `describe-listeners`, `describe-target-groups` and `describe-target-health` (whose
 * output does not name its target group: the file name does,
 * `describe-target-health-<target-group-name>.json`).
 *
 * @module
 */
import type { LbListener, LbTarget, LoadBalancer, TargetGroup } from '../../model/aws-network.js';
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
    // A forward action names one group (TargetGroupArn) or several (ForwardConfig.TargetGroups); both may be present.
    const targetGroupArns = new Set<string>();
    r.array(o, 'DefaultActions', path).forEach((a, k) => {
      const ap = `${path}.DefaultActions[${k}]`;
      const action = r.object(a, ap);
      if (!action || action['Type'] !== 'forward') return;
      const single = r.optionalString(action, 'TargetGroupArn', ap);
      if (single) targetGroupArns.add(single);
      const config = action['ForwardConfig'] === undefined ? null : r.object(action['ForwardConfig'], `${ap}.ForwardConfig`);
      if (config) {
        r.array(config, 'TargetGroups', `${ap}.ForwardConfig`).forEach((t, n) => {
          const to = r.object(t, `${ap}.ForwardConfig.TargetGroups[${n}]`);
          const tg = to && r.string(to, 'TargetGroupArn', `${ap}.ForwardConfig.TargetGroups[${n}]`);
          if (tg) targetGroupArns.add(tg);
        });
      }
    });
    out.push({ arn, loadBalancerArn, port, protocol, targetGroupArns: [...targetGroupArns], origin: { file: r.file, path } });
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
