/**
 * What the cloud layer reports per instance, as plain JSON-ready data
 * (schemas/audit.schema.json, `hosts[].cloud` and `hosts[].internet`).
 *
 * @module
 */
import type { Location } from '../../model/diagnostics.js';
import type { SourceLists } from '../types.js';

/** One rule (or route) of a cloud layer that decided part of a flow. */
export interface CloudRuleRef {
  /** The resource: "sg-…", "acl-…", "rtb-…", "igw-…", "eni-…". */
  id: string;
  /** Which rule of it: "ingress rule 3", "inbound rule 100", "route 0.0.0.0/0". */
  rule: string;
  /** What it says: "allow tcp 22 from 0.0.0.0/0". */
  text: string;
  origin?: Location;
  /** Security group rules: the rule as `--ip-permissions` JSON of the AWS CLI (one peer), for revoke commands. */
  ipPermission?: string;
}

export type CloudLayer = 'internet-gateway' | 'route-table' | 'network-acl-inbound' | 'network-acl-outbound' | 'security-group' | 'network-interface';

export interface PathHop {
  layer: CloudLayer;
  id: string;
  /** The deciding rules of this hop for the flows of the entry. */
  rules: CloudRuleRef[];
}

/** What the internet can open a new connection to on one instance. */
export interface InternetExposure {
  /** "tcp", "udp", "icmp", "ipv6-icmp" or "other" (every further protocol, e.g. from IpProtocol -1). */
  proto: string;
  /** Ports, inclusive; for ICMP, ICMP types. */
  fromPort: number;
  toPort: number;
  sources: SourceLists;
  path: PathHop[];
}

/** A connection the inbound rules admit but whose reply the outbound network ACL drops. */
export interface ReturnBlocked {
  proto: string;
  fromPort: number;
  toPort: number;
  sources: SourceLists;
  networkAcl: string;
}

/** A network ACL inbound rule that admits a wide port range (the ephemeral ports) from the whole internet. */
export interface WideAclRule {
  aclId: string;
  ruleNumber: number;
  text: string;
  proto: string;
  fromPort: number;
  toPort: number;
  cidr: string;
}

/** A security group ingress rule open to 0.0.0.0/0 or ::/0, whether or not a path uses it. */
export interface OpenGroupRule {
  ref: CloudRuleRef;
  proto: string;
  fromPort: number;
  toPort: number;
}

export interface CloudInterface {
  id: string;
  subnetId: string;
  privateIps: string[];
  publicIps: string[];
  ipv6: string[];
  securityGroups: string[];
  networkAcl: string | null;
  routeTable: string | null;
}

/** Which layer closes a port to the internet, checked in path order. */
export type ClosedBy = 'public-address' | 'route' | 'security-group' | 'network-acl-inbound' | 'network-acl-outbound';

export interface CloudHostFacts {
  provider: 'aws';
  instanceId: string;
  /** The `Name` tag. */
  name: string | null;
  state: string;
  interfaces: CloudInterface[];
  returnBlocked: ReturnBlocked[];
  wideAclRules: WideAclRule[];
  openGroupRules: OpenGroupRule[];
  /** What was assumed where the export says too little (as Reachability Analyzer lists them). */
  assumptions: string[];
  /** Internet-facing load balancers that forward to this instance (absent when the export has none). */
  loadBalancers?: LoadBalancerExposure[];
  /** The host snapshot joined with this instance, and how it was matched. */
  joined: { hostname: string; by: 'instance-id' | 'private-address' } | null;
}

/** The cloud part of one service's path, when a host snapshot is joined with its instance. */
export interface ServiceCloudPath {
  /** Whether the internet can open a connection through the cloud layers (before the host firewall). */
  internet: boolean;
  closedBy: ClosedBy | null;
  path: PathHop[];
  /** Internet-facing balancers that forward the internet to this port: "web (TCP 443)". Absent when none. */
  loadBalancers?: string[];
  /** Internet sources that reach the socket through those balancers, the host firewall admitting what it sees of them. Absent when none. */
  balancerSources?: SourceLists;
}

/** Which layer stops the internet from reaching a target through a balancer, in path order. */
export type LoadBalancerClosedBy = 'balancer-route' | 'balancer-security-group' | 'balancer-network-acl' | 'target-security-group' | 'target-network-acl';

/** An internet-facing load balancer listener that forwards to a port of this instance. */
export interface LoadBalancerExposure {
  loadBalancer: string;
  loadBalancerArn: string;
  type: 'application' | 'network' | 'classic';
  listener: { protocol: string; port: number };
  /** The listener rules that forward to the group ("default", "priority 10: path-pattern /admin/*"); absent when describe-rules was not exported. */
  listenerRules?: string[];
  targetGroup: string;
  proto: 'tcp' | 'udp';
  /** The instance port the balancer forwards to. */
  targetPort: number;
  /** The target's health state (describe-target-health), null when not given. Unhealthy targets still count: a balancer fails open when all are. */
  health: string | null;
  /** Whether a connection from the internet gets through to the target port. */
  reachesTarget: boolean;
  closedBy: LoadBalancerClosedBy | null;
  /** Internet sources that get through (empty when it does not reach). */
  sources: SourceLists;
  /** The source addresses the target sees for them: the balancer's own (ALB, NLB to ip targets) or the clients' (NLB to instances). */
  seenFrom: SourceLists;
  /** The balancer's front (internet gateway, route, ACL, its groups) then the target's groups, ACL and interface. */
  path: PathHop[];
}
