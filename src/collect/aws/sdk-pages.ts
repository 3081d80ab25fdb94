/**
 * {@link AwsPages} over the AWS SDK for JavaScript v3: the standard credential chain,
 * region and profile resolution, endpoint settings (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_EC2`, `endpoint_url` in the shared config) and throttling retries, all
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
import type { AwsCall, AwsPages } from './export-calls.js';

export interface SdkOptions {
  profile?: string;
  region?: string;
}

/** Throttling (RequestLimitExceeded) is retried with the SDK's backoff, more often than its default 3. */
const MAX_ATTEMPTS = 8;

export function sdkPages(options: SdkOptions = {}): AwsPages {
  const client = new EC2Client({
    maxAttempts: MAX_ATTEMPTS,
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  // 100: within every one of these calls' MaxResults bounds (network ACLs, route tables and prefix lists stop at 100).
  const config = { client, pageSize: 100 };
  return (call: AwsCall, params?: { prefixListId: string }) => {
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
        return paginateGetManagedPrefixListEntries({ client, pageSize: 100 }, { PrefixListId: params!.prefixListId }) as AsyncIterable<Record<string, unknown>>;
    }
  };
}
