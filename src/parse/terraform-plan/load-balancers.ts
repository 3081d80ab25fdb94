/**
 * Terraform's ELBv2 resources → the balancers, listeners (with their rules), target groups
 * and registered targets the AWS CLI export gives: `aws_lb` (`aws_alb`), `aws_lb_listener`,
 * `aws_lb_listener_rule`, `aws_lb_target_group`, `aws_lb_target_group_attachment`.
 * ARNs the plan does not know yet are the resource addresses, as every other id.
 *
 * @module
 */
import type { AwsNetwork, LbListener, LbRule, LbTarget, LoadBalancer, TargetGroup } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from '../aws-json/json-reader.js';
import type { PlanIndex, PlanResource } from './plan-index.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.map((x) => (x ?? {}) as JsonObject) : []);
/** The expression of the k-th block (one expression for every block of a dynamic or counted one). */
const nth = (exprs: unknown, k: number): JsonObject => {
  const l = list(exprs);
  return l.length === 1 ? l[0]! : (l[k] ?? {});
};

const LB_TYPES = ['application', 'network', 'gateway'] as const;
const TARGET_TYPES = ['instance', 'ip', 'lambda', 'alb'] as const;

export function readLoadBalancers(plan: PlanIndex, r: JsonReader, net: AwsNetwork, subnetVpc: ReadonlyMap<string, string>): void {
  const origin = (res: PlanResource, sub = '') => ({ file: r.file, path: `${res.path}${sub}` });
  for (const b of plan.ofType('aws_lb', 'aws_alb')) {
    const type = str(b.values['load_balancer_type']) ?? 'application';
    if (!(LB_TYPES as readonly string[]).includes(type)) {
      r.error(`${b.path}.load_balancer_type`, 'unknown load balancer type', LB_TYPES.join(', '), type);
      continue;
    }
    const mapped = list(b.values['subnet_mapping']).flatMap((m, k) => plan.refs(b, 'subnet_id', nth(b.expressions['subnet_mapping'], k), m, nth(b.unknown['subnet_mapping'], k)));
    const subnetIds = [...new Set([...plan.refs(b, 'subnets'), ...mapped])];
    if (subnetIds.length === 0) r.warn(`${b.path}.subnets`, 'assumed.terraform.unknown', `${b.address}: its subnets are known after apply and name no subnet of the plan: the balancer is left out`);
    net.loadBalancers.push({
      arn: plan.idOf(b),
      name: str(b.values['name']) ?? b.address,
      type: type as LoadBalancer['type'],
      // The provider's default is internet-facing (internal = false).
      scheme: b.values['internal'] === true ? 'internal' : 'internet-facing',
      vpcId: subnetIds.map((s) => subnetVpc.get(s)).find((v) => v !== undefined) ?? 'unknown VPC',
      subnetIds,
      securityGroups: plan.refs(b, 'security_groups'),
      ipAddressType: str(b.values['ip_address_type']) ?? 'ipv4',
      origin: origin(b),
    });
  }

  const groups = new Map<string, TargetGroup>();
  for (const g of plan.ofType('aws_lb_target_group', 'aws_alb_target_group')) {
    const targetType = str(g.values['target_type']) ?? 'instance';
    if (!(TARGET_TYPES as readonly string[]).includes(targetType)) {
      r.error(`${g.path}.target_type`, 'unknown target type', TARGET_TYPES.join(', '), targetType);
      continue;
    }
    const tg: TargetGroup = { arn: plan.idOf(g), name: str(g.values['name']) ?? g.address, protocol: str(g.values['protocol']), port: num(g.values['port']), targetType: targetType as TargetGroup['targetType'], loadBalancerArns: [], targets: [], origin: origin(g) };
    groups.set(tg.arn, tg);
    net.targetGroups.push(tg);
  }

  for (const l of plan.ofType('aws_lb_listener', 'aws_alb_listener')) {
    const loadBalancerArn = plan.refs(l, 'load_balancer_arn')[0];
    const lb = net.loadBalancers.find((x) => x.arn === loadBalancerArn);
    if (!lb) {
      r.error(`${l.path}.load_balancer_arn`, `${l.address} names a load balancer that is not in the plan`, 'a reference to an aws_lb of the plan', l.values['load_balancer_arn'] ?? null);
      continue;
    }
    const port = num(l.values['port']);
    if (port === null) {
      r.warn(`${l.path}.port`, 'assumed.terraform.unknown', `${l.address}: no port: the listener is left out`);
      continue;
    }
    const arn = plan.idOf(l);
    const listener: LbListener = {
      arn,
      loadBalancerArn: lb.arn,
      port,
      // The provider's defaults: HTTP for an ALB, TCP for an NLB.
      protocol: str(l.values['protocol']) ?? (lb.type === 'application' ? 'HTTP' : 'TCP'),
      targetGroupArns: forwarded(plan, l, 'default_action'),
      // The plan is the whole truth about the rules it manages; an ALB listener always has its default rule.
      rules: lb.type === 'application' ? [{ arn: `${arn} (default rule)`, listenerArn: arn, priority: 'default', conditions: '', targetGroupArns: [], origin: origin(l, '.default_action') }] : null,
      origin: origin(l),
    };
    listener.rules?.[0]!.targetGroupArns.push(...listener.targetGroupArns);
    net.listeners.push(listener);
  }

  for (const x of plan.ofType('aws_lb_listener_rule', 'aws_alb_listener_rule')) {
    const listenerArn = plan.refs(x, 'listener_arn')[0];
    const listener = net.listeners.find((l) => l.arn === listenerArn);
    if (!listener) {
      r.error(`${x.path}.listener_arn`, `${x.address} names a listener that is not in the plan`, 'a reference to an aws_lb_listener of the plan', x.values['listener_arn'] ?? null);
      continue;
    }
    const rule: LbRule = { arn: plan.idOf(x), listenerArn: listener.arn, priority: String(num(x.values['priority']) ?? 'known after apply'), conditions: conditionsText(x.values['condition']), targetGroupArns: forwarded(plan, x, 'action'), origin: origin(x) };
    listener.rules = [...(listener.rules ?? []), rule];
  }
  for (const l of net.listeners) l.rules?.sort((a, b) => (a.priority === 'default' ? 1 : b.priority === 'default' ? -1 : Number(a.priority) - Number(b.priority)));

  // What AWS reports as a group's balancers: those whose listeners forward to it.
  for (const l of net.listeners) {
    for (const arn of [...l.targetGroupArns, ...(l.rules ?? []).flatMap((x) => x.targetGroupArns)]) {
      const tg = groups.get(arn);
      if (tg && !tg.loadBalancerArns.includes(l.loadBalancerArn)) tg.loadBalancerArns.push(l.loadBalancerArn);
    }
  }

  for (const a of plan.ofType('aws_lb_target_group_attachment', 'aws_alb_target_group_attachment')) {
    const tg = groups.get(plan.refs(a, 'target_group_arn')[0] ?? '');
    if (!tg) {
      r.error(`${a.path}.target_group_arn`, `${a.address} names a target group that is not in the plan`, 'a reference to an aws_lb_target_group of the plan', a.values['target_group_arn'] ?? null);
      continue;
    }
    const id = plan.refs(a, 'target_id')[0];
    if (!id) {
      r.warn(`${a.path}.target_id`, 'assumed.terraform.unknown', `${a.address}: a target known after apply that names nothing in the plan: left out`);
      continue;
    }
    tg.targets!.push({ id, port: num(a.values['port']), health: null, origin: origin(a) } satisfies LbTarget);
  }
  // Autoscaling groups register their instances at run time: the plan cannot say which.
  for (const s of plan.ofType('aws_autoscaling_group', 'aws_autoscaling_attachment')) {
    for (const arn of [...plan.refs(s, 'target_group_arns'), ...plan.refs(s, 'lb_target_group_arn')]) {
      const tg = groups.get(arn);
      if (tg && tg.targets !== null) {
        tg.targets = null;
        r.warn(s.path, 'assumed.terraform.unknown', `${s.address} registers instances in ${tg.name} at run time: its targets are unknown`);
      }
    }
  }
}

/** The groups the forward actions of a block list name: `target_group_arn`, or `forward { target_group { arn } }`. */
function forwarded(plan: PlanIndex, res: PlanResource, key: string): string[] {
  const out = new Set<string>();
  list(res.values[key]).forEach((action, k) => {
    if (action['type'] !== 'forward') return;
    const expr = nth(res.expressions[key], k);
    const unknown = nth(res.unknown[key], k);
    for (const id of plan.refs(res, 'target_group_arn', expr, action, unknown)) out.add(id);
    list(action['forward']).forEach((f, n) => {
      list(f['target_group']).forEach((t, m) => {
        const te = nth(nth(expr['forward'], n)['target_group'], m);
        const tu = nth(nth(unknown['forward'], n)['target_group'], m);
        for (const id of plan.refs(res, 'arn', te, t, tu)) out.add(id);
      });
    });
  });
  return [...out];
}

/** `condition { path_pattern { values = […] } }` → "path-pattern /admin/*", as the AWS CLI's Field names them. */
function conditionsText(conditions: unknown): string {
  return list(conditions)
    .flatMap((c) =>
      Object.entries(c).flatMap(([field, blocks]) =>
        list(blocks).map((b) => `${field.replace(/_/g, '-')} ${(Array.isArray(b['values']) ? b['values'] : []).filter((v) => typeof v === 'string').join(',')}`.trim()),
      ),
    )
    .join(' and ');
}
