/**
 * The path of an inbound packet through the hooks, every backend together:
 *
 *   ingress → prerouting → routing decision ─ local ──→ input  → socket
 *                                           └ other ──→ forward → postrouting → next hop
 *
 * At one hook the base chains of every backend run in priority order; each must let the
 * packet through (an accept in one does not skip the next, a drop is final). NAT chains see
 * only tracked packets (raw NOTRACK makes a packet skip them). DNAT in prerouting changes the
 * destination before routing, which is how a published container port bypasses INPUT.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { Dim, PacketSet } from '../../model/packet-set.js';
import type { BaseChain, FirewallModel, Hook } from '../../model/ruleset.js';
import { ChainWalker, UNTRACKED } from './evaluate-chain.js';

export interface RoutedSubnet {
  iface: string;
  /** Addresses on-link through this interface (its connected prefixes). */
  addrs: I.IntervalSet<I.Ordinal>;
}

export interface HostFacts {
  family: Family;
  /** Addresses the kernel treats as local (loopback ranges included); null when unknown (then every address may be local). */
  localAddrs: I.IntervalSet<I.Ordinal> | null;
  /**
   * Where REDIRECT sends a packet: the primary address of its input interface, which is
   * never a loopback address; approximated by every non-loopback local address.
   */
  redirectAddrs: I.IntervalSet<I.Ordinal> | null;
  /** Connected subnets, for the output interface of forwarded packets. */
  subnets: RoutedSubnet[];
  /** Whether the kernel forwards this family (ip_forward / ipv6 forwarding); null when unknown. */
  forwarding: boolean | null;
}

export interface PathOutcome {
  /** Packets delivered to a local socket lookup (after every rewrite). */
  local: PacketSet;
  /** Packets forwarded out of the host (after every rewrite, with their output interface). */
  forwarded: PacketSet;
  dropped: PacketSet;
  rejected: PacketSet;
}

export class PacketPath {
  readonly walker: ChainWalker;
  private readonly byHook: Map<Hook, BaseChain[]>;

  constructor(
    readonly model: FirewallModel,
    readonly facts: HostFacts,
  ) {
    this.walker = new ChainWalker(model);
    this.walker.localAddrs = { [facts.family]: facts.redirectAddrs } as Record<string, I.IntervalSet<I.Ordinal> | null>;
    this.byHook = new Map();
    for (const base of model.baseChains) {
      let list = this.byHook.get(base.hook);
      if (!list) this.byHook.set(base.hook, (list = []));
      list.push(base);
    }
    // Among equal priorities the kernel runs the chain registered last first: a new hook is
    // inserted before the first one of the same or higher priority (nf_hook_entries_grow;
    // seen on 6.18: `table ip b` rejecting, created after `table inet a` dropping, answers
    // RST). A backend lists its chains in creation order, so within one backend the later
    // runs first; between backends the creation order is unknown and the model's order stays.
    const backendOf = (b: BaseChain): string => model.chains.get(b.chain)?.backend ?? '';
    for (const list of this.byHook.values()) {
      const firstSeen = new Map<string, number>();
      list.forEach((b, i) => { if (!firstSeen.has(backendOf(b))) firstSeen.set(backendOf(b), i); });
      const order = new Map(list.map((b, i) => [b, i]));
      list.sort((a, b) => a.priority - b.priority || firstSeen.get(backendOf(a))! - firstSeen.get(backendOf(b))! || order.get(b)! - order.get(a)!);
    }
  }

  /** Run every base chain of a hook in priority order. */
  runHook(hook: Hook, input: PacketSet): { passed: PacketSet; dropped: PacketSet; rejected: PacketSet } {
    let passed = input;
    let dropped = PacketSet.empty(input.family);
    let rejected = dropped;
    for (const base of this.byHook.get(hook) ?? []) {
      if (passed.isEmpty()) break;
      let evaluated = passed;
      let bypass = PacketSet.empty(input.family);
      if (base.kind === 'nat') {
        // NAT chains are consulted for tracked connections only.
        const untracked = passed.restrict(Dim.State, UNTRACKED);
        if (!untracked.isEmpty()) {
          bypass = untracked;
          evaluated = passed.difference(untracked);
        }
      }
      const out = this.walker.walkBase(base, hook, evaluated);
      dropped = dropped.union(out.dropped);
      rejected = rejected.union(out.rejected);
      passed = out.accepted.union(bypass);
    }
    return { passed, dropped, rejected };
  }

  /** Follow packets arriving from outside (their input interface set, output interface ""). */
  inbound(arrival: PacketSet): PathOutcome {
    const verdicts = { dropped: PacketSet.empty(arrival.family), rejected: PacketSet.empty(arrival.family) };
    const afterPre = this.step(verdicts, 'prerouting', this.step(verdicts, 'ingress', arrival));
    return this.pastPrerouting(afterPre, verdicts);
  }

  /**
   * {@link inbound} for packets already through ingress and prerouting (see
   * prerouting-share.ts); `dropped` and `rejected` then hold what the later hooks did only.
   */
  inboundAfterPrerouting(afterPre: PacketSet): PathOutcome {
    return this.pastPrerouting(afterPre, { dropped: PacketSet.empty(afterPre.family), rejected: PacketSet.empty(afterPre.family) });
  }

  private step(verdicts: { dropped: PacketSet; rejected: PacketSet }, hook: Hook, set: PacketSet): PacketSet {
    const r = this.runHook(hook, set);
    verdicts.dropped = verdicts.dropped.union(r.dropped);
    verdicts.rejected = verdicts.rejected.union(r.rejected);
    return r.passed;
  }

  private pastPrerouting(afterPre: PacketSet, verdicts: { dropped: PacketSet; rejected: PacketSet }): PathOutcome {
    const family = afterPre.family;
    const localDst = this.facts.localAddrs;
    const toLocal = localDst ? afterPre.restrict(Dim.Dst, localDst) : afterPre;
    let toForward = localDst ? afterPre.difference(toLocal) : PacketSet.empty(family);
    const local = this.step(verdicts, 'input', toLocal);
    if (this.facts.forwarding === false && !toForward.isEmpty()) {
      // The kernel drops what it may not forward; not a firewall verdict, so not in `dropped`.
      toForward = PacketSet.empty(family);
    }
    const forwarded = this.step(verdicts, 'postrouting', this.step(verdicts, 'forward', this.routeOut(toForward)));
    return { local, forwarded, dropped: verdicts.dropped, rejected: verdicts.rejected };
  }

  /** Give forwarded packets the output interface of the connected subnet of their destination. */
  private routeOut(set: PacketSet): PacketSet {
    if (set.isEmpty()) return set;
    let remaining = set;
    let routed = PacketSet.empty(set.family);
    for (const subnet of this.facts.subnets) {
      const part = remaining.restrict(Dim.Dst, subnet.addrs);
      if (part.isEmpty()) continue;
      routed = routed.union(part.rewrite(Dim.Oif, I.range(subnet.iface, subnet.iface + '\u0000')));
      remaining = remaining.difference(part);
    }
    // No connected route: it leaves through some interface we cannot name; keep every name.
    return routed.union(remaining.rewrite(Dim.Oif, I.range('\u0001', '\uffff')));
  }
}
