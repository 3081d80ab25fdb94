/**
 * Build small firewall models in tests without a parser: rules are written as constraint
 * objects, the way a reader thinks of them ("-s 198.51.100.0/24 -p tcp --dport 22 -j ACCEPT").
 */
import { type Family, cidrsToSet } from '../../src/model/addr.js';
import type { NetInterface, Snapshot, Socket } from '../../src/model/snapshot.js';
import * as I from '../../src/model/interval-set.js';
import { Dim, type DimSet, PacketSet, ctStateSet, ifaceSet } from '../../src/model/packet-set.js';
import type { Action, Backend, BaseChain, Chain, ChainKind, FirewallModel, Hook, Limiter, Rule, Uncertainty } from '../../src/model/ruleset.js';
import { chainId } from '../../src/model/ruleset.js';

export interface RuleSpec {
  src?: string[];
  notSrc?: string[];
  dst?: string[];
  proto?: 'tcp' | 'udp';
  dport?: [number, number] | number;
  sport?: [number, number] | number;
  iif?: string[];
  notIif?: string[];
  state?: string[];
  uncertain?: Uncertainty[];
  limits?: Limiter[];
  action: Action;
  text?: string;
}

export function match(family: Family, r: RuleSpec): PacketSet {
  const c: Partial<Record<Dim, DimSet>> = {};
  if (r.src) c[Dim.Src] = cidrsToSet(r.src, family) as DimSet;
  if (r.dst) c[Dim.Dst] = cidrsToSet(r.dst, family) as DimSet;
  if (r.proto) c[Dim.Proto] = r.proto === 'tcp' ? I.range(6, 7) : I.range(17, 18);
  const ports = (p: [number, number] | number) => (typeof p === 'number' ? I.range(p, p + 1) : I.range(p[0], p[1] + 1));
  if (r.dport !== undefined) c[Dim.Dport] = ports(r.dport);
  if (r.sport !== undefined) c[Dim.Sport] = ports(r.sport);
  if (r.iif) c[Dim.Iif] = ifaceSet(r.iif);
  if (r.state) c[Dim.State] = ctStateSet(r.state)!;
  let set = PacketSet.where(family, c);
  if (r.notSrc) set = set.difference(PacketSet.where(family, { [Dim.Src]: cidrsToSet(r.notSrc, family) as DimSet }));
  if (r.notIif) set = set.difference(PacketSet.where(family, { [Dim.Iif]: ifaceSet(r.notIif) }));
  return set;
}

export class ModelBuilder {
  readonly model: FirewallModel;
  constructor(
    readonly family: Family,
    readonly backend: Backend = 'iptables-nft',
  ) {
    this.model = { family, chains: new Map(), baseChains: [] };
  }

  chain(table: string, name: string, rules: RuleSpec[]): string {
    const id = chainId(this.backend, this.family, table, name);
    const chain: Chain = {
      id,
      backend: this.backend,
      family: this.family,
      table,
      tableFamily: this.family === 'ipv4' ? 'ip' : 'ip6',
      name,
      origin: { file: 'test' },
      rules: rules.map(
        (r, i): Rule => ({
          position: i + 1,
          text: r.text ?? `${name} rule ${i + 1}`,
          origin: { file: 'test', line: i + 1 },
          match: match(this.family, r),
          uncertain: r.uncertain ?? [],
          action: r.action,
          ...(r.limits ? { limits: r.limits } : {}),
        }),
      ),
    };
    this.model.chains.set(id, chain);
    return id;
  }

  base(table: string, name: string, hook: Hook, priority: number, policy: 'accept' | 'drop', rules: RuleSpec[], kind: ChainKind = 'filter'): string {
    const id = this.chain(table, name, rules);
    const base: BaseChain = { chain: id, hook, priority, policy, kind };
    this.model.baseChains.push(base);
    return id;
  }

  id(table: string, name: string): string {
    return chainId(this.backend, this.family, table, name);
  }
}

export const ACCEPT: Action = { type: 'accept' };
export const DROP: Action = { type: 'drop' };
export const RETURN: Action = { type: 'return' };

export function sock(proto: 'tcp' | 'udp', address: string, port: number, extra: Partial<Socket> = {}): Socket {
  return { proto, family: address.includes(':') ? 'ipv6' : 'ipv4', address, port, v6only: null, device: null, uid: 0, inode: port, process: null, ...extra };
}

export const TEST_INTERFACES: NetInterface[] = [
  { name: 'lo', index: 1, up: true, loopback: true, addresses: [{ family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' }, { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' }] },
  { name: 'eth0', index: 2, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global' }, { family: 'ipv6', address: '2001:db8:1::1', prefixLength: 64, scope: 'global' }] },
  { name: 'docker0', index: 3, up: true, loopback: false, addresses: [{ family: 'ipv4', address: '172.17.0.1', prefixLength: 16, scope: 'global' }] },
];

export function snapshotOf(sockets: Socket[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 'portcullis-snapshot',
    version: 1,
    collectedAt: '2026-11-21T00:00:00.000Z',
    tool: { name: 'portcullis', version: 'test' },
    host: { hostname: 'test-host', kernel: null },
    privileges: { uid: 0, euid: 0, root: true },
    interfaces: TEST_INTERFACES,
    sockets,
    firewall: [],
    sysctls: {},
    unreadable: [],
    ...extra,
  };
}
