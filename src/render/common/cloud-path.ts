/**
 * Words for the cloud layer (audit --aws): a service's cloud verdict in one line, an
 * instance's internet entries with the deciding rule of each hop.
 *
 * @module
 */
import type { ClosedBy, InternetExposure, LoadBalancerClosedBy, LoadBalancerExposure } from '../../analyze/cloud-path/types.js';
import type { ServiceReach } from '../../analyze/types.js';
import { hopsTextOf } from '../../analyze/cloud-path/path-text.js';

const CLOSED_BY: Record<ClosedBy, string> = {
  'public-address': 'no public address',
  route: 'no route to an internet gateway',
  'security-group': 'the security groups',
  'network-acl-inbound': 'the network ACL (inbound)',
  'network-acl-outbound': 'the network ACL (outbound: the reply to the client port is dropped)',
};

/** "internet: sg-1 ingress rule 3, acl-2 inbound rule 100" or "internet: closed by the security groups". */
export function serviceCloudNote(s: Pick<ServiceReach, 'cloud'>): string | null {
  if (!s.cloud) return null;
  const lbs = s.cloud.loadBalancers?.length ? `; open to the internet through load balancer ${s.cloud.loadBalancers.join(', ')}` : '';
  if (!s.cloud.internet) return `cloud: closed to the internet by ${CLOSED_BY[s.cloud.closedBy ?? 'public-address']}${lbs}`;
  return `cloud: open to the internet via ${hopsText(s.cloud.path)}${lbs}`;
}

/** The deciding rules of the filtering hops, in path order. */
export const hopsText = hopsTextOf;

export function exposurePorts(e: Pick<InternetExposure, 'proto' | 'fromPort' | 'toPort'>): string {
  if (e.proto === 'other') return 'other protocols';
  const kind = e.proto === 'icmp' || e.proto === 'ipv6-icmp' ? ' type' : '';
  return `${e.proto}${kind} ${e.fromPort === e.toPort ? e.fromPort : `${e.fromPort}-${e.toPort}`}`;
}

const LB_CLOSED_BY: Record<LoadBalancerClosedBy, string> = {
  'balancer-route': "no route to an internet gateway in the balancer's subnets",
  'balancer-security-group': "the balancer's security groups",
  'balancer-network-acl': "the network ACL of the balancer's subnets",
  'target-security-group': "the target's security groups (they do not admit the balancer)",
  'target-network-acl': "the target's network ACL",
};

/** "tcp 8080 ← load balancer app (application, HTTPS 443, target group app-80, healthy): open to the internet". */
export function loadBalancerLine(e: LoadBalancerExposure): string {
  const what = `${e.proto} ${e.targetPort} ← load balancer ${e.loadBalancer} (${e.type}, ${e.listener.protocol} ${e.listener.port}${ruleText(e.listenerRules)}, target group ${e.targetGroup}${e.health ? `, ${e.health}` : ''})`;
  return e.reachesTarget ? `${what}: open to the internet` : `${what}: closed by ${LB_CLOSED_BY[e.closedBy ?? 'balancer-route']}`;
}

/** The forwarding rules unless only the default one: ", rule priority 10: path-pattern /admin/*". */
function ruleText(rules: readonly string[] | undefined): string {
  const named = (rules ?? []).filter((r) => r !== 'default');
  return named.length > 0 ? `, rule ${named.join('; ')}` : '';
}
