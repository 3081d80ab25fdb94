/**
 * An AWS VPC network as the cloud layer reads it: security groups, network ACLs, route
 * tables, subnets, interfaces, instances, internet gateways and managed prefix lists.
 * Plain data, close to the EC2 API's own shapes but typed and checked; every element
 * keeps where it came from (file and JSON path), so verdicts can cite the rule.
 *
 * @module
 */
import type { Family } from './addr.js';
import type { Location } from './diagnostics.js';

/** IP protocol number, or 'all' (the API's "-1"). */
export type AwsProtocol = number | 'all';

/** Where a security group rule admits traffic from (ingress) or to (egress). */
export type SgPeer =
  | { kind: 'cidr'; family: Family; cidr: string }
  | { kind: 'prefix-list'; id: string }
  /** "Members of that group": never the internet. */
  | { kind: 'group'; groupId: string; userId: string | null };

export interface SgRule {
  groupId: string;
  direction: 'ingress' | 'egress';
  protocol: AwsProtocol;
  /** TCP/UDP: ports; ICMP/ICMPv6: FromPort is the type and ToPort the code (-1 = any). null when the API gives none. */
  fromPort: number | null;
  toPort: number | null;
  peer: SgPeer;
  description: string | null;
  origin: Location;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId: string | null;
  rules: SgRule[];
  origin: Location;
}

export interface NaclEntry {
  aclId: string;
  ruleNumber: number;
  egress: boolean;
  action: 'allow' | 'deny';
  protocol: AwsProtocol;
  family: Family;
  cidr: string;
  /** TCP/UDP destination ports; null = all. */
  ports: { from: number; to: number } | null;
  /** ICMP type and code; -1 = any; null = all. */
  icmp: { type: number; code: number } | null;
  origin: Location;
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NaclEntry[];
  origin: Location;
}

export interface Route {
  /** A CIDR, or a managed prefix list (`DestinationPrefixListId`, e.g. a gateway endpoint). */
  destination: { kind: 'cidr'; family: Family; cidr: string } | { kind: 'prefix-list'; id: string };
  /** The target id: "local", "igw-…", "eigw-…", "nat-…", "pcx-…", "tgw-…", "vgw-…", "eni-…", "vpce-…", "i-…". */
  target: string;
  state: 'active' | 'blackhole';
  origin: Location;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  /** The VPC's main table: used by every subnet without an explicit association. */
  main: boolean;
  subnetIds: string[];
  routes: Route[];
  origin: Location;
}

export interface Subnet {
  id: string;
  vpcId: string;
  cidrs: string[];
  origin: Location;
}

export interface NetworkInterface {
  id: string;
  subnetId: string;
  vpcId: string;
  instanceId: string | null;
  /** e.g. "interface", "network_load_balancer", "nat_gateway". */
  type: string;
  groupIds: string[];
  privateIps: string[];
  /** Public IPv4 addresses (auto-assigned or Elastic IPs) associated with it. */
  publicIps: string[];
  ipv6: string[];
  /** false when some address is not known yet (a Terraform plan's "known after apply"): group members are then unknown. */
  addressesKnown?: boolean;
  description: string | null;
  origin: Location;
}

export interface Instance {
  id: string;
  name: string | null;
  state: string;
  platform: 'linux' | 'windows';
  interfaceIds: string[];
  origin: Location;
}

export interface InternetGateway {
  id: string;
  vpcIds: string[];
  origin: Location;
}

export interface PrefixList {
  id: string;
  name: string | null;
  family: Family | null;
  /** null when the entries were not exported (`get-managed-prefix-list-entries-<id>.json` missing). */
  entries: string[] | null;
  origin: Location;
}

/** An Elastic Load Balancing v2 balancer (`aws elbv2 describe-load-balancers`). */
export interface LoadBalancer {
  arn: string;
  name: string;
  /** classic: a Classic Load Balancer (`aws elb`), read as balancer, listeners and one target group per listener. */
  type: 'application' | 'network' | 'gateway' | 'classic';
  /** Only an internet-facing balancer is an entry point from the internet. */
  scheme: 'internet-facing' | 'internal';
  vpcId: string;
  subnetIds: string[];
  /** Its own groups (an ALB always has some; an NLB only when created with them). */
  securityGroups: string[];
  /** "ipv4", "dualstack" or "dualstack-without-public-ipv4". */
  ipAddressType: string;
  origin: Location;
}

/** A listener (`aws elbv2 describe-listeners`): the port the balancer accepts on, and where its default actions forward. */
export interface LbListener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  /** HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE. */
  protocol: string;
  targetGroupArns: string[];
  /** Its rules (`aws elbv2 describe-rules --listener-arn …`, the default rule included); null when not exported. */
  rules: LbRule[] | null;
  origin: Location;
}

/** A listener rule: where requests matching its conditions are forwarded (an ALB's path, host, header… rules). */
export interface LbRule {
  arn: string;
  /** Derived from the rule's ARN (`…:listener-rule/app/<lb>/<id>/<listener>/<rule>`): describe-rules does not name it. */
  listenerArn: string;
  /** A number, or "default". */
  priority: string;
  /** The conditions as text: "path-pattern /admin/*"; empty for the default rule. */
  conditions: string;
  targetGroupArns: string[];
  origin: Location;
}

/** A target group (`aws elbv2 describe-target-groups`) with its registered targets where `describe-target-health` was exported. */
export interface TargetGroup {
  arn: string;
  name: string;
  protocol: string | null;
  port: number | null;
  targetType: 'instance' | 'ip' | 'lambda' | 'alb';
  loadBalancerArns: string[];
  /** null when `describe-target-health-<name>.json` was not exported: the targets are then unknown. */
  targets: LbTarget[] | null;
  origin: Location;
}

export interface LbTarget {
  /** An instance id, an IP address, a Lambda or ALB ARN, by the group's target type. */
  id: string;
  port: number | null;
  /** initial, healthy, unhealthy, unused, draining, unavailable, or null when not given. */
  health: string | null;
  origin: Location;
}

export interface AwsNetwork {
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  routeTables: RouteTable[];
  subnets: Subnet[];
  interfaces: NetworkInterface[];
  instances: Instance[];
  internetGateways: InternetGateway[];
  prefixLists: PrefixList[];
  loadBalancers: LoadBalancer[];
  listeners: LbListener[];
  targetGroups: TargetGroup[];
  /** The calls whose output was read, by top-level key ("SecurityGroups", "NetworkInterfaces", …). */
  calls: string[];
}

export function emptyAwsNetwork(): AwsNetwork {
  return { securityGroups: [], networkAcls: [], routeTables: [], subnets: [], interfaces: [], instances: [], internetGateways: [], prefixLists: [], loadBalancers: [], listeners: [], targetGroups: [], calls: [] };
}
