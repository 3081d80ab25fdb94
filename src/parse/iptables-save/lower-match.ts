/**
 * A rule's conditions to the exact set of packets they match (one cube in the common case)
 * plus the conditions that could not be decided, which leave their dimension unrestricted
 * so that the rule *may* match more, never less, than the kernel's.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import { type Cube, Dim, type DimSet, PacketSet, ctStateSet, dimDomain, tcpFlagsSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { IptMatch, IptOption, IptRule } from './ast.js';
import { icmpTypeSet } from './icmp-types.js';
import type { LowerEnv } from './lower-env.js';
import { addrTypeSet, ipsetMatch } from './lower-context-matches.js';
import { RATE_LIMIT_MODULES, UNMODELLED_MODULES } from './modules.js';

export interface LoweredMatch {
  match: PacketSet;
  uncertain: Uncertainty[];
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
const TCP_FLAG_NAMES: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 };
/** `--syn` is `--tcp-flags FIN,SYN,RST,ACK SYN`. */
const SYN_SET = tcpFlagsSet(0x17, 0x02);
const tcpFlagsCache = new Map<string, DimSet>();

/** Lower every condition of `rule`. */
export function lowerMatch(rule: IptRule, env: LowerEnv): LoweredMatch {
  const cube: DimSet[] = env.full.slice();
  const uncertain: Uncertainty[] = [];
  let extra: PacketSet[] | null = null;
  let never = false;
  let comment: string | undefined;
  const line = rule.line;

  const restrict = (d: Dim, set: DimSet, negated = false) => {
    const s = negated ? I.complement(set, dimDomain(env.family, d)) : set;
    cube[d] = cube[d] === env.full[d] ? s : I.intersect(cube[d]!, s);
  };
  const uncertainOf = (name: string, u: Uncertainty) => {
    uncertain.push(u);
    env.note(name, u, line);
  };
  const badValue = (opt: IptOption, what: string, example: string) => {
    const construct = optionText(opt);
    env.bad(line, `${what} in ${construct}`, example, rule.text);
    uncertain.push({ construct, kind: 'unknown', detail: `malformed ${what}` });
  };

  // Generic options.
  for (const opt of rule.generic) {
    const arg = opt.args[0];
    switch (opt.name) {
      case 's':
      case 'd': {
        if (arg === undefined) break;
        const set = env.values.addresses(arg);
        if (!set) badValue(opt, `${env.family} address`, env.family === 'ipv4' ? '192.0.2.0/24' : '2001:db8::/32');
        else restrict(opt.name === 's' ? Dim.Src : Dim.Dst, set as DimSet, opt.negated);
        break;
      }
      case 'p': {
        if (arg === undefined) break;
        const set = env.values.protocol(arg);
        if (!set) badValue(opt, 'protocol', 'tcp, udp, icmp, all or a number 0-255');
        else restrict(Dim.Proto, set, opt.negated);
        break;
      }
      case 'i':
      case 'o':
        if (arg !== undefined) restrict(opt.name === 'i' ? Dim.Iif : Dim.Oif, env.values.iface(arg), opt.negated);
        break;
      case 'f':
        // We model first fragments (and unfragmented packets): `-f` matches none of them.
        if (!opt.negated) never = true;
        break;
      default:
        break; // -c counters
    }
  }

  for (const m of rule.matches) {
    switch (m.module) {
      case 'tcp':
      case 'udp':
      case 'sctp':
      case 'dccp':
        restrict(Dim.Proto, PROTO[m.module]);
        portModule(m);
        break;
      case 'icmp':
      case 'icmp6':
        restrict(Dim.Proto, PROTO[m.module]);
        for (const opt of m.options) {
          if (opt.name === (m.module === 'icmp' ? 'icmp-type' : 'icmpv6-type') && opt.args[0] !== undefined) {
            const set = icmpTypeSet(opt.args[0], m.module === 'icmp6');
            if (!set) badValue(opt, 'ICMP type', m.module === 'icmp' ? 'echo-request, 8 or 3/4' : 'echo-request, 128 or 1/4');
            else restrict(Dim.Dport, set, opt.negated);
          } else unknownOption(m, opt);
        }
        break;
      case 'multiport':
        restrict(Dim.Proto, MULTIPORT_PROTOS);
        for (const opt of m.options) {
          const dim = opt.name === 'dports' || opt.name === 'destination-ports' ? Dim.Dport : opt.name === 'sports' || opt.name === 'source-ports' ? Dim.Sport : opt.name === 'ports' ? -1 : null;
          if (dim === null || opt.args[0] === undefined) {
            unknownOption(m, opt);
            continue;
          }
          const set = env.values.portList(opt.args[0]);
          if (!set) badValue(opt, 'port list', '22,80,1024:2048');
          else if (dim !== -1) restrict(dim, set, opt.negated);
          else if (opt.negated) {
            // ! --ports S: neither port in S.
            restrict(Dim.Sport, set, true);
            restrict(Dim.Dport, set, true);
          } else {
            // --ports S: source port in S or destination port in S (two cubes).
            (extra ??= []).push(PacketSet.where(env.family, { [Dim.Sport]: set }).union(PacketSet.where(env.family, { [Dim.Dport]: set })));
          }
        }
        break;
      case 'state':
      case 'conntrack':
        for (const opt of m.options) {
          if ((opt.name === 'state' && m.module === 'state') || (opt.name === 'ctstate' && m.module === 'conntrack')) {
            const set = opt.args[0] === undefined ? null : ctStateSet(opt.args[0].split(','));
            if (!set) badValue(opt, 'connection state', 'NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED');
            else restrict(Dim.State, set, opt.negated);
          } else if (m.module === 'conntrack' && opt.name.startsWith('ct')) {
            const construct = `-m conntrack ${optionText(opt)}`;
            uncertainOf(`-m conntrack --${opt.name}`, { construct, kind: 'unmodelled', detail: 'conntrack condition other than --ctstate' });
          } else unknownOption(m, opt);
        }
        break;
      case 'addrtype': {
        const limited = m.options.some((o) => o.name === 'limit-iface-in' || o.name === 'limit-iface-out');
        if (limited) {
          uncertainOf('-m addrtype --limit-iface-in/out', { construct: m.text, kind: 'unmodelled', detail: 'address types as seen from one interface' });
          break;
        }
        for (const opt of m.options) {
          if ((opt.name !== 'src-type' && opt.name !== 'dst-type') || opt.args[0] === undefined) {
            unknownOption(m, opt);
            continue;
          }
          const r = addrTypeSet(opt.args[0].split(','), env);
          if ('set' in r) restrict(opt.name === 'src-type' ? Dim.Src : Dim.Dst, r.set, opt.negated);
          else if (r.bad) badValue(opt, 'address type', 'LOCAL, UNICAST, BROADCAST, MULTICAST');
          else uncertainOf(r.name, { construct: `-m addrtype ${optionText(opt)}`, kind: r.kind, detail: r.detail });
        }
        break;
      }
      case 'iprange':
        for (const opt of m.options) {
          if ((opt.name !== 'src-range' && opt.name !== 'dst-range') || opt.args[0] === undefined) {
            unknownOption(m, opt);
            continue;
          }
          const set = env.values.addresses(opt.args[0]);
          if (!set) badValue(opt, 'address range', env.family === 'ipv4' ? '192.0.2.1-192.0.2.9' : '2001:db8::1-2001:db8::9');
          else restrict(opt.name === 'src-range' ? Dim.Src : Dim.Dst, set as DimSet, opt.negated);
        }
        break;
      case 'set':
        for (const opt of m.options) {
          if ((opt.name === 'match-set' || opt.name === 'set') && opt.args.length === 2) {
            const r = ipsetMatch(opt.args[0]!, opt.args[1]!.split(','), env);
            if ('set' in r) {
              if (r.set.cubes.length === 1) {
                const c = r.set.cubes[0]!;
                if (opt.negated) {
                  // Negating one cube that restricts one dimension is that dimension's complement.
                  const dims = c.map((s, d) => (s === env.full[d] || I.setsEqual(s, env.full[d]!) ? -1 : d)).filter((d) => d >= 0);
                  if (dims.length === 1) restrict(dims[0] as Dim, c[dims[0]!]!, true);
                  else (extra ??= []).push(PacketSet.all(env.family).difference(r.set));
                } else for (let d = 0; d < c.length; d++) if (c[d] !== env.full[d]) restrict(d as Dim, c[d]!);
              } else (extra ??= []).push(opt.negated ? PacketSet.all(env.family).difference(r.set) : r.set);
            } else uncertainOf(`-m set --match-set ${opt.args[0]}`, { construct: `-m set ${optionText(opt)}`, kind: r.kind, detail: r.detail });
          } else if (opt.name === 'update-counters' || opt.name === 'update-subcounters' || opt.name === 'return-nomatch') {
            // Counter bookkeeping; --return-nomatch only matters for nomatch entries, which make the set partial anyway.
          } else {
            uncertainOf(`-m set --${opt.name}`, { construct: `-m set ${optionText(opt)}`, kind: 'unmodelled', detail: 'ipset counter condition' });
          }
        }
        break;
      case 'comment':
        for (const opt of m.options) {
          if (opt.name === 'comment' && opt.args[0] !== undefined) comment = comment === undefined ? opt.args[0] : `${comment}; ${opt.args[0]}`;
        }
        break;
      case 'pkttype':
        // We model unicast connection attempts: a unicast (or to-this-host) packet type matches
        // every packet we model, broadcast and multicast none of them.
        for (const opt of m.options) {
          const t = opt.args[0]?.toLowerCase();
          if (opt.name !== 'pkt-type' || t === undefined) unknownOption(m, opt);
          else if (t === 'unicast' || t === 'host') never ||= opt.negated;
          else if (t === 'broadcast' || t === 'multicast' || t === 'otherhost') never ||= !opt.negated;
          else badValue(opt, 'packet type', 'unicast, broadcast or multicast');
        }
        break;
      case 'recent':
        // `--set` alone only records the source and always matches; checks depend on history.
        if (m.options.every((o) => !o.negated && ['set', 'name', 'mask', 'rsource', 'rdest'].includes(o.name))) break;
        uncertainOf('-m recent', { construct: m.text, kind: 'rate-limit', detail: recentDetail(m) });
        break;
      default:
        if (RATE_LIMIT_MODULES.has(m.module)) uncertainOf(`-m ${m.module}`, { construct: m.text, kind: 'rate-limit', detail: `${m.module} admits only packets within its limit` });
        else if (UNMODELLED_MODULES.has(m.module)) uncertainOf(`-m ${m.module}`, { construct: m.text, kind: 'unmodelled', detail: `${m.module} condition is not modelled` });
        else uncertainOf(`-m ${m.module}`, { construct: m.text, kind: 'unknown', detail: `unknown match module ${m.module}` });
    }
  }

  let match: PacketSet;
  if (never) match = PacketSet.empty(env.family);
  else {
    match = PacketSet.fromCubes(env.family, [cube as Cube]);
    if (extra) for (const x of extra) match = match.intersect(x);
  }
  const out: LoweredMatch = { match, uncertain };
  if (comment !== undefined) out.comment = comment;
  return out;

  function portModule(m: IptMatch): void {
    for (const opt of m.options) {
      const arg = opt.args[0];
      switch (opt.name) {
        case 'sport':
        case 'source-port':
        case 'dport':
        case 'destination-port': {
          const set = arg === undefined ? null : env.values.portList(arg);
          if (!set) badValue(opt, 'port', '22, 1024:65535, :1023 or 1024:');
          else restrict(opt.name === 'sport' || opt.name === 'source-port' ? Dim.Sport : Dim.Dport, set, opt.negated);
          break;
        }
        case 'syn':
          if (m.module !== 'tcp') unknownOption(m, opt);
          else restrict(Dim.TcpFlags, SYN_SET, opt.negated);
          break;
        case 'tcp-flags': {
          const set = m.module === 'tcp' && opt.args.length === 2 ? tcpFlags(opt.args[0]!, opt.args[1]!) : null;
          if (!set) badValue(opt, 'TCP flags', 'FIN,SYN,RST,ACK SYN');
          else restrict(Dim.TcpFlags, set, opt.negated);
          break;
        }
        default:
          uncertainOf(`-m ${m.module} --${opt.name}`, {
            construct: `-m ${m.module} ${optionText(opt)}`,
            kind: opt.name === 'tcp-option' || opt.name === 'chunk-types' || opt.name.startsWith('dccp-') ? 'unmodelled' : 'unknown',
            detail: `${m.module} option --${opt.name}`,
          });
      }
    }
  }

  function unknownOption(m: IptMatch, opt: IptOption): void {
    uncertainOf(`-m ${m.module} --${opt.name}`, { construct: `-m ${m.module} ${optionText(opt)}`, kind: 'unknown', detail: `unknown option of module ${m.module}` });
  }
}

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
