/**
 * What `collect --aws` fetches: the calls of the AWS CLI export, each as pages of the
 * API's output. The impure edge is a function type ({@link AwsPages}): the SDK adapter
 * implements it, tests can pass any other.
 *
 * @module
 */

/** The calls, by the top-level key their output lists under. */
export type AwsCall =
  | 'DescribeSecurityGroups'
  | 'DescribeNetworkAcls'
  | 'DescribeRouteTables'
  | 'DescribeSubnets'
  | 'DescribeInstances'
  | 'DescribeNetworkInterfaces'
  | 'DescribeInternetGateways'
  | 'DescribeManagedPrefixLists'
  | 'GetManagedPrefixListEntries'
  | Elbv2Call;

/** Elastic Load Balancing v2: the last three are asked per balancer, listener and target group. */
export type Elbv2Call = 'DescribeLoadBalancers' | 'DescribeTargetGroups' | 'DescribeListeners' | 'DescribeRules' | 'DescribeTargetHealth' | 'DescribeClassicLoadBalancers';

/** The one resource a per-resource call is about. */
export interface AwsCallParams {
  prefixListId?: string;
  loadBalancerArn?: string;
  listenerArn?: string;
  targetGroupArn?: string;
}

/** Pages of one call's output (each page an API response object). */
export type AwsPages = (call: AwsCall, params?: AwsCallParams) => AsyncIterable<Record<string, unknown>>;

/** Call, the key its pages list under, and the file the AWS CLI export names it. */
export const EXPORT_CALLS: readonly { call: AwsCall; key: string; file: string }[] = [
  { call: 'DescribeSecurityGroups', key: 'SecurityGroups', file: 'describe-security-groups.json' },
  { call: 'DescribeNetworkAcls', key: 'NetworkAcls', file: 'describe-network-acls.json' },
  { call: 'DescribeRouteTables', key: 'RouteTables', file: 'describe-route-tables.json' },
  { call: 'DescribeSubnets', key: 'Subnets', file: 'describe-subnets.json' },
  { call: 'DescribeInstances', key: 'Reservations', file: 'describe-instances.json' },
  { call: 'DescribeNetworkInterfaces', key: 'NetworkInterfaces', file: 'describe-network-interfaces.json' },
  { call: 'DescribeInternetGateways', key: 'InternetGateways', file: 'describe-internet-gateways.json' },
  { call: 'DescribeManagedPrefixLists', key: 'PrefixLists', file: 'describe-managed-prefix-lists.json' },
];
