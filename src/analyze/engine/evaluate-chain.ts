/**
 * Walk one chain over a set of packets, as netfilter walks it over one packet, but for all
 * packets of the set at once.
 *
 * "May" semantics: a rule with an uncertain construct (an unknown match, a rate limit, a
 * mark) *may* match its known part. Its verdict applies to those packets, and they also go
 * on to the next rule as if it had not matched. So `accepted`, `dropped` and `rejected` are
 * may-sets: a packet of `accepted` can be accepted under some reading of the uncertain
 * constructs, and exposure is computed from `accepted`. A port therefore never looks closed
 * because something was not understood.
 *
 * @module
 */
import { type Cube, Dim, PacketSet, ctValue } from '../../model/packet-set.js';
import * as I from '../../model/interval-set.js';
import type { Action, BaseChain, Chain, FirewallModel, RejectWith, Rule } from '../../model/ruleset.js';
import { ChainIndex } from './rule-index.js';

export interface ChainOutcome {
  accepted: PacketSet;
  dropped: PacketSet;
  rejected: PacketSet;
  /** Packets that fell off the end of the chain or hit RETURN (the caller goes on with them). */
  returned: PacketSet;
}

/** Something the walk did with part of the packets: the raw material of traces and evidence. */
export interface WalkEvent {
  hook: string;
  /** Kind of the base chain the walk started from (user chains inherit it). */
  kind: BaseChain['kind'];
  chain: Chain;
  /** null for a base chain's policy. */
  rule: Rule | null;
  /** What happened: the rule's action, or the policy. */
  verdict: 'accept' | 'drop' | 'reject' | 'jump' | 'goto' | 'return' | 'continue' | 'dnat' | 'snat' | 'notrack' | 'queue' | 'unknown' | 'policy-accept' | 'policy-drop';
  rejectWith?: RejectWith;
  /** The packets this step applied to (before any rewrite). */
  set: PacketSet;
  uncertain: boolean;
}

const UNTRACKED = I.fromPoints([ctValue('UNTRACKED'), ctValue('UNTRACKED', true), ctValue('UNTRACKED', false, true), ctValue('UNTRACKED', true, true)]);

/**
 * Holds the firewall model and per-chain indexes; records events when asked to. One walker
 * serves many queries over the same model.
 */
export class ChainWalker {
  private readonly indexes = new Map<string, ChainIndex>();
  /** When set, every step that touches packets is recorded here. */
  events: WalkEvent[] | null = null;
  /** Chains reached through a jump loop (the kernel refuses loops; a hand-edited dump may have one). */
  readonly loops = new Set<string>();
  private kind: BaseChain['kind'] = 'filter';

  constructor(readonly model: FirewallModel) {}

  private index(chain: Chain): ChainIndex {
    let idx = this.indexes.get(chain.id);
    if (!idx) this.indexes.set(chain.id, (idx = new ChainIndex(chain)));
    return idx;
  }

  /** Walk a base chain and apply its policy to what falls off its end. */
  walkBase(base: BaseChain, hook: string, input: PacketSet): ChainOutcome {
    const chain = this.model.chains.get(base.chain);
    if (!chain) return { accepted: input, dropped: empty(input), rejected: empty(input), returned: empty(input) };
    this.kind = base.kind;
    const out = this.walk(chain, hook, input, new Set());
    if (!out.returned.isEmpty()) {
      this.record({ hook, kind: base.kind, chain, rule: null, verdict: base.policy === 'accept' ? 'policy-accept' : 'policy-drop', set: out.returned, uncertain: false });
    }
    return base.policy === 'accept'
      ? { ...out, accepted: out.accepted.union(out.returned), returned: empty(input) }
      : { ...out, dropped: out.dropped.union(out.returned), returned: empty(input) };
  }

  walk(chain: Chain, hook: string, input: PacketSet, active: Set<string>): ChainOutcome {
    const nothing = empty(input);
    let accepted = nothing;
    let dropped = nothing;
    let rejected = nothing;
    let returned = nothing;
    let current = input;
    if (active.has(chain.id)) {
      // A loop: we cannot know where the packets end up; they may be accepted.
      this.loops.add(chain.id);
      return { accepted: input, dropped: nothing, rejected: nothing, returned: input };
    }
    active.add(chain.id);
    const candidates = this.index(chain).candidates(input);
    for (const i of candidates) {
      if (current.isEmpty()) break;
      const rule = chain.rules[i]!;
      const matched = current.intersect(rule.match);
      if (matched.isEmpty()) continue;
      const uncertain = rule.uncertain.length > 0;
      const action = rule.action;
      const step = (verdict: WalkEvent['verdict'], extra?: Partial<WalkEvent>) =>
        this.record({ hook, kind: this.kind, chain, rule, verdict, set: matched, uncertain, ...extra });
      // What stays in this chain after the rule: everything if the rule only may match.
      const rest = () => (uncertain ? current : current.difference(matched));
      switch (action.type) {
        case 'accept':
          step('accept');
          accepted = accepted.union(matched);
          current = rest();
          break;
        case 'drop':
          step('drop');
          dropped = dropped.union(matched);
          current = rest();
          break;
        case 'reject':
          step('reject', { rejectWith: action.with });
          rejected = rejected.union(matched);
          current = rest();
          break;
        case 'return':
          step('return');
          returned = returned.union(matched);
          current = rest();
          break;
        case 'jump':
        case 'goto': {
          step(action.type);
          const target = this.model.chains.get(action.chain);
          if (!target) {
            // Lowering reports dangling targets; read them as "anything may happen".
            accepted = accepted.union(matched);
            break;
          }
          const sub = this.walk(target, hook, matched, active);
          accepted = accepted.union(sub.accepted);
          dropped = dropped.union(sub.dropped);
          rejected = rejected.union(sub.rejected);
          if (action.type === 'jump') {
            current = rest().union(sub.returned);
          } else {
            // A goto's RETURN goes back to our caller, not to us.
            returned = returned.union(sub.returned);
            current = rest();
          }
          break;
        }
        case 'continue':
          step('continue');
          break;
        case 'notrack': {
          step('notrack');
          const untracked = matched.rewrite(Dim.State, I.fromPoints([ctValue('UNTRACKED')]));
          current = rest().union(untracked);
          break;
        }
        case 'dnat':
          step('dnat');
          accepted = accepted.union(applyDnat(matched, action, this.localAddrsFor(matched)));
          current = rest();
          break;
        case 'snat':
          step('snat');
          accepted = accepted.union(matched);
          current = rest();
          break;
        case 'queue':
          // Userspace decides: it may accept or drop.
          step('queue');
          accepted = accepted.union(matched);
          dropped = dropped.union(matched);
          current = rest();
          break;
        case 'unknown':
          // Not modelled: it may accept, drop, or let the packet go on.
          step('unknown', { uncertain: true });
          accepted = accepted.union(matched);
          dropped = dropped.union(matched);
          break;
      }
    }
    active.delete(chain.id);
    returned = returned.union(current);
    return { accepted, dropped, rejected, returned };
  }

  /** Local addresses for REDIRECT, set by the path walker (the primary address of the input interface is approximated by every local address). */
  localAddrs: Record<string, I.IntervalSet<I.Ordinal> | null> = { ipv4: null, ipv6: null };

  private localAddrsFor(set: PacketSet): I.IntervalSet<I.Ordinal> | null {
    return this.localAddrs[set.family] ?? null;
  }

  private record(event: WalkEvent): void {
    if (this.events) this.events.push(event);
  }
}

function empty(like: PacketSet): PacketSet {
  return PacketSet.empty(like.family);
}

/** Rewrite destination address and port as DNAT/REDIRECT do; the conntrack entry now carries the DNAT status. */
function applyDnat(set: PacketSet, action: Extract<Action, { type: 'dnat' }>, local: I.IntervalSet<I.Ordinal> | null): PacketSet {
  let out = set;
  if (action.toLocal) {
    if (local) out = out.rewrite(Dim.Dst, local);
  } else if (action.addr) out = out.rewrite(Dim.Dst, action.addr);
  if (action.ports) out = out.rewrite(Dim.Dport, action.ports);
  return markDnat(out);
}

/** Set the DNAT flag of the conntrack state (the `--ctstate DNAT` virtual state). */
function markDnat(set: PacketSet): PacketSet {
  const cubes: Cube[] = set.cubes.map((c) => {
    const states = c[Dim.State] as I.IntervalSet<number>;
    const pts: number[] = [];
    for (const [lo, hi] of I.ranges(states)) for (let v = lo; v < hi; v++) pts.push(v % 10 >= 5 ? v : v + 5);
    const next = c.slice();
    next[Dim.State] = I.fromPoints(pts);
    return next;
  });
  return PacketSet.fromCubes(set.family, cubes);
}

export { UNTRACKED };
