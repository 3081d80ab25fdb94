/**
 * `-j`/`-g` targets to model actions. Targets that only note or mangle the packet become
 * `continue`; NAT targets carry their new address and ports as dimension sets.
 *
 * @module
 */
import * as I from '../../model/interval-set.js';
import type { DimSet } from '../../model/packet-set.js';
import type { Action, RejectWith, Uncertainty } from '../../model/ruleset.js';
import type { IptOption, IptRule, IptTarget } from './ast.js';
import type { LowerEnv } from './lower-env.js';
import { optionText } from './lower-match.js';
import { CONTINUE_TARGETS } from './targets.js';
import { parsePorts } from './values.js';
import { nameTable } from '../../model/name-table.js';

// Actions without parameters are shared by every rule that has them (the model is read-only).
const ACCEPT: Action = { type: 'accept' };
const DROP: Action = { type: 'drop' };
const RETURN: Action = { type: 'return' };
const NOTRACK: Action = { type: 'notrack' };
const QUEUE: Action = { type: 'queue' };
const SNAT: Action = { type: 'snat' };
const COUNTER: Action = { type: 'continue', note: 'counter' };
const NO_UNCERTAINTY: Uncertainty[] = [];
/** One REJECT action per reply type: a blocklist has 50,000 REJECT rules. */
const REJECT = {} as Record<RejectWith, Action>;
function rejectAction(withType: RejectWith): Action {
  return (REJECT[withType] ??= { type: 'reject', with: withType });
}

export interface LoweredTarget {
  action: Action;
  uncertain: Uncertainty[];
}

/** `--reject-with` names (current, old and ip6tables spellings) to the model's reply types. */
const REJECT_WITH: Readonly<Record<string, RejectWith>> = nameTable({
  'tcp-reset': 'tcp-reset', 'tcp-rst': 'tcp-reset',
  'icmp-net-unreachable': 'net-unreachable', 'net-unreach': 'net-unreachable',
  'icmp-host-unreachable': 'host-unreachable', 'host-unreach': 'host-unreachable',
  'icmp-port-unreachable': 'port-unreachable', 'port-unreach': 'port-unreachable',
  'icmp-proto-unreachable': 'proto-unreachable', 'proto-unreach': 'proto-unreachable',
  'icmp-net-prohibited': 'net-prohibited', 'net-prohib': 'net-prohibited',
  'icmp-host-prohibited': 'host-prohibited', 'host-prohib': 'host-prohibited',
  'icmp-admin-prohibited': 'admin-prohibited', 'admin-prohib': 'admin-prohibited',
  'icmp6-no-route': 'no-route', 'no-route': 'no-route',
  'icmp6-adm-prohibited': 'admin-prohibited', 'adm-prohibited': 'admin-prohibited',
  'icmp6-addr-unreachable': 'addr-unreachable', 'addr-unreach': 'addr-unreachable',
  'icmp6-port-unreachable': 'port-unreachable',
  'icmp6-policy-fail': 'policy-fail', 'policy-fail': 'policy-fail',
  'icmp6-reject-route': 'reject-route', 'reject-route': 'reject-route',
});

/**
 * Lower a rule's target. `chainAction` gives the jump or goto action to a chain of the
 * rule's table, or null when the table has no chain of that name.
 */
export function lowerTarget(rule: IptRule, table: string, chainAction: (name: string, goto: boolean) => Action | null, env: LowerEnv): LoweredTarget {
  const t = rule.target;
  // Only NETMAP adds to it; others share the empty list.
  const uncertain: Uncertainty[] = t?.name === 'NETMAP' ? [] : NO_UNCERTAINTY;
  if (!t) return { action: COUNTER, uncertain };
  const toChain = chainAction(t.name, t.goto);
  if (toChain !== null) return { action: toChain, uncertain };
  // Module functions, not closures: this runs for every rule, and the bundle names each
  // closure it creates (keepNames), a defineProperty per rule (issue 8).
  if (t.goto) return unknownTarget(rule, t, env, uncertain, `-g to ${t.name}, which is no chain of table ${table}`);

  switch (t.name) {
    case 'ACCEPT':
      return { action: ACCEPT, uncertain };
    case 'DROP':
      return { action: DROP, uncertain };
    case 'RETURN':
      return { action: RETURN, uncertain };
    case 'REJECT': {
      const given = targetOption(t, 'reject-with')?.args[0];
      let withType: RejectWith = given === undefined ? 'port-unreachable' : (REJECT_WITH[given.toLowerCase()] ?? 'port-unreachable');
      if (given !== undefined && REJECT_WITH[given.toLowerCase()] === undefined) {
        env.bad(rule.line, `unknown reject type "${given}"`, env.family === 'ipv4' ? 'icmp-port-unreachable, tcp-reset, icmp-host-prohibited, …' : 'icmp6-port-unreachable, tcp-reset, icmp6-adm-prohibited, …', rule.text);
        withType = 'port-unreachable';
      }
      return { action: rejectAction(withType), uncertain };
    }
    case 'NOTRACK':
      return { action: NOTRACK, uncertain };
    case 'CT':
      if (targetOption(t, 'notrack')) return { action: NOTRACK, uncertain };
      return { action: { type: 'continue', note: 'CT' }, uncertain };
    case 'QUEUE':
    case 'NFQUEUE':
      return { action: QUEUE, uncertain };
    case 'SNAT':
    case 'MASQUERADE':
      return { action: SNAT, uncertain };
    case 'DNAT': {
      const tos = t.options.filter((o) => o.name === 'to-destination');
      if (tos.length === 0) return unknownTarget(rule, t, env, uncertain, 'DNAT without --to-destination');
      let addr: DimSet | null | undefined;
      let ports: DimSet | null | undefined;
      for (const o of tos) {
        const r = natTarget(o.args[0] ?? '', env);
        if (!r) {
          env.bad(rule.line, `malformed ${optionText(o)}`, env.family === 'ipv4' ? '192.0.2.1, 192.0.2.1:80, 192.0.2.1-192.0.2.9:80-90' : '2001:db8::1 or [2001:db8::1]:80', rule.text);
          return { action: { type: 'unknown', name: 'DNAT' }, uncertain: [{ construct: t.text, kind: 'unknown', detail: 'malformed DNAT target' }] };
        }
        // Several --to-destination (kernels before 2.6.11) spread connections over them all.
        addr = mergeOptional(addr, r.addr);
        ports = mergeOptional(ports, r.ports);
      }
      // Built whole, in the order renderers print: keys added later would cost each of a
      // kube-proxy node's 15,000 DNAT rules a second object (issue 8).
      return { action: dnatAction(addr, ports), uncertain };
    }
    case 'REDIRECT': {
      const given = targetOption(t, 'to-ports')?.args[0];
      const action: Action & { type: 'dnat' } = { type: 'dnat', toLocal: true };
      if (given !== undefined) {
        const ports = parsePorts(given);
        if (!ports) env.bad(rule.line, `malformed --to-ports ${given}`, '8080 or 8000-8010', rule.text);
        else action.ports = ports;
      }
      return { action, uncertain };
    }
    case 'NETMAP': {
      const to = targetOption(t, 'to')?.args[0];
      const addr = to === undefined ? null : env.values.addresses(to);
      const u: Uncertainty = { construct: t.text, kind: 'unmodelled', detail: 'NETMAP keeps the host part: the new address depends on the old one' };
      uncertain.push(u);
      env.note('-j NETMAP', u, rule.line);
      // In the source-NAT chains NETMAP rewrites the source.
      if (rule.chain === 'POSTROUTING' || rule.chain === 'INPUT') return { action: SNAT, uncertain };
      const action: Action & { type: 'dnat' } = { type: 'dnat' };
      if (addr) action.addr = addr as DimSet;
      return { action, uncertain };
    }
    default:
      if (CONTINUE_TARGETS.has(t.name)) return { action: { type: 'continue', note: t.name }, uncertain };
      return unknownTarget(rule, t, env, uncertain, `target ${t.name} is not modelled: it may accept, drop or let the packet go on`);
  }
}

function targetOption(t: IptTarget, name: string): IptOption | undefined {
  for (const o of t.options) if (o.name === name) return o;
  return undefined;
}

function unknownTarget(rule: IptRule, t: IptTarget, env: LowerEnv, uncertain: Uncertainty[], detail: string): LoweredTarget {
  env.note(`-j ${t.name}`, { construct: t.text, kind: 'unknown', detail }, rule.line);
  return { action: { type: 'unknown', name: t.name }, uncertain };
}

/** The DNAT action to `addr` and `ports` (null or undefined: unchanged), built whole in the order renderers print. */
export function dnatAction(addr: DimSet | null | undefined, ports: DimSet | null | undefined): Action {
  return addr ? (ports ? { type: 'dnat', addr, ports } : { type: 'dnat', addr }) : ports ? { type: 'dnat', ports } : { type: 'dnat' };
}

/** Union over several --to-destination; absent (null) in one of them means "unchanged" there, so no single rewrite. */
function mergeOptional(a: DimSet | null | undefined, b: DimSet | null): DimSet | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return I.union(a, b);
}

/** `a[-b][:p[-q]]`, v6 `[a[-b]][:p[-q]]` or bare `a[-b]`; an empty address part keeps the address. */
export function natTarget(text: string, env: LowerEnv): { addr: DimSet | null; ports: DimSet | null } | null {
  let addrText: string;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    addrText = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
  } else if (env.family === 'ipv6' && text.indexOf(':') !== text.lastIndexOf(':')) {
    addrText = text; // bare IPv6 address: its colons are not a port separator
  } else {
    const colon = text.indexOf(':');
    addrText = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? null : text.slice(colon + 1);
  }
  let addr: DimSet | null = null;
  if (addrText !== '') {
    const set = env.values.addresses(addrText);
    if (!set) return null;
    addr = set as DimSet;
  }
  let ports: DimSet | null = null;
  if (portText !== null) {
    const slash = portText.indexOf('/'); // `:80-90/100` shifts the range; the set is still 80-90
    ports = env.values.portList(slash < 0 ? portText : portText.slice(0, slash));
    if (!ports) return null;
  }
  if (addr === null && ports === null) return null;
  return { addr, ports };
}
