/**
 * Words for the cloud layer (audit --aws): a service's cloud verdict in one line, an
 * instance's internet entries with the deciding rule of each hop.
 *
 * @module
 */
import type { ClosedBy, InternetExposure } from '../../analyze/cloud-path/types.js';
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
  if (!s.cloud.internet) return `cloud: closed to the internet by ${CLOSED_BY[s.cloud.closedBy ?? 'public-address']}`;
  return `cloud: open to the internet via ${hopsText(s.cloud.path)}`;
}

/** The deciding rules of the filtering hops, in path order. */
export const hopsText = hopsTextOf;

export function exposurePorts(e: Pick<InternetExposure, 'proto' | 'fromPort' | 'toPort'>): string {
  if (e.proto === 'other') return 'other protocols';
  const kind = e.proto === 'icmp' || e.proto === 'ipv6-icmp' ? ' type' : '';
  return `${e.proto}${kind} ${e.fromPort === e.toPort ? e.fromPort : `${e.fromPort}-${e.toPort}`}`;
}
