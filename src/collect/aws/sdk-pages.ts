/**
 * {@link AwsPages} over the AWS SDK for JavaScript v3: the standard credential chain,
 * region and profile resolution, endpoint settings (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`,
 * `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`, `endpoint_url` in the
 * shared config) and throttling retries, all
 * as the SDK does them; the SDK's paginators follow NextToken.
 *
 * @module
 */
import {
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateGetManagedPrefixListEntries,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElasticLoadBalancingClient, paginateDescribeLoadBalancers as paginateDescribeClassicLoadBalancers } from '@aws-sdk/client-elastic-load-balancing';
import type { AwsCall, AwsCallParams, AwsPages } from './export-calls.js';

export interface SdkOptions {
  profile?: string;
  region?: string;
}

/** Throttling (RequestLimitExceeded) is retried with the SDK's backoff, more often than its default 3. */
const MAX_ATTEMPTS = 8;

export function sdkPages(options: SdkOptions = {}): AwsPages {
  const settings = {
    maxAttempts: MAX_ATTEMPTS,
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const client = new EC2Client(settings);
  let elb: ElasticLoadBalancingV2Client | undefined;
  const elbv2 = () => (elb ??= new ElasticLoadBalancingV2Client(settings));
  let clb: ElasticLoadBalancingClient | undefined;
  const classic = () => (clb ??= new ElasticLoadBalancingClient(settings));
  // 100: within every one of these calls' MaxResults bounds (network ACLs, route tables and prefix lists stop at 100).
  const config = { client, pageSize: 100 };
  return (call: AwsCall, params: AwsCallParams = {}) => {
    switch (call) {
      case 'DescribeSecurityGroups':
        return paginateDescribeSecurityGroups(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeNetworkAcls':
        return paginateDescribeNetworkAcls(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeRouteTables':
        return paginateDescribeRouteTables(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeSubnets':
        return paginateDescribeSubnets(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeInstances':
        return paginateDescribeInstances(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeNetworkInterfaces':
        return paginateDescribeNetworkInterfaces(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeInternetGateways':
        return paginateDescribeInternetGateways(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeManagedPrefixLists':
        return paginateDescribeManagedPrefixLists(config, {}) as AsyncIterable<Record<string, unknown>>;
      case 'GetManagedPrefixListEntries':
        return paginateGetManagedPrefixListEntries(config, { PrefixListId: params.prefixListId }) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeLoadBalancers':
        return paginateDescribeLoadBalancers({ client: elbv2() }, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeTargetGroups':
        return paginateDescribeTargetGroups({ client: elbv2() }, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeListeners':
        return paginateDescribeListeners({ client: elbv2() }, { LoadBalancerArn: params.loadBalancerArn }) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeRules':
        return paginateDescribeRules({ client: elbv2() }, { ListenerArn: params.listenerArn }) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeClassicLoadBalancers':
        return paginateDescribeClassicLoadBalancers({ client: classic() }, {}) as AsyncIterable<Record<string, unknown>>;
      case 'DescribeTargetHealth':
        return onePage(elbv2().send(new DescribeTargetHealthCommand({ TargetGroupArn: params.targetGroupArn })));
    }
  };
}

/** A call without pages (describe-target-health answers for the whole group at once). */
async function* onePage(response: Promise<object>): AsyncIterable<Record<string, unknown>> {
  yield (await response) as Record<string, unknown>;
}
