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
import { recordOriginalDst } from '../../model/conntrack-tuple.js';
import { appliesToFirstConnection } from '../../model/limiters.js';
import { type Cube, Dim, type DimSet, PacketSet, ctValue, dimDomain } from '../../model/packet-set.js';
import { firstCover } from '../../model/first-cover.js';
import * as I from '../../model/interval-set.js';
import type { Action, BaseChain, Chain, FirewallModel, RejectWith, Rule, Uncertainty } from '../../model/ruleset.js';
import { ChainIndex } from './rule-index.js';
import type { Step } from './rule-batches.js';

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
  /** Set when this event stands for many rules of one chain with the same verdict (a blocklist); `rule` is the first. */
  summary?: { count: number; lastPosition: number };
}

/** Dimensions that differ between the slices of an audit (one protocol and port each). */
const SLICE_DIMS = [Dim.Proto, Dim.Dport, Dim.TcpFlags] as const;
/** A chain with no slice-independent prefix. */
const NO_PREFIX = { steps: 0, rules: 0 };
/** Above this many events of one chain and verdict, a memoised walk keeps one summary event. */
const SUMMARY_THRESHOLD = 8;

/** A walk over part of a chain: `rest` is what got past the last step walked. */
interface WalkOutcome extends ChainOutcome {
  rest: PacketSet;
}

interface Memo {
  outcome: WalkOutcome;
  events: WalkEvent[];
}

const UNTRACKED = I.fromPoints([ctValue('UNTRACKED'), ctValue('UNTRACKED', true), ctValue('UNTRACKED', false, true), ctValue('UNTRACKED', true, true)]);

/**
 * One chain walk in progress on {@link ChainWalker.walk}'s stack: where it is among the
 * chain's candidate steps, the verdict pieces gathered so far, and the jump it waits on.
 */
class Frame {
  /** Position in `candidates` of the next step to try. */
  next = 0;
  readonly candidates: readonly number[];
  readonly accepted: PacketSet[] = [];
  readonly dropped: PacketSet[] = [];
  readonly rejected: PacketSet[] = [];
  readonly returned: PacketSet[] = [];
  /** The packets of a jump or goto waiting for its target's walk; null when none waits. */
  waiting: PacketSet | null = null;
  waitingGoto = false;
  waitingUncertain = false;
  /** A chain's rest after a memoised prefix: the prefix's outcome, joined to this walk's at the end. */
  head: WalkOutcome | null = null;
  /** A memoised prefix's walk over widened packets: where its outcome is memoised, the events it records apart, and the packets to cut it to. */
  memo: { key: string; saved: WalkEvent[] | null; events: WalkEvent[]; narrow: PacketSet; steps: number } | null = null;

  constructor(
    readonly chain: Chain,
    readonly hook: string,
    readonly input: PacketSet,
    readonly active: Set<string>,
    readonly index: ChainIndex,
    readonly fromStep: number,
    readonly toStep: number,
    /** A chain already being walked: the frame holds its may-accept verdict and walks nothing. */
    readonly looped: boolean,
    /** The packets still going down the chain. */
    public current: PacketSet,
  ) {
    this.candidates = looped ? NO_CANDIDATES : index.candidates(input);
  }
}

const NO_CANDIDATES: readonly number[] = [];

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
  /** Per chain: true when its walk does not depend on protocol or ports (see walkMemo). */
  private readonly independent = new Map<string, boolean>();
  private readonly memo = new Map<string, Memo>();
  private readonly prefixes = new Map<string, { steps: number; rules: number }>();
  /** Memoise slice-independent chains (off while tracing one flow, so its trace names every rule). */
  memoize = true;
  /** Walk stretches of source cuts at once (see cutSourcesAtOnce); off, every step cuts on its own: the reference the tests hold it to. */
  cutSourcesInStretches = true;
  /** How many memoised walks ran (a walk shared between slices is exact only without one: see prerouting-share.ts). */
  memoWalks = 0;

  constructor(readonly model: FirewallModel) {}

  /**
   * A chain none of whose rules (nor its callees') looks at protocol, ports or TCP flags,
   * and that rewrites nothing, treats every slice alike: walk(C, S) equals
   * walk(C, widen(S)) ∩ S. Blocklist chains are like this, and every listener's slice
   * passes through them, so they are walked once.
   */
  private isSliceIndependent(root: Chain): boolean {
    const known = this.independent.get(root.id);
    if (known !== undefined) return known;
    // Depth-first over jump targets with an explicit stack: a 2,000-deep jump chain loads
    // fine in the kernel and must not overflow ours (issue 9). A chain on the current path
    // reached again is a loop: not independent.
    const frames: { chain: Chain; next: number; ok: boolean }[] = [{ chain: root, next: 0, ok: true }];
    const onPath = new Set<string>([root.id]);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (!f.ok || f.next >= f.chain.rules.length) {
        frames.pop();
        onPath.delete(f.chain.id);
        this.independent.set(f.chain.id, f.ok);
        const parent = frames[frames.length - 1];
        if (parent) {
          parent.ok &&= f.ok;
          parent.next++;
        }
        continue;
      }
      const rule = f.chain.rules[f.next]!;
      if (!ruleLooksSliceIndependent(rule)) {
        f.ok = false;
        continue;
      }
      const a = rule.action;
      if (a.type === 'jump' || a.type === 'goto') {
        const target = this.model.chains.get(a.chain);
        const done = target ? this.independent.get(target.id) : false;
        if (done === false || (target && onPath.has(target.id))) {
          f.ok = false;
          continue;
        }
        if (done === undefined && target) {
          onPath.add(target.id);
          frames.push({ chain: target, next: 0, ok: true });
          continue;
        }
      }
      f.next++;
    }
    return this.independent.get(root.id)!;
  }

  private ruleIsSliceIndependent(rule: Rule): boolean {
    if (!ruleLooksSliceIndependent(rule)) return false;
    const a = rule.action;
    if (a.type === 'jump' || a.type === 'goto') {
      const target = this.model.chains.get(a.chain);
      if (!target || !this.isSliceIndependent(target)) return false;
    }
    return true;
  }

  /** Whether every rule of a step is slice-independent (loops, not a closure: run once per step of every chain walked). */
  private stepIsSliceIndependent(step: Step): boolean {
    if (!step.run) return this.ruleIsSliceIndependent(step.rule);
    for (const r of step.run) if (!this.ruleIsSliceIndependent(r)) return false;
    return true;
  }

  /**
   * How many leading steps of a chain treat every slice alike (an nft input chain that
   * starts `ct state established accept; ip saddr @blocklist drop` and then goes per
   * port): that prefix is walked once for all slices, like an independent chain.
   */
  private independentPrefix(chain: Chain): { steps: number; rules: number } {
    // `rules` is a weight: how much walking the prefix once saves.
    let known = this.prefixes.get(chain.id);
    if (!known) {
      const steps = this.index(chain).steps;
      let n = 0;
      let rules = 0;
      while (n < steps.length && this.stepIsSliceIndependent(steps[n]!)) {
        // Weigh the work the prefix saves: its rules, the ranges of its sets (an nft
        // `ip saddr @blocklist` is one rule of 100,000 ranges), the chains it jumps to.
        for (const r of steps[n]!.run ?? [steps[n]!.rule]) {
          rules += 1;
          for (const c of r.match.cubes) rules += c[Dim.Src]!.length >> 1;
          if (r.action.type === 'jump' || r.action.type === 'goto') rules += this.model.chains.get(r.action.chain)?.rules.length ?? 0;
        }
        n++;
      }
      this.prefixes.set(chain.id, (known = { steps: n, rules }));
    }
    return known;
  }

  /** Build every chain's rule index now (part of loading), so the first query is as fast as the next. */
  prepare(): void {
    for (const chain of this.model.chains.values()) this.index(chain);
  }

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

  /**
   * Walk a chain and every chain it jumps to, depth first, on an explicit stack of frames:
   * jump chains thousands deep (the kernel loads them) use heap, not the JS stack (issue 9),
   * and a jump costs one frame object, not a generator and its resumptions (a kube-proxy
   * node's prerouting walk enters some 5,000 chains).
   */
  walk(chain: Chain, hook: string, input: PacketSet, active: Set<string>): ChainOutcome {
    const stack: Frame[] = [this.enter(chain, hook, input, active)];
    for (;;) {
      const top = stack[stack.length - 1]!;
      const callee = this.advance(top);
      if (callee) {
        stack.push(callee);
        continue;
      }
      stack.pop();
      const done = this.finish(top);
      if (done instanceof Frame) {
        // A memoised prefix just walked: the rest of its chain takes its place.
        stack.push(done);
        continue;
      }
      const caller = stack[stack.length - 1];
      if (!caller) return done;
      this.resume(caller, done);
    }
  }

  /**
   * The frame that walks a whole chain: its rules one by one, or, when its first steps treat
   * every slice alike (see independentPrefix), those steps once for all slices and the rest
   * on its own.
   */
  private enter(chain: Chain, hook: string, input: PacketSet, active: Set<string>): Frame {
    const prefix = this.memoize && !active.has(chain.id) ? this.independentPrefix(chain) : NO_PREFIX;
    if (prefix.rules <= SUMMARY_THRESHOLD) return this.frame(chain, hook, input, active, 0, Infinity);
    this.memoWalks++;
    let widened = input;
    for (const d of SLICE_DIMS) widened = widened.rewrite(d, I.fullSet(dimDomain(input.family, d)) as DimSet);
    const key = `${chain.id}\u0000${prefix.steps}\u0000${hook}\u0000${this.kind}\u0000${widened.key()}`;
    const memo = this.memo.get(key);
    if (memo) return this.afterPrefix(chain, hook, input, active, prefix.steps, memo);
    // Walk the prefix over the widened packets, recording its events apart (see finish).
    const f = this.frame(chain, hook, widened, active, 0, prefix.steps);
    f.memo = { key, saved: this.events, events: [], narrow: input, steps: prefix.steps };
    this.events = f.memo.events;
    return f;
  }

  /** A frame walking steps [fromStep, toStep) of a chain (one looping back into the walk holds its verdict already). */
  private frame(chain: Chain, hook: string, input: PacketSet, active: Set<string>, fromStep: number, toStep: number): Frame {
    if (active.has(chain.id)) {
      // A loop: we cannot know where the packets end up; they may be accepted.
      this.loops.add(chain.id);
      const f = new Frame(chain, hook, input, active, this.index(chain), fromStep, toStep, true, empty(input));
      f.accepted.push(input);
      f.returned.push(input);
      return f;
    }
    active.add(chain.id);
    return new Frame(chain, hook, input, active, this.index(chain), fromStep, toStep, false, input);
  }

  /** The memoised prefix's outcome cut to `input` (its events recorded), and the frame walking the rest of the chain. */
  private afterPrefix(chain: Chain, hook: string, input: PacketSet, active: Set<string>, steps: number, memo: Memo): Frame {
    if (this.events) {
      for (const e of memo.events) {
        const set = e.set.intersect(input);
        if (!set.isEmpty()) this.events.push({ ...e, set });
      }
    }
    const o = memo.outcome;
    const head: WalkOutcome = {
      accepted: o.accepted.intersect(input),
      dropped: o.dropped.intersect(input),
      rejected: o.rejected.intersect(input),
      returned: o.returned.intersect(input),
      rest: o.rest.intersect(input),
    };
    const f = this.frame(chain, hook, head.rest, active, steps, Infinity);
    f.head = head;
    return f;
  }

  /** Walk a frame's rules until one jumps (the target's frame is returned) or the frame is done (null). */
  private advance(f: Frame): Frame | null {
    const index = f.index;
    const candidates = f.candidates;
    const hook = f.hook;
    const chain = f.chain;
    while (f.next < candidates.length) {
      if (this.cutSourcesAtOnce(f)) continue;
      const i = candidates[f.next++]!;
      if (i < f.fromStep) continue;
      if (i >= f.toStep || f.current.isEmpty()) break;
      const current = f.current;
      const stepRule = index.steps[i]!;
      const rule = stepRule.rule;
      const matched = current.intersect(stepRule.match);
      if (matched.isEmpty()) continue;
      const uncertain = rule.uncertain.length > 0;
      const action = rule.action;
      // A limiter that cannot match a source's first connection yet (connlimit, recent --hitcount):
      // the rule is passed over; the event stays for the "later connections" notes.
      if (!appliesToFirstConnection(rule)) {
        this.recordStep(hook, chain, stepRule, matched, 'continue', uncertain);
        continue;
      }
      switch (action.type) {
        case 'accept':
        case 'drop':
        case 'reject':
        case 'return':
          this.settle(f, stepRule, matched, uncertain);
          f.current = remaining(current, matched, uncertain);
          break;
        case 'jump':
        case 'goto': {
          this.recordStep(hook, chain, stepRule, matched, action.type, uncertain);
          const target = this.model.chains.get(action.chain);
          if (!target) {
            // Lowering reports dangling targets; read them as "anything may happen".
            f.accepted.push(matched);
            break;
          }
          if (f.active.has(target.id)) {
            // A jump loop (the kernel refuses to load one, a snapshot may still hold it):
            // where these packets end is unknowable, so they may be accepted, and the loop
            // is named as the construct read conservatively (issue 9).
            this.loops.add(target.id);
            this.record({ hook, kind: this.kind, chain, rule: loopRule(rule, chain, target), verdict: action.type, set: matched, uncertain: true });
            f.accepted.push(matched);
            if (action.type === 'jump') f.current = remaining(current, matched, uncertain).union(matched);
            else {
              f.returned.push(matched);
              f.current = remaining(current, matched, uncertain);
            }
            break;
          }
          // The target's walk comes back through resume.
          f.waiting = matched;
          f.waitingGoto = action.type === 'goto';
          f.waitingUncertain = uncertain;
          return this.enter(target, hook, matched, f.active);
        }
        case 'continue':
          this.recordStep(hook, chain, stepRule, matched, 'continue', uncertain);
          break;
        case 'notrack': {
          this.recordStep(hook, chain, stepRule, matched, 'notrack', uncertain);
          const untracked = matched.rewrite(Dim.State, I.fromPoints([ctValue('UNTRACKED')]));
          f.current = remaining(current, matched, uncertain).union(untracked);
          break;
        }
        case 'dnat':
          this.recordStep(hook, chain, stepRule, matched, 'dnat', uncertain);
          f.accepted.push(applyDnat(matched, action, this.localAddrsFor(matched)));
          f.current = remaining(current, matched, uncertain);
          break;
        case 'snat':
          this.recordStep(hook, chain, stepRule, matched, 'snat', uncertain);
          f.accepted.push(matched);
          f.current = remaining(current, matched, uncertain);
          break;
        case 'queue':
          // Userspace decides: it may accept or drop.
          this.recordStep(hook, chain, stepRule, matched, 'queue', uncertain);
          f.accepted.push(matched);
          f.dropped.push(matched);
          f.current = remaining(current, matched, uncertain);
          break;
        case 'unknown':
          // Not modelled: it may accept, drop, or let the packet go on.
          this.recordStep(hook, chain, stepRule, matched, 'unknown', uncertain, { uncertain: true });
          f.accepted.push(matched);
          f.dropped.push(matched);
          break;
      }
    }
    return null;
  }

  /**
   * Walk at once the next steps that only cut sources out of the frame's packets (or only note
   * them: a LOG before each DROP of a blocklist), when there
   * are many of those sources (issue 8): after a 60,000-address blocklist the walk's packets
   * are one cube whose sources are the Internet minus 60,000 holes, and every later rule that
   * takes a few of them copied that list (and, on this VM, paid fresh pages for it). The
   * steps of a stretch each remove their sources from one cube; what rule i takes is the
   * frame's sources ∩ (its own − what earlier rules of the stretch cover) (see
   * first-cover.ts), and what goes on is the sources minus all of them: one sweep and one
   * subtraction instead of one copy per rule. The events, verdict pieces and packets going
   * on are those the rule-by-rule walk builds, array for array where it keeps one (see
   * stretchOf). Returns false when there is no stretch of two steps or more here.
   */
  private cutSourcesAtOnce(f: Frame): boolean {
    const current = f.current;
    if (current.cubes.length !== 1 || !this.cutSourcesInStretches) return false;
    const sources = current.cubes[0]![Dim.Src]!;
    if (sources.length < MANY_SOURCES) return false;
    const stretch = this.stretchOf(f, sources);
    if (stretch.end - f.next < 2) return false;
    const { owned, union } = firstCover(stretch.cuts, stretch.notes);
    let cut = false;
    stretch.steps.forEach((stepRule, c) => {
      const own = I.intersect(sources, owned[c]!);
      if (own.length === 0) return;
      // The rule-by-rule walk's intersect keeps the rule's own sources when it takes all of them.
      const matched = current.withSources(I.setsEqual(own, stretch.cuts[c]!) ? stretch.cuts[c]! : own);
      if (stretch.notes[c]) {
        // A note (LOG) sees what reaches it and lets it go on.
        this.recordStep(f.hook, f.chain, stepRule, matched, 'continue', false);
        return;
      }
      cut = true;
      this.settle(f, stepRule, matched, false);
    });
    if (cut) f.current = current.withSources(I.difference(sources, union));
    f.next = stretch.end;
    return true;
  }

  /**
   * A step's final verdict (one of {@link CUTS_SOURCES}) on `matched`: its event recorded and
   * the packets kept with the frame's others of that verdict. What goes on is the caller's.
   */
  private settle(f: Frame, stepRule: Step, matched: PacketSet, uncertain: boolean): void {
    const action = stepRule.rule.action;
    switch (action.type) {
      case 'accept':
        this.recordStep(f.hook, f.chain, stepRule, matched, 'accept', uncertain);
        f.accepted.push(matched);
        break;
      case 'drop':
        this.recordStep(f.hook, f.chain, stepRule, matched, 'drop', uncertain);
        f.dropped.push(matched);
        break;
      case 'reject':
        this.recordStep(f.hook, f.chain, stepRule, matched, 'reject', uncertain, { rejectWith: action.with });
        f.rejected.push(matched);
        break;
      case 'return':
        this.recordStep(f.hook, f.chain, stepRule, matched, 'return', uncertain);
        f.returned.push(matched);
        break;
    }
  }

  /**
   * The steps from the frame's next candidate on that cut only sources: a certain rule of one
   * cube and a final verdict, holding the frame's one cube outside the sources (steps that
   * miss it there are passed over, as the walk passes them). It stops before a step whose
   * cut could take every source left: while some boundary of the sources lies outside the
   * closed ranges of every cut so far, the sources left keep packets that the next cut does
   * not hold, so the rule-by-rule walk never takes all of them (and keeps no frame's packets
   * whole, which this walk does not copy).
   */
  private stretchOf(f: Frame, sources: DimSet): { steps: Step[]; cuts: DimSet[]; notes: boolean[]; end: number } {
    const steps: Step[] = [];
    const cuts: DimSet[] = [];
    // Steps that only note what they match (LOG, NFLOG: a `continue`) and take nothing.
    const notes: boolean[] = [];
    let touched = 0;
    let k = f.next;
    for (; k < f.candidates.length; k++) {
      const i = f.candidates[k]!;
      if (i < f.fromStep) continue;
      if (i >= f.toStep) break;
      const stepRule = f.index.steps[i]!;
      // A rule of the other family in an inet chain (`ip6 saddr X drop` in an IPv4 walk)
      // matches nothing here: the walk passes it over whatever it says, and so does a stretch.
      if (stepRule.match.cubes.length === 0) continue;
      const rule = stepRule.rule;
      const note = rule.action.type === 'continue';
      if ((!note && !CUTS_SOURCES.has(rule.action.type)) || rule.uncertain.length > 0 || !appliesToFirstConnection(rule) || stepRule.match.cubes.length !== 1) break;
      const meet = f.current.meetOutsideSources(stepRule.match);
      if (meet === null) break;
      if (meet === 'miss') continue;
      const cut = stepRule.match.cubes[0]![Dim.Src]!;
      // A note takes nothing: it can never leave the walk without sources.
      if (!note) {
        const near = I.boundariesWithin(sources, cut);
        if (touched + near >= sources.length) break;
        touched += near;
      }
      steps.push(stepRule);
      cuts.push(cut);
      notes.push(note);
    }
    return { steps, cuts, notes, end: k };
  }

  /** Take a jump target's outcome into the frame that jumped. */
  private resume(f: Frame, sub: ChainOutcome): void {
    const matched = f.waiting!;
    f.waiting = null;
    f.accepted.push(sub.accepted);
    f.dropped.push(sub.dropped);
    f.rejected.push(sub.rejected);
    if (!f.waitingGoto) {
      // Everything came back (kube-proxy's KUBE-MARK-MASQ only sets a mark, twice per
      // service): the packets going on are those that went on before, so no subtraction
      // and re-merge of them.
      if (sub.returned !== matched) f.current = remaining(f.current, matched, f.waitingUncertain).union(sub.returned);
    } else {
      // A goto's RETURN goes back to our caller, not to us.
      f.returned.push(sub.returned);
      f.current = remaining(f.current, matched, f.waitingUncertain);
    }
  }

  /** A finished frame's outcome; for a memoised prefix, the frame that walks the rest of its chain. */
  private finish(f: Frame): ChainOutcome | Frame {
    if (!f.looped) f.active.delete(f.chain.id);
    // Verdict sets only grow during the walk: their pieces are gathered and unioned once at
    // the end (a union per rule re-merges the growing set: quadratic on 15,000 DNAT rules).
    const family = f.input.family;
    const accepted = PacketSet.unionAll(family, f.accepted);
    const dropped = PacketSet.unionAll(family, f.dropped);
    const rejected = PacketSet.unionAll(family, f.rejected);
    const returned = PacketSet.unionAll(family, f.returned);
    if (f.memo) {
      const { events, saved, narrow, steps } = f.memo;
      this.events = saved;
      const memo: Memo = { outcome: { accepted, dropped, rejected, returned, rest: f.current }, events: summarise(events) };
      this.memo.set(f.memo.key, memo);
      return this.afterPrefix(f.chain, f.hook, narrow, f.active, steps, memo);
    }
    const head = f.head;
    if (head) {
      // What falls off the end returns to the caller.
      return {
        accepted: head.accepted.union(accepted),
        dropped: head.dropped.union(dropped),
        rejected: head.rejected.union(rejected),
        returned: head.returned.union(returned).union(f.current),
      };
    }
    // What falls off the end returns to the caller.
    return { accepted, dropped, rejected, returned: returned.union(f.current) };
  }

  /** Local addresses for REDIRECT, set by the path walker (the primary address of the input interface is approximated by every local address). */
  localAddrs: Record<string, I.IntervalSet<I.Ordinal> | null> = { ipv4: null, ipv6: null };

  private localAddrsFor(set: PacketSet): I.IntervalSet<I.Ordinal> | null {
    return this.localAddrs[set.family] ?? null;
  }

  /** Record a step's event when recording: one per rule, or one summary event for a run of rules (see rule-batches.ts). */
  private recordStep(hook: string, chain: Chain, stepRule: Step, matched: PacketSet, verdict: WalkEvent['verdict'], uncertain: boolean, extra?: Partial<WalkEvent>): void {
    // A method, not a closure per candidate rule: the bundle names every closure it creates (keepNames).
    if (!this.events) return;
    const rule = stepRule.rule;
    if (!stepRule.run) {
      this.record({ hook, kind: this.kind, chain, rule, verdict, set: matched, uncertain, ...extra });
      return;
    }
    const run = stepRule.run;
    if (!this.memoize) {
      // Tracing one flow: name the very rules of the run that match it, each for what the run's
      // earlier rules left (as the rule-by-rule walk: of two that hold the flow, the first takes it).
      let left = matched;
      for (const r of run) {
        const part = left.intersect(r.match);
        if (part.isEmpty()) continue;
        this.record({ hook, kind: this.kind, chain, rule: r, verdict, set: part, uncertain, ...extra });
        left = left.difference(part);
        if (left.isEmpty()) break;
      }
      return;
    }
    this.record({ hook, kind: this.kind, chain, rule, verdict, set: matched, uncertain, ...extra, summary: { count: run.length, lastPosition: run[run.length - 1]!.position } });
  }

  private record(event: WalkEvent): void {
    if (this.events) this.events.push(event);
  }
}

/** The jump rule that closes a loop, carrying the loop as an uncertain construct. */
function loopRule(rule: Rule, from: Chain, to: Chain): Rule {
  const loop: Uncertainty = {
    construct: `jump loop: ${from.name} → ${to.name}`,
    kind: 'unknown',
    detail: `chain ${to.name} is already being walked when ${from.name} jumps to it; the kernel refuses to load a loop ("Too many links"), so its packets are read as may-accept`,
  };
  return { ...rule, uncertain: [...rule.uncertain, loop] };
}

/** A rule's own part of slice independence (its jump target aside): no rewrite, and no look at the slice dimensions. */
function ruleLooksSliceIndependent(rule: Rule): boolean {
  const a = rule.action;
  if (a.type === 'dnat' || a.type === 'notrack') return false;
  if (rule.match.isEmpty()) return true;
  for (const d of SLICE_DIMS) {
    const full = FULL_SLICE_DIMS[d]!;
    const own = rule.match.project(d);
    if (own !== full && !I.setsEqual(own, full)) return false;
  }
  return true;
}

/** The full set of each slice dimension (the same for both families). */
const FULL_SLICE_DIMS: Record<number, DimSet> = Object.fromEntries(SLICE_DIMS.map((d) => [d, I.fullSet(dimDomain('ipv4', d)) as DimSet]));

/** Fold runs of many same-verdict events of one chain into one summary event each. */
function summarise(events: WalkEvent[]): WalkEvent[] {
  const groups = new Map<string, WalkEvent[]>();
  for (const e of events) {
    const k = `${e.chain.id}\u0000${e.verdict}\u0000${e.hook}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(e);
  }
  const big = new Set([...groups.values()].filter((g) => g.length > SUMMARY_THRESHOLD && g.every((e) => e.rule)));
  const out: WalkEvent[] = [];
  const emitted = new Set<WalkEvent[]>();
  for (const e of events) {
    const g = groups.get(`${e.chain.id}\u0000${e.verdict}\u0000${e.hook}`)!;
    if (!big.has(g)) {
      out.push(e);
      continue;
    }
    if (emitted.has(g)) continue;
    emitted.add(g);
    const set = PacketSet.unionAll(e.set.family, g.map((x) => x.set));
    const count = g.reduce((n, x) => n + (x.summary?.count ?? 1), 0);
    const last = g[g.length - 1]!;
    out.push({ ...g[0]!, set, uncertain: g.some((x) => x.uncertain), summary: { count, lastPosition: last.summary?.lastPosition ?? last.rule!.position } });
  }
  return out;
}

/** Above this many boundaries, cutting a frame's sources rule by rule copies enough to batch (see cutSourcesAtOnce). */
const MANY_SOURCES = 256;

/** Verdicts whose rules take their packets out of the walk and nothing else. */
const CUTS_SOURCES = new Set<Action['type']>(['accept', 'drop', 'reject', 'return']);

/**
 * What stays in a chain after a rule matched `matched` of `current`: everything if the rule
 * only may match; nothing, without a subtraction, when it took every packet (intersect
 * returns `current` itself then).
 */
function remaining(current: PacketSet, matched: PacketSet, uncertain: boolean): PacketSet {
  if (uncertain) return current;
  return matched === current ? empty(current) : current.difference(matched);
}

function empty(like: PacketSet): PacketSet {
  return PacketSet.empty(like.family);
}

/** Rewrite destination address and port as DNAT/REDIRECT do; the conntrack entry keeps the original ones and now carries the DNAT status. */
function applyDnat(set: PacketSet, action: Extract<Action, { type: 'dnat' }>, local: I.IntervalSet<I.Ordinal> | null): PacketSet {
  let out = recordOriginalDst(set);
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
