/**
 * A local EC2 and ELBv2 endpoint (loopback only) that replays recorded responses in each
 * API's own wire format (query protocol in, XML out; ELBv2's in elbv2-replay.ts), so the
 * real AWS SDK runs against it: its signing,
 * pagination and XML parsing. The recorded AWS CLI JSON of a fixture is turned into the
 * XML the EC2 API sends (element names as the EC2 API spells them, lists as `item`s),
 * served in pages of two with `nextToken`, and the first request of each call is
 * throttled (HTTP 503 RequestLimitExceeded) to exercise the SDK's retries.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsExportFile } from '../../src/parse/aws-json/index.js';
import { CLASSIC_VERSION, ELBV2_ACTIONS, ELBV2_THROTTLED, elbv2Response } from './elbv2-replay.js';

/** JSON member → XML element, where the EC2 API does not just lowercase the first letter. */
const RENAME: Record<string, string> = {
  SecurityGroups: 'securityGroupInfo',
  UserIdGroupPairs: 'groups',
  NetworkAcls: 'networkAclSet',
  IsDefault: 'default',
  RouteTables: 'routeTableSet',
  Routes: 'routeSet',
  Associations: 'associationSet',
  PropagatingVgws: 'propagatingVgwSet',
  Subnets: 'subnetSet',
  Reservations: 'reservationSet',
  Instances: 'instancesSet',
  PublicIpAddress: 'ipAddress',
  Groups: 'groupSet',
  Tags: 'tagSet',
  TagSet: 'tagSet',
  NetworkInterfaces: 'networkInterfaceSet',
  PrivateIpAddresses: 'privateIpAddressesSet',
  Ipv6Addresses: 'ipv6AddressesSet',
  InternetGateways: 'internetGatewaySet',
  Attachments: 'attachmentSet',
  PrefixLists: 'prefixListSet',
  Entries: 'entrySet',
};

/** Renames that depend on the parent element. */
function elementName(key: string, parent: string): string {
  if (parent === 'SecurityGroups' && key === 'Description') return 'groupDescription';
  if (parent === 'Instances' && key === 'State') return 'instanceState';
  if (parent === 'Instances' && key === 'SecurityGroups') return 'groupSet';
  return RENAME[key] ?? key[0]!.toLowerCase() + key.slice(1);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function toXml(value: unknown, parent: string): string {
  if (Array.isArray(value)) return value.map((v) => `<item>${toXml(v, parent)}</item>`).join('');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => {
        const name = elementName(k, parent);
        return `<${name}>${toXml(v, k)}</${name}>`;
      })
      .join('');
  }
  return esc(String(value));
}

const CALLS: Record<string, { file: string | RegExp; key: string }> = {
  DescribeSecurityGroups: { file: 'describe-security-groups.json', key: 'SecurityGroups' },
  DescribeNetworkAcls: { file: 'describe-network-acls.json', key: 'NetworkAcls' },
  DescribeRouteTables: { file: 'describe-route-tables.json', key: 'RouteTables' },
  DescribeSubnets: { file: 'describe-subnets.json', key: 'Subnets' },
  DescribeInstances: { file: 'describe-instances.json', key: 'Reservations' },
  DescribeNetworkInterfaces: { file: 'describe-network-interfaces.json', key: 'NetworkInterfaces' },
  DescribeInternetGateways: { file: 'describe-internet-gateways.json', key: 'InternetGateways' },
  DescribeManagedPrefixLists: { file: 'describe-managed-prefix-lists.json', key: 'PrefixLists' },
  GetManagedPrefixListEntries: { file: /get-managed-prefix-list-entries-/, key: 'Entries' },
};

export interface ReplayLog {
  action: string;
  nextToken: string | null;
  authorization: string | undefined;
  status: number;
}

export interface Replay {
  url: string;
  log: ReplayLog[];
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}

export async function startEc2Replay(files: readonly AwsExportFile[], pageSize = 2): Promise<Replay> {
  const log: ReplayLog[] = [];
  const throttled = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const form = new URLSearchParams(await body(req));
    // Classic ELB (API version 2012-06-01) shares its action names with ELBv2: logged as "elb:<Action>".
    const action = form.get('Version') === CLASSIC_VERSION ? `elb:${form.get('Action') ?? ''}` : (form.get('Action') ?? '');
    const token = form.get('NextToken') ?? form.get('Marker');
    const entry = { action, nextToken: token, authorization: req.headers['authorization'], status: 200 };
    log.push(entry);
    const spec = CALLS[action];
    const reply = (status: number, xml: string) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    };
    if (ELBV2_ACTIONS.has(action)) {
      if (throttled.has(action)) return reply(200, elbv2Response(files, action, form, pageSize));
      throttled.add(action);
      return reply(400, ELBV2_THROTTLED);
    }
    if (!spec) return reply(400, `<Response><Errors><Error><Code>InvalidAction</Code><Message>${esc(action)}</Message></Error></Errors><RequestID>0</RequestID></Response>`);
    if (!throttled.has(action)) {
      throttled.add(action);
      return reply(503, '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>0</RequestID></Response>');
    }
    const plId = form.get('PrefixListId');
    const file = files.find((f) => (typeof spec.file === 'string' ? f.name.endsWith(spec.file) : spec.file.test(f.name) && f.name.includes(`${plId}.json`)));
    const items = file ? ((JSON.parse(file.text) as Record<string, unknown[]>)[spec.key] ?? []) : [];
    const start = token ? Number(token.replace('page-', '')) : 0;
    const page = items.slice(start, start + pageSize);
    const next = start + pageSize < items.length ? `<nextToken>page-${start + pageSize}</nextToken>` : '';
    reply(200, `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><${elementName(spec.key, '')}>${toXml(page, spec.key)}</${elementName(spec.key, '')}>${next}</${action}Response>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, log, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
