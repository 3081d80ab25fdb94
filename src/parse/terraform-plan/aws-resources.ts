/**
 * Terraform AWS resources → the same {@link AwsNetwork} the AWS CLI export gives, so one
 * analysis serves both. Ids the plan does not know yet are the resource addresses; what
 * AWS creates implicitly (a VPC's main route table with its local routes, its default
 * network ACL that allows everything) is added as AWS documents it.
 *
 * @module
 */
import { parseCidr } from '../../model/addr.js';
import type { AwsNetwork, NaclEntry, NetworkInterface, Route, RouteTable, SecurityGroup, SgPeer, SgRule } from '../../model/aws-network.js';
import { emptyAwsNetwork } from '../../model/aws-network.js';
import { protocolNumber } from '../../model/protocols.js';
import type { JsonObject, JsonReader } from '../aws-json/json-reader.js';
import { readLoadBalancers } from './load-balancers.js';
import type { PlanIndex, PlanResource } from './plan-index.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function protocol(r: JsonReader, v: unknown, path: string): number | 'all' | null {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
  if (text === '-1' || text === 'all') return 'all';
  const n = text === null ? null : protocolNumber(text);
  if (n === null) r.error(path, 'unknown protocol', '"tcp", "udp", "icmp", "icmpv6", "-1", "all" or a protocol number', v);
  return n;
}

export function planToAwsNetwork(plan: PlanIndex, r: JsonReader): AwsNetwork {
  const net = emptyAwsNetwork();
  net.calls = ['SecurityGroups', 'NetworkAcls', 'RouteTables', 'Subnets', 'Reservations', 'NetworkInterfaces', 'InternetGateways', 'PrefixLists'];
  const origin = (res: PlanResource, sub = '') => ({ file: r.file, path: `${res.path}${sub}` });
  const vpcCidrs = new Map<string, string[]>();

  for (const v of plan.ofType('aws_vpc')) {
    const id = plan.idOf(v);
    const cidrs = [str(v.values['cidr_block']), str(v.values['ipv6_cidr_block'])].filter((x): x is string => x !== null);
    if (plan.isUnknown(v, 'ipv6_cidr_block') && v.values['assign_generated_ipv6_cidr_block'] === true) r.warn(`${v.path}.ipv6_cidr_block`, 'assumed.terraform.unknown', `${v.address}: the IPv6 block is known after apply: IPv6 routing inside the VPC is not modelled until it is`);
    vpcCidrs.set(id, cidrs);
    // AWS gives every VPC a main route table (local routes only) and a default ACL that allows everything.
    net.routeTables.push({ id: `${id} (main route table)`, vpcId: id, main: true, subnetIds: [], routes: [], origin: origin(v) });
    const all = (egress: boolean, cidr: string): NaclEntry => ({ aclId: `${id} (default network ACL)`, ruleNumber: 100, egress, action: 'allow', protocol: 'all', family: cidr.includes(':') ? 'ipv6' : 'ipv4', cidr, ports: null, icmp: null, origin: origin(v) });
    net.networkAcls.push({ id: `${id} (default network ACL)`, vpcId: id, isDefault: true, subnetIds: [], entries: [all(false, '0.0.0.0/0'), all(true, '0.0.0.0/0'), all(false, '::/0'), all(true, '::/0')], origin: origin(v) });
  }

  const subnetVpc = new Map<string, string>();
  const subnetPublic = new Map<string, boolean>();
  for (const s of plan.ofType('aws_subnet', 'aws_default_subnet')) {
    const id = plan.idOf(s);
    const vpcId = plan.refs(s, 'vpc_id')[0] ?? 'unknown VPC';
    subnetVpc.set(id, vpcId);
    subnetPublic.set(id, s.values['map_public_ip_on_launch'] === true);
    net.subnets.push({ id, vpcId, cidrs: [str(s.values['cidr_block']), str(s.values['ipv6_cidr_block'])].filter((x): x is string => x !== null), origin: origin(s) });
  }

  for (const g of plan.ofType('aws_internet_gateway')) net.internetGateways.push({ id: plan.idOf(g), vpcIds: plan.refs(g, 'vpc_id'), origin: origin(g) });

  for (const p of plan.ofType('aws_ec2_managed_prefix_list')) {
    const entries = list(p.values['entry']).map((e) => str((e as JsonObject)?.['cidr'])).filter((x): x is string => x !== null);
    const af = str(p.values['address_family']);
    net.prefixLists.push({ id: plan.idOf(p), name: str(p.values['name']), family: af === 'IPv6' ? 'ipv6' : af === 'IPv4' ? 'ipv4' : null, entries, origin: origin(p) });
  }

  readSecurityGroups(plan, r, net);
  readNetworkAcls(plan, r, net);
  readRouteTables(plan, r, net, vpcCidrs);
  readInstances(plan, r, net, subnetVpc, subnetPublic);
  readLoadBalancers(plan, r, net, subnetVpc);
  return net;
}

function peersOf(plan: PlanIndex, res: PlanResource, block: JsonObject, blockExpr: JsonObject, blockUnknown: JsonObject, selfId: string): SgPeer[] {
  const peers: SgPeer[] = [];
  for (const c of list(block['cidr_blocks'])) if (str(c)) peers.push({ kind: 'cidr', family: 'ipv4', cidr: c as string });
  for (const c of list(block['ipv6_cidr_blocks'])) if (str(c)) peers.push({ kind: 'cidr', family: 'ipv6', cidr: c as string });
  for (const key of ['cidr_ipv4', 'cidr_ipv6']) {
    const c = str(block[key]);
    if (c) peers.push({ kind: 'cidr', family: key === 'cidr_ipv4' ? 'ipv4' : 'ipv6', cidr: c });
  }
  for (const key of ['prefix_list_ids', 'prefix_list_id']) for (const id of plan.refs(res, key, blockExpr, block, blockUnknown)) peers.push({ kind: 'prefix-list', id });
  for (const key of ['security_groups', 'source_security_group_id', 'referenced_security_group_id']) for (const id of plan.refs(res, key, blockExpr, block, blockUnknown)) peers.push({ kind: 'group', groupId: id, userId: null });
  if (block['self'] === true) peers.push({ kind: 'group', groupId: selfId, userId: null });
  return peers;
}

function pushRule(r: JsonReader, group: SecurityGroup, block: JsonObject, peers: SgPeer[], direction: SgRule['direction'], at: string, protoKey = 'protocol'): void {
  const proto = protocol(r, block[protoKey], `${at}.${protoKey}`);
  if (proto === null) return;
  if (peers.length === 0) r.warn(at, 'assumed.terraform.unknown', `${group.id}: a rule whose sources are known after apply, and not a reference to a resource of the plan: left out`);
  for (const peer of peers) {
    if (peer.kind === 'cidr' && !parseCidr(peer.cidr)) {
      r.error(at, 'not a CIDR', 'e.g. "203.0.113.0/24"', peer.cidr);
      continue;
    }
    group.rules.push({ groupId: group.id, direction, protocol: proto, fromPort: num(block['from_port']), toPort: num(block['to_port']), peer, description: str(block['description']), origin: { file: r.file, path: at } });
  }
}

function readSecurityGroups(plan: PlanIndex, r: JsonReader, net: AwsNetwork): void {
  const byId = new Map<string, SecurityGroup>();
  for (const g of plan.ofType('aws_security_group', 'aws_default_security_group')) {
    const id = plan.idOf(g);
    const group: SecurityGroup = { id, name: str(g.values['name']) ?? g.address, vpcId: plan.refs(g, 'vpc_id')[0] ?? null, rules: [], origin: { file: r.file, path: g.path } };
    for (const [key, direction] of [['ingress', 'ingress'], ['egress', 'egress']] as const) {
      const exprs = list(g.expressions[key]);
      const unknowns = list(g.unknown[key]);
      list(g.values[key]).forEach((b, i) => {
        const block = (b ?? {}) as JsonObject;
        pushRule(r, group, block, peersOf(plan, g, block, (exprs.length === 1 ? exprs[0] : exprs[i] ?? {}) as JsonObject, (unknowns[i] ?? {}) as JsonObject, id), direction, `${g.path}.${key}[${i}]`);
      });
    }
    byId.set(id, group);
    net.securityGroups.push(group);
  }
  const groupOf = (res: PlanResource): SecurityGroup | null => {
    const id = plan.refs(res, 'security_group_id')[0];
    const group = id ? byId.get(id) : undefined;
    if (!group) r.error(`${res.path}.security_group_id`, `${res.address} names a security group that is not in the plan`, 'a security group id or a reference to an aws_security_group of the plan', res.values['security_group_id'] ?? null);
    return group ?? null;
  };
  for (const x of plan.ofType('aws_security_group_rule')) {
    const group = groupOf(x);
    if (group) pushRule(r, group, x.values, peersOf(plan, x, x.values, x.expressions, x.unknown, group.id), x.values['type'] === 'egress' ? 'egress' : 'ingress', x.path);
  }
  for (const x of plan.ofType('aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule')) {
    const group = groupOf(x);
    if (group) pushRule(r, group, x.values, peersOf(plan, x, x.values, x.expressions, x.unknown, group.id), x.type.endsWith('egress_rule') ? 'egress' : 'ingress', x.path, 'ip_protocol');
  }
}

function aclEntry(r: JsonReader, aclId: string, b: JsonObject, egress: boolean, at: string): NaclEntry | null {
  const proto = protocol(r, b['protocol'], `${at}.protocol`);
  const cidr = str(b['cidr_block']) ?? str(b['ipv6_cidr_block']);
  const parsed = cidr ? parseCidr(cidr) : null;
  const rule = num(b['rule_no'] ?? b['rule_number']);
  const action = b['action'] ?? b['rule_action'];
  if (!parsed || proto === null || rule === null || (action !== 'allow' && action !== 'deny')) {
    if (proto !== null) r.error(at, 'network ACL rule without a usable CIDR, rule number or action', 'cidr_block or ipv6_cidr_block, rule_no (1-32766), action "allow" or "deny"', b);
    return null;
  }
  const ported = proto === 6 || proto === 17;
  const from = num(b['from_port']);
  const to = num(b['to_port']);
  const icmpType = num(b['icmp_type']);
  return {
    aclId,
    ruleNumber: rule,
    egress,
    action,
    protocol: proto,
    family: parsed.family,
    cidr: cidr!,
    ports: ported && from !== null && to !== null ? { from, to } : null,
    icmp: !ported && icmpType !== null ? { type: icmpType, code: num(b['icmp_code']) ?? -1 } : null,
    origin: { file: r.file, path: at },
  };
}

function readNetworkAcls(plan: PlanIndex, r: JsonReader, net: AwsNetwork): void {
  const byId = new Map(net.networkAcls.map((a) => [a.id, a]));
  for (const a of plan.ofType('aws_network_acl', 'aws_default_network_acl')) {
    const isDefault = a.type === 'aws_default_network_acl';
    const vpcId = isDefault ? (plan.refs(a, 'default_network_acl_id')[0] ?? 'unknown VPC') : (plan.refs(a, 'vpc_id')[0] ?? 'unknown VPC');
    // aws_default_network_acl takes over the VPC's default ACL: its rules replace the allow-all ones.
    const id = isDefault ? `${vpcId} (default network ACL)` : plan.idOf(a);
    const acl = byId.get(id) ?? { id, vpcId, isDefault, subnetIds: [], entries: [], origin: { file: r.file, path: a.path } };
    acl.entries = [];
    acl.subnetIds.push(...plan.refs(a, 'subnet_ids'));
    for (const [key, egress] of [['ingress', false], ['egress', true]] as const) {
      list(a.values[key]).forEach((b, i) => {
        const e = aclEntry(r, id, (b ?? {}) as JsonObject, egress, `${a.path}.${key}[${i}]`);
        if (e) acl.entries.push(e);
      });
    }
    if (!byId.has(id)) {
      byId.set(id, acl);
      net.networkAcls.push(acl);
    }
  }
  for (const x of plan.ofType('aws_network_acl_rule')) {
    const acl = byId.get(plan.refs(x, 'network_acl_id')[0] ?? '');
    if (!acl) {
      r.error(`${x.path}.network_acl_id`, `${x.address} names a network ACL that is not in the plan`, 'a reference to an aws_network_acl of the plan', x.values['network_acl_id'] ?? null);
      continue;
    }
    const e = aclEntry(r, acl.id, x.values, x.values['egress'] === true, x.path);
    if (e) acl.entries.push(e);
  }
  for (const x of plan.ofType('aws_network_acl_association')) {
    const acl = byId.get(plan.refs(x, 'network_acl_id')[0] ?? '');
    const subnet = plan.refs(x, 'subnet_id')[0];
    if (acl && subnet) acl.subnetIds.push(subnet);
  }
  // A subnet in a non-default ACL leaves its VPC's default ACL.
  for (const acl of net.networkAcls) if (!acl.isDefault) for (const s of acl.subnetIds) for (const d of net.networkAcls) if (d.isDefault) d.subnetIds = d.subnetIds.filter((x) => x !== s);
}

const TARGETS = ['gateway_id', 'egress_only_gateway_id', 'nat_gateway_id', 'transit_gateway_id', 'vpc_peering_connection_id', 'network_interface_id', 'vpc_endpoint_id', 'local_gateway_id', 'carrier_gateway_id', 'core_network_arn', 'instance_id'];

function route(plan: PlanIndex, res: PlanResource, b: JsonObject, expr: JsonObject, unknown: JsonObject, at: string, r: JsonReader): Route | null {
  const cidr = str(b['cidr_block']) ?? str(b['destination_cidr_block']) ?? str(b['ipv6_cidr_block']) ?? str(b['destination_ipv6_cidr_block']);
  const pl = str(b['destination_prefix_list_id']);
  let target: string | null = null;
  for (const key of TARGETS) {
    target = plan.refs(res, key, expr, b, unknown)[0] ?? null;
    if (target) break;
  }
  const c = cidr ? parseCidr(cidr) : null;
  if ((!c && !pl) || !target) {
    r.warn(at, 'assumed.terraform.unknown', `${res.address}: a route whose destination or target is known after apply: left out`);
    return null;
  }
  return { destination: c ? { kind: 'cidr', family: c.family, cidr: cidr! } : { kind: 'prefix-list', id: pl! }, target, state: 'active', origin: { file: r.file, path: at } };
}

function readRouteTables(plan: PlanIndex, r: JsonReader, net: AwsNetwork, vpcCidrs: Map<string, string[]>): void {
  const byId = new Map(net.routeTables.map((t) => [t.id, t]));
  for (const t of plan.ofType('aws_route_table', 'aws_default_route_table')) {
    const isDefault = t.type === 'aws_default_route_table';
    const vpcId = isDefault ? (plan.refs(t, 'default_route_table_id')[0] ?? 'unknown VPC') : (plan.refs(t, 'vpc_id')[0] ?? 'unknown VPC');
    const id = isDefault ? `${vpcId} (main route table)` : plan.idOf(t);
    const table: RouteTable = byId.get(id) ?? { id, vpcId, main: isDefault, subnetIds: [], routes: [], origin: { file: r.file, path: t.path } };
    const exprs = list(t.expressions['route']);
    list(t.values['route']).forEach((b, i) => {
      const x = route(plan, t, (b ?? {}) as JsonObject, (exprs[i] ?? {}) as JsonObject, (list(t.unknown['route'])[i] ?? {}) as JsonObject, `${t.path}.route[${i}]`, r);
      if (x) table.routes.push(x);
    });
    if (!byId.has(id)) {
      byId.set(id, table);
      net.routeTables.push(table);
    }
  }
  for (const x of plan.ofType('aws_route')) {
    const table = byId.get(plan.refs(x, 'route_table_id')[0] ?? '');
    const rt = table && route(plan, x, x.values, x.expressions, x.unknown, x.path, r);
    if (!table) r.error(`${x.path}.route_table_id`, `${x.address} names a route table that is not in the plan`, 'a reference to an aws_route_table of the plan', x.values['route_table_id'] ?? null);
    else if (rt) table.routes.push(rt);
  }
  for (const x of plan.ofType('aws_route_table_association')) {
    const table = byId.get(plan.refs(x, 'route_table_id')[0] ?? '');
    const subnet = plan.refs(x, 'subnet_id')[0];
    if (table && subnet) table.subnetIds.push(subnet);
  }
  for (const x of plan.ofType('aws_main_route_table_association')) {
    const table = byId.get(plan.refs(x, 'route_table_id')[0] ?? '');
    const vpc = plan.refs(x, 'vpc_id')[0];
    if (!table || !vpc) continue;
    for (const t of net.routeTables) if (t.vpcId === vpc) t.main = t === table;
  }
  // Every table of a VPC routes the VPC's own blocks locally.
  for (const t of net.routeTables) {
    for (const cidr of vpcCidrs.get(t.vpcId) ?? []) {
      const c = parseCidr(cidr)!;
      t.routes.unshift({ destination: { kind: 'cidr', family: c.family, cidr }, target: 'local', state: 'active', origin: t.origin });
    }
  }
}

function readInstances(plan: PlanIndex, r: JsonReader, net: AwsNetwork, subnetVpc: Map<string, string>, subnetPublic: Map<string, boolean>): void {
  const enis = new Map<string, NetworkInterface>();
  for (const n of plan.ofType('aws_network_interface')) {
    const subnetId = plan.refs(n, 'subnet_id')[0] ?? 'unknown subnet';
    const eni: NetworkInterface = {
      id: plan.idOf(n),
      subnetId,
      vpcId: subnetVpc.get(subnetId) ?? 'unknown VPC',
      instanceId: null,
      type: 'interface',
      groupIds: plan.refs(n, 'security_groups'),
      privateIps: list(n.values['private_ips']).filter((x): x is string => typeof x === 'string'),
      publicIps: [],
      ipv6: list(n.values['ipv6_addresses']).filter((x): x is string => typeof x === 'string'),
      addressesKnown: !plan.isUnknown(n, 'private_ips'),
      description: str(n.values['description']),
      origin: { file: r.file, path: n.path },
    };
    enis.set(eni.id, eni);
    net.interfaces.push(eni);
  }
  for (const i of plan.ofType('aws_instance')) {
    const id = plan.idOf(i);
    const subnetId = plan.refs(i, 'subnet_id')[0] ?? 'unknown subnet';
    const publicIp = str(i.values['public_ip']);
    const wantsPublic = i.values['associate_public_ip_address'] === true || (i.values['associate_public_ip_address'] == null && subnetPublic.get(subnetId) === true);
    const privateIp = str(i.values['private_ip']);
    const v6 = list(i.values['ipv6_addresses']).filter((x): x is string => typeof x === 'string');
    if (v6.length === 0 && (num(i.values['ipv6_address_count']) ?? 0) > 0) v6.push('(known after apply)');
    const groups = plan.refs(i, 'vpc_security_group_ids');
    if (groups.length === 0) r.warn(`${i.path}.vpc_security_group_ids`, 'assumed.terraform.unknown', `${i.address}: no security group named: the VPC's default group, not in the plan, is read as allowing everything`);
    const eni: NetworkInterface = {
      id: `${id} (primary interface)`,
      subnetId,
      vpcId: subnetVpc.get(subnetId) ?? 'unknown VPC',
      instanceId: id,
      type: 'interface',
      groupIds: groups.length > 0 ? groups : [`default security group of ${subnetVpc.get(subnetId) ?? 'the VPC'}`],
      privateIps: privateIp && !plan.isUnknown(i, 'private_ip') ? [privateIp] : [],
      publicIps: publicIp && !plan.isUnknown(i, 'public_ip') ? [publicIp] : wantsPublic ? ['(known after apply)'] : [],
      ipv6: v6,
      addressesKnown: !!privateIp && !plan.isUnknown(i, 'private_ip'),
      description: null,
      origin: { file: r.file, path: i.path },
    };
    const attached = list(i.values['network_interface']).flatMap((b, k) => plan.refs(i, 'network_interface_id', (list(i.expressions['network_interface'])[k] ?? {}) as JsonObject, (b ?? {}) as JsonObject, {}));
    const ifaceIds = attached.length > 0 ? attached : [eni.id];
    if (attached.length === 0) {
      enis.set(eni.id, eni);
      net.interfaces.push(eni);
    }
    for (const a of attached) {
      const e = enis.get(a);
      if (e) e.instanceId = id;
    }
    net.instances.push({ id, name: str((i.values['tags'] as JsonObject | undefined)?.['Name']), state: 'running', platform: 'linux', interfaceIds: ifaceIds, origin: { file: r.file, path: i.path } });
  }
  for (const e of plan.ofType('aws_eip', 'aws_eip_association')) {
    const ip = str(e.values['public_ip']) ?? '(known after apply)';
    const inst = plan.refs(e, 'instance')[0] ?? plan.refs(e, 'instance_id')[0];
    const eniId = plan.refs(e, 'network_interface')[0] ?? plan.refs(e, 'network_interface_id')[0];
    const target = eniId ? enis.get(eniId) : inst ? enis.get(`${inst} (primary interface)`) ?? [...enis.values()].find((x) => x.instanceId === inst) : undefined;
    if (target && !target.publicIps.includes(ip)) target.publicIps = [...target.publicIps.filter((x) => x !== '(known after apply)'), ip];
  }
}
