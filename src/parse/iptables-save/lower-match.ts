/**
 * A rule's conditions to the exact set of packets they match (one cube in the common case)
 * plus the conditions that could not be decided, which leave their dimension unrestricted
 * so that the rule *may* match more, never less, than the kernel's.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet, tcpFlagsSet } from '../../model/packet-set.js';
import type { Limiter, Uncertainty } from '../../model/ruleset.js';
import type { IptMatch, IptOption, IptRule } from './ast.js';
import { icmpTypeSet } from './icmp-types.js';
import type { LowerEnv } from './lower-env.js';
import { ipsetMatch } from './ipset-match.js';
import { lowerConntrack } from './lower-conntrack.js';
import { limiterOf } from './lower-limiters.js';
import { addrTypeSet } from './lower-context-matches.js';
import { RATE_LIMIT_MODULES, UNMODELLED_MODULES } from './modules.js';
import { nameTable } from '../../model/name-table.js';

export interface LoweredMatch {
  match: PacketSet;
  uncertain: Uncertainty[];
  limits?: Limiter[];
  comment?: string;
}

const PROTO = {
  icmp: I.range(1, 2),
  tcp: I.range(6, 7),
  udp: I.range(17, 18),
  dccp: I.range(33, 34),
  icmp6: I.range(58, 59),
  sctp: I.range(132, 133),
} as const;
/** Protocols multiport accepts (xt_multiport.c: tcp, udp, udplite, sctp, dccp). */
const MULTIPORT_PROTOS = I.fromPoints([6, 17, 33, 132, 136]);

/** iptables' flag names: ALL is the six classic flags, not ECE/CWR (libxt_tcp.c). */
const TCP_FLAG_NAMES: Readonly<Record<string, number>> = nameTable({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 });
/** `--syn` is `--tcp-flags FIN,SYN,RST,ACK SYN`. */
const SYN_SET = tcpFlagsSet(0x17, 0x02);
const tcpFlagsCache = new Map<string, DimSet>();
/** How many recent match sets a lowering run compares a new rule's cube with. */
const RECENT_MATCHES = 8;

/**
 * Lowers rules one after another. One instance per lowering run: the per-rule state lives
 * in fields rather than closures, because this runs for every rule of very large dumps.
 */
export class MatchLowerer {
  private cube: DimSet[] = [];
  private uncertain: Uncertainty[] = [];
  private extra: PacketSet[] | null = null;
  private never = false;
  private comment: string | undefined;
  private limits: Limiter[] | null = null;
  private rule!: IptRule;
  /** The last match sets made, for {@link shared}; few, since a chain's rules repeat nearby. */
  private readonly recent: PacketSet[] = [];

  constructor(private readonly env: LowerEnv) {}

  /** Lower every condition of `rule`. */
  lower(rule: IptRule): LoweredMatch {
    const env = this.env;
    this.read(rule, 0);

    let match: PacketSet;
    if (this.never) match = PacketSet.empty(env.family);
    else {
      match = this.shared(this.cube);
      const extra = this.extra as PacketSet[] | null; // set by the option readers above
      if (extra) for (const x of extra) match = match.intersect(x);
    }
    const out: LoweredMatch = { match, uncertain: this.uncertain };
    if (this.comment !== undefined) out.comment = this.comment;
    if (this.limits) out.limits = this.limits;
    return out;
  }

  /**
   * The match set of `cube`: one made for an earlier rule when every dimension of its cube is
   * the same array (the value readers memoise, so equal conditions give the same arrays). A
   * kube-proxy node's 15,000 DNAT rules match `-p tcp` alone: one set, not 15,000 copies
   * kept alive through the analysis (issue 8). Sets are immutable, so sharing changes nothing
   * but memory.
   */
  private shared(cube: DimSet[]): PacketSet {
    const recent = this.recent;
    search: for (let k = 0; k < recent.length; k++) {
      const hit = recent[k]!;
      const known = hit.cubes[0]!;
      for (let d = 0; d < cube.length; d++) if (known[d] !== cube[d]) continue search;
      // One step to the front: a set that repeats outlives the one-off sets (a pod's own address) between its uses.
      if (k > 0) {
        recent[k] = recent[k - 1]!;
        recent[k - 1] = hit;
      }
      return hit;
    }
    const match = PacketSet.ofCube(this.env.family, cube as Cube);
    if (match.cubes.length === 1) {
      if (recent.length < RECENT_MATCHES) recent.push(match);
      else recent[RECENT_MATCHES - 1] = match;
    }
    return match;
  }

  /**
   * The one cube of `rule`'s conditions other than its first generic option (the address of
   * an address run, see address-run.ts), or null when they are not exactly one cube without
   * uncertainty or limits.
   */
  cubeAfterFirst(rule: IptRule): Cube | null {
    this.read(rule, 1);
    if (this.never || this.extra !== null || this.uncertain !== NO_UNCERTAINTY || this.limits !== null) return null;
    return this.cube as Cube;
  }

  /**
   * The one cube of all `rule`'s conditions, or null when they are not exactly one cube or
   * carry limits; uncertain constructs are the caller's to check (lower-template.ts).
   */
  plainCube(rule: IptRule): Cube | null {
    this.read(rule, 0);
    if (this.never || this.extra !== null || this.limits !== null) return null;
    return this.cube as Cube;
  }

  /** Read the conditions of `rule` into the fields, from generic option `from` on. */
  private read(rule: IptRule, from: number): void {
    this.rule = rule;
    this.cube = this.env.full.slice();
    this.uncertain = NO_UNCERTAINTY;
    this.extra = null;
    this.never = false;
    this.comment = undefined;
    this.limits = null;

    const generic = rule.generic;
    for (let k = from; k < generic.length; k++) this.genericOption(generic[k]!);
    for (const m of rule.matches) this.module(m);
  }

  private restrict(d: Dim, set: DimSet, negated = false): void {
    const s = negated ? this.env.values.complement(d, set) : set;
    const cur = this.cube[d]!;
    this.cube[d] = cur === this.env.full[d] ? s : I.intersect(cur, s);
  }

  private addExtra(p: PacketSet): void {
    (this.extra ??= []).push(p);
  }

  private addUncertainty(u: Uncertainty): void {
    if (this.uncertain === NO_UNCERTAINTY) this.uncertain = [u];
    else this.uncertain.push(u);
  }

  private open(name: string, u: Uncertainty): void {
    this.addUncertainty(u);
    this.env.note(name, u, this.rule.line);
  }

  private badValue(opt: IptOption, what: string, example: string): void {
    const construct = optionText(opt);
    // A missing argument was already reported by the parser; only the uncertainty remains.
    if (opt.args.length > 0) this.env.bad(this.rule.line, `${what} in ${construct}`, example, this.rule.text);
    this.addUncertainty({ construct, kind: 'unknown', detail: `malformed ${what}` });
  }

  private unknownOption(m: IptMatch, opt: IptOption): void {
    this.open(`-m ${m.module} --${opt.name}`, { construct: `-m ${m.module} ${optionText(opt)}`, kind: 'unknown', detail: `unknown option of module ${m.module}` });
  }

  private genericOption(opt: IptOption): void {
    const env = this.env;
    const arg = opt.args[0];
    if (arg === undefined && opt.name !== 'f') return;
    switch (opt.name) {
      case 's':
      case 'd': {
        const set = env.values.addresses(arg!);
        if (!set) this.badValue(opt, `${env.family} address`, env.family === 'ipv4' ? '192.0.2.0/24' : '2001:db8::/32');
        else if (env.values.isSuperset(arg!)) {
          // Too many combinations to enumerate: the rule may match (its negation: any address).
          this.addUncertainty({ construct: `${opt.negated ? '! ' : ''}-${opt.name} ${arg}`, kind: 'unmodelled', detail: 'non-contiguous mask with too many combinations to list: read as its leading prefix' });
          if (!opt.negated) this.restrict(opt.name === 's' ? Dim.Src : Dim.Dst, set as DimSet, false);
        } else this.restrict(opt.name === 's' ? Dim.Src : Dim.Dst, set as DimSet, opt.negated);
        break;
      }
      case 'p': {
        const set = env.values.protocol(arg!);
        if (!set) this.badValue(opt, 'protocol', 'tcp, udp, icmp, all or a number 0-255');
        else this.restrict(Dim.Proto, set, opt.negated);
        break;
      }
      case 'i':
      case 'o':
        this.restrict(opt.name === 'i' ? Dim.Iif : Dim.Oif, env.values.iface(arg!), opt.negated);
        break;
      case 'f':
        // We model first fragments (and unfragmented packets): `-f` matches none of them.
        if (!opt.negated) this.never = true;
        break;
      default:
        break; // -c counters
    }
  }

  private module(m: IptMatch): void {
    const env = this.env;
    switch (m.module) {
      case 'tcp':
      case 'udp':
      case 'sctp':
      case 'dccp':
        this.restrict(Dim.Proto, PROTO[m.module]);
        this.portModule(m);
        break;
      case 'icmp':
      case 'icmp6': {
        this.restrict(Dim.Proto, PROTO[m.module]);
        const v6 = m.module === 'icmp6';
        for (const opt of m.options) {
          if (opt.name === (v6 ? 'icmpv6-type' : 'icmp-type') && opt.args[0] !== undefined) {
            const set = icmpTypeSet(opt.args[0], v6);
            if (!set) this.badValue(opt, 'ICMP type', v6 ? 'echo-request, 128 or 1/4' : 'echo-request, 8 or 3/4');
            else this.restrict(Dim.Dport, set, opt.negated);
          } else this.unknownOption(m, opt);
        }
        break;
      }
      case 'multiport':
        this.restrict(Dim.Proto, MULTIPORT_PROTOS);
        for (const opt of m.options) this.multiport(m, opt);
        break;
      case 'state':
        for (const opt of m.options) {
          if (opt.name === 'state') {
            const set = opt.args[0] === undefined ? null : env.values.states(opt.args[0]);
            if (!set) this.badValue(opt, 'connection state', 'NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED');
            else this.restrict(Dim.State, set, opt.negated);
          } else this.unknownOption(m, opt);
        }
        break;
      case 'conntrack': {
        const r = lowerConntrack(m, env);
        for (const issue of r.issues) {
          if ('bad' in issue) this.badValue(issue.opt, issue.bad.what, issue.bad.example);
          else if (issue.open.kind === 'unknown') this.unknownOption(m, issue.opt);
          else this.open(`-m conntrack --${issue.opt.name}`, { construct: `-m conntrack ${optionText(issue.opt)}`, kind: issue.open.kind, detail: issue.open.detail });
        }
        if (r.set) this.addExtra(r.set);
        else if (r.state) this.restrict(Dim.State, r.state);
        break;
      }
      case 'addrtype':
        this.addrtype(m);
        break;
      case 'iprange':
        for (const opt of m.options) {
          if ((opt.name !== 'src-range' && opt.name !== 'dst-range') || opt.args[0] === undefined) {
            this.unknownOption(m, opt);
            continue;
          }
          const set = env.values.addresses(opt.args[0]);
          if (!set) this.badValue(opt, 'address range', env.family === 'ipv4' ? '192.0.2.1-192.0.2.9' : '2001:db8::1-2001:db8::9');
          else this.restrict(opt.name === 'src-range' ? Dim.Src : Dim.Dst, set as DimSet, opt.negated);
        }
        break;
      case 'set': {
        const returnNomatch = m.options.some((o) => o.name === 'return-nomatch');
        for (const opt of m.options) this.ipset(opt, returnNomatch);
        break;
      }
        break;
      case 'comment':
        for (const opt of m.options) {
          const text = opt.args[0];
          if (opt.name === 'comment' && text !== undefined) this.comment = this.comment === undefined ? text : `${this.comment}; ${text}`;
        }
        break;
      case 'pkttype':
        // We model unicast connection attempts: a unicast (or to-this-host) packet type matches
        // every packet we model, broadcast and multicast none of them.
        for (const opt of m.options) {
          const t = opt.args[0]?.toLowerCase();
          if (opt.name !== 'pkt-type' || t === undefined) this.unknownOption(m, opt);
          else if (t === 'unicast' || t === 'host') this.never ||= opt.negated;
          else if (t === 'broadcast' || t === 'multicast' || t === 'otherhost') this.never ||= !opt.negated;
          else this.badValue(opt, 'packet type', 'unicast, broadcast or multicast');
        }
        break;
      case 'recent': {
        // `--set` alone only records the source and always matches; checks depend on history.
        if (m.options.every((o) => !o.negated && RECENT_RECORD_ONLY.has(o.name))) break;
        const limiter = limiterOf(m);
        if (limiter) (this.limits ??= []).push(limiter);
        else this.open('-m recent', { construct: m.text, kind: 'rate-limit', detail: recentDetail(m) });
        break;
      }
      default: {
        const limiter = RATE_LIMIT_MODULES.has(m.module) ? limiterOf(m) : null;
        if (limiter) (this.limits ??= []).push(limiter);
        else if (RATE_LIMIT_MODULES.has(m.module)) this.open(`-m ${m.module}`, { construct: m.text, kind: 'rate-limit', detail: `${m.module} admits only packets within its limit` });
        else if (UNMODELLED_MODULES.has(m.module)) this.open(`-m ${m.module}`, { construct: m.text, kind: 'unmodelled', detail: `${m.module} condition is not modelled` });
        else this.open(`-m ${m.module}`, { construct: m.text, kind: 'unknown', detail: `unknown match module ${m.module}` });
      }
    }
  }

  private portModule(m: IptMatch): void {
    for (const opt of m.options) {
      const arg = opt.args[0];
      switch (opt.name) {
        case 'sport':
        case 'source-port':
        case 'dport':
        case 'destination-port': {
          const set = arg === undefined ? null : this.env.values.portList(arg);
          if (!set) this.badValue(opt, 'port', '22, 1024:65535, :1023 or 1024:');
          else this.restrict(opt.name === 'sport' || opt.name === 'source-port' ? Dim.Sport : Dim.Dport, set, opt.negated);
          break;
        }
        case 'syn':
          if (m.module !== 'tcp') this.unknownOption(m, opt);
          else this.restrict(Dim.TcpFlags, SYN_SET, opt.negated);
          break;
        case 'tcp-flags': {
          const set = m.module === 'tcp' && opt.args.length === 2 ? tcpFlags(opt.args[0]!, opt.args[1]!) : null;
          if (!set) this.badValue(opt, 'TCP flags', 'FIN,SYN,RST,ACK SYN');
          else this.restrict(Dim.TcpFlags, set, opt.negated);
          break;
        }
        default:
          this.open(`-m ${m.module} --${opt.name}`, {
            construct: `-m ${m.module} ${optionText(opt)}`,
            kind: opt.name === 'tcp-option' || opt.name === 'chunk-types' || opt.name.startsWith('dccp-') ? 'unmodelled' : 'unknown',
            detail: `${m.module} option --${opt.name}`,
          });
      }
    }
  }

  private multiport(m: IptMatch, opt: IptOption): void {
    const n = opt.name;
    const dim = n === 'dports' || n === 'destination-ports' ? Dim.Dport : n === 'sports' || n === 'source-ports' ? Dim.Sport : n === 'ports' ? -1 : null;
    if (dim === null || opt.args[0] === undefined) return this.unknownOption(m, opt);
    const set = this.env.values.portList(opt.args[0]);
    if (!set) this.badValue(opt, 'port list', '22,80,1024:2048');
    else if (dim !== -1) this.restrict(dim, set, opt.negated);
    else if (opt.negated) {
      // ! --ports S: neither port in S.
      this.restrict(Dim.Sport, set, true);
      this.restrict(Dim.Dport, set, true);
    } else {
      // --ports S: source port in S or destination port in S (two cubes).
      const f = this.env.family;
      this.addExtra(PacketSet.where(f, { [Dim.Sport]: set }).union(PacketSet.where(f, { [Dim.Dport]: set })));
    }
  }

  private addrtype(m: IptMatch): void {
    if (m.options.some((o) => o.name === 'limit-iface-in' || o.name === 'limit-iface-out')) {
      this.open('-m addrtype --limit-iface-in/out', { construct: m.text, kind: 'unmodelled', detail: 'address types as seen from one interface' });
      return;
    }
    for (const opt of m.options) {
      if ((opt.name !== 'src-type' && opt.name !== 'dst-type') || opt.args[0] === undefined) {
        this.unknownOption(m, opt);
        continue;
      }
      const r = addrTypeSet(opt.args[0].split(','), this.env);
      if ('set' in r) this.restrict(opt.name === 'src-type' ? Dim.Src : Dim.Dst, r.set, opt.negated);
      else if (r.bad) this.badValue(opt, 'address type', 'LOCAL, UNICAST, BROADCAST, MULTICAST');
      else this.open(r.name, { construct: `-m addrtype ${optionText(opt)}`, kind: r.kind, detail: r.detail });
    }
  }

  private ipset(opt: IptOption, returnNomatch: boolean): void {
    const env = this.env;
    if ((opt.name === 'match-set' || opt.name === 'set') && opt.args.length === 2) {
      const r = ipsetMatch(opt.args[0]!, opt.args[1]!.split(','), env.family, env.context, returnNomatch);
      if (!('set' in r)) {
        this.open(`-m set --match-set ${opt.args[0]}`, { construct: `-m set ${optionText(opt)}`, kind: r.kind, detail: r.detail });
        return;
      }
      const cubes = r.set.cubes;
      if (cubes.length === 1) {
        const c = cubes[0]!;
        const dims: number[] = [];
        for (let d = 0; d < c.length; d++) if (c[d] !== env.full[d] && !I.setsEqual(c[d]!, env.full[d]!)) dims.push(d);
        if (!opt.negated) for (const d of dims) this.restrict(d as Dim, c[d]!);
        // Negating one cube that restricts one dimension is that dimension's complement.
        else if (dims.length === 1) this.restrict(dims[0] as Dim, c[dims[0]!]!, true);
        else this.addExtra(PacketSet.all(env.family).difference(r.set));
      } else this.addExtra(opt.negated ? PacketSet.all(env.family).difference(r.set) : r.set);
    } else if (opt.name === 'update-counters' || opt.name === 'update-subcounters' || opt.name === 'return-nomatch') {
      // Counter bookkeeping; --return-nomatch (nomatch entries then match too) is read with --match-set.
    } else {
      this.open(`-m set --${opt.name}`, { construct: `-m set ${optionText(opt)}`, kind: 'unmodelled', detail: 'ipset counter condition' });
    }
  }
}

/** Shared by every rule without uncertain constructs; replaced, never pushed to. */
const NO_UNCERTAINTY: Uncertainty[] = [];

const RECENT_RECORD_ONLY = new Set(['set', 'name', 'mask', 'rsource', 'rdest']);

function tcpFlags(maskText: string, compText: string): DimSet | null {
  const key = `${maskText} ${compText}`;
  const hit = tcpFlagsCache.get(key);
  if (hit) return hit;
  const mask = flagBits(maskText);
  const comp = flagBits(compText);
  if (mask === null || comp === null) return null;
  const set = tcpFlagsSet(mask, comp); // comp outside mask never matches, as in the kernel
  tcpFlagsCache.set(key, set);
  return set;
}

function flagBits(text: string): number | null {
  let bits = 0;
  for (const name of text.toUpperCase().split(',')) {
    const b = TCP_FLAG_NAMES[name];
    if (b === undefined) return null;
    bits |= b;
  }
  return bits;
}

function recentDetail(m: IptMatch): string {
  const get = (n: string) => m.options.find((o) => o.name === n)?.args[0];
  const mode = m.options.find((o) => ['rcheck', 'update', 'remove', 'set'].includes(o.name))?.name ?? 'rcheck';
  const parts = [`--${mode} on list ${get('name') ?? 'DEFAULT'}`];
  if (get('seconds')) parts.push(`within ${get('seconds')} s`);
  if (get('hitcount')) parts.push(`at least ${get('hitcount')} hits`);
  return `matches by source history: ${parts.join(', ')}`;
}

/** An option as text, e.g. "! --dport 22". */
export function optionText(opt: IptOption): string {
  const args = opt.args.map((a) => (/[\s"]/.test(a) || a === '' ? JSON.stringify(a) : a));
  return [opt.negated ? '!' : '', opt.flag, ...args].filter((s) => s !== '').join(' ');
}
