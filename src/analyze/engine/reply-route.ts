/**
 * The route back: which interface the host would send a reply to a remote peer by. That is
 * the only interface a connection from the peer can use (the SYN-ACK, the UDP answer follow
 * it), so it is the interface the peer's packets arrive on.
 *
 * Policy routing as the kernel does it (fib_rules): rules in priority order, each with
 * `from` (the reply's source: our local address), `to` (the peer), `iif` (a locally
 * generated reply has iif lo), then a table lookup by longest prefix. Whole sets of peers
 * are routed at once, so the result is exact per interface. Where the kernel's choice
 * depends on what a snapshot cannot know (fwmark, ipproto, uidrange, equal prefixes with
 * different metrics), every possible outcome is kept: more interfaces, never fewer.
 *
 * @module
 */
import { type AddrSet, type AddrValue, type Family, addrDomain, cidrSet, parseCidr } from '../../model/addr.js';
import * as I from '../../model/interval-set.js';
import { type FamilyRouting, HOST_ROUTE_TYPES, NO_ROUTE_TYPES, type PolicyRule, type Route } from '../../model/routing.js';
import { addToList } from '../../model/list-map.js';

/** An interface name the route does not give (an unresolved nexthop object): any interface. */
export const ANY_IFACE = '*';

type Set_ = I.IntervalSet<I.Ordinal>;

export interface ReplyRouteStep {
  /** The interface, or "" when the peers part has no way back. */
  iface: string;
  peers: AddrSet;
  /** What decided, as `ip route`/`ip rule` print it: "10.20.0.0/16 via 10.20.0.254 dev eth1", "rule 1100: to 10.77.0.0/16 prohibit". */
  because: string;
}

export interface ReplyRoutes {
  /** Peers per arrival interface (ECMP and undecided rules: a peer may be under several). */
  byIface: Map<string, AddrSet>;
  /** Per interface, the peers reached without a gateway (on the link itself). */
  onLink: Map<string, AddrSet>;
  /** Peers no reply can reach (unreachable, blackhole, prohibit, no route at all). */
  unroutable: AddrSet;
  /** Every decision, for explaining one peer. */
  steps: ReplyRouteStep[];
}

interface Ctx {
  routing: FamilyRouting;
  family: Family;
  local: AddrValue;
  forwarded: boolean;
  out: ReplyRoutes;
  /** Per table: routes grouped by prefix (equal prefixes together), longest first. */
  tables: Map<string, Route[][]>;
}

const cidr = (text: string): Set_ => cidrSet(parseCidr(text)!) as Set_;
const prefixLength = (text: string): number => Number(text.slice(text.indexOf('/') + 1));

/** Route text as `ip route` prints it. */
export function routeText(r: Route): string {
  const dst = prefixLength(r.dst) === 0 ? 'default' : r.dst.replace(/\/(32|128)$/, '');
  const hops = r.nexthops.map((h) => `${h.gateway ? `via ${h.gateway} ` : ''}${h.dev ? `dev ${h.dev}` : ''}`.trim());
  const type = r.type === 'unicast' ? '' : `${r.type} `;
  const via = hops.length > 1 ? hops.map((h) => `nexthop ${h}`).join(' ') : (hops[0] ?? '');
  return `${type}${dst}${via ? ` ${via}` : ''}${r.table !== 'main' ? ` table ${r.table}` : ''}`;
}

function ruleText(r: PolicyRule): string {
  const sel = [r.not ? 'not' : '', r.from ? `from ${r.from}` : 'from all', r.to ? `to ${r.to}` : '', r.iif ? `iif ${r.iif}` : '', r.oif ? `oif ${r.oif}` : '', ...r.undecided]
    .filter((x) => x !== '')
    .join(' ');
  const act = r.action === 'table' ? `lookup ${r.table}` : r.action === 'goto' ? `goto ${r.goto}` : r.action;
  return `rule ${r.priority}: ${sel} ${act}`;
}

function emit(ctx: Ctx, iface: string, peers: Set_, because: string, direct = false): void {
  if (I.isEmpty(peers)) return;
  const { out } = ctx;
  if (direct && iface !== '') out.onLink.set(iface, I.union((out.onLink.get(iface) ?? []) as Set_, peers) as AddrSet);
  if (iface === '') out.unroutable = I.union(out.unroutable as Set_, peers) as AddrSet;
  else out.byIface.set(iface, I.union((out.byIface.get(iface) ?? []) as Set_, peers) as AddrSet);
  out.steps.push({ iface, peers: peers as AddrSet, because });
}

/** Longest-prefix lookup of a peer set in one table; returns the peers the table does not settle. */
function lookup(ctx: Ctx, table: string, peers: Set_, suppress: number | null, because: string): Set_ {
  let remaining = peers;
  let pass: Set_ = [];
  for (const samePrefix of ctx.tables.get(table) ?? []) {
    if (I.isEmpty(remaining)) break;
    const dst = samePrefix[0]!.dst;
    const part = I.intersect(remaining, cidr(dst));
    if (I.isEmpty(part)) continue;
    // Equal prefixes (ECMP routes, or the same prefix at several metrics) are all kept: any may carry it.
    remaining = I.difference(remaining, part);
    if (suppress !== null && prefixLength(dst) <= suppress) {
      pass = I.union(pass, part); // suppress_prefixlength: the lookup goes on to the next rule
      continue;
    }
    for (const r of samePrefix) settle(ctx, r, part, because, (p) => (pass = I.union(pass, p)));
  }
  return I.union(pass, remaining);
}

function settle(ctx: Ctx, r: Route, part: Set_, because: string, goOn: (p: Set_) => void): void {
  const text = `${because}route ${routeText(r)}`;
  if ((NO_ROUTE_TYPES as readonly string[]).includes(r.type)) return emit(ctx, '', part, text);
  // throw: this table has nothing; the host's own and broadcast addresses: a martian source from
  // outside, left to the next tables so source lists stay as the firewall admits them.
  if (r.type === 'throw' || (HOST_ROUTE_TYPES as readonly string[]).includes(r.type)) return goOn(part);
  if (r.nexthops.length === 0) return emit(ctx, ANY_IFACE, part, text);
  for (const h of r.nexthops) {
    if (h.dev === 'lo') emit(ctx, '', part, `${text} (loopback: nobody remote)`);
    else emit(ctx, h.dev ?? ANY_IFACE, part, text, h.gateway === null);
  }
}

/** Which peers a rule's selectors take: a set, or "maybe" for all of them when undecidable. */
function ruleMatch(ctx: Ctx, rule: PolicyRule, peers: Set_): { match: Set_; maybe: boolean } {
  let decidable = rule.undecided.length === 0 && rule.oif === null;
  let applies = true;
  if (rule.from !== null) applies = I.contains(cidr(rule.from), ctx.local);
  if (rule.iif !== null && rule.iif !== 'lo') {
    // A reply the host sends itself has iif lo; a forwarded one comes from some interface.
    if (ctx.forwarded) decidable = false;
    else applies = false;
  }
  let match = applies ? (rule.to !== null ? I.intersect(peers, cidr(rule.to)) : peers) : [];
  if (rule.not) match = I.difference(peers, match);
  if (!decidable) return { match: peers, maybe: true };
  return { match, maybe: false };
}

function walk(ctx: Ctx, start: number, peers: Set_): void {
  const rules = ctx.routing.rules;
  let remaining = peers;
  for (let i = start; i < rules.length && !I.isEmpty(remaining); i++) {
    const rule = rules[i]!;
    const { match, maybe } = ruleMatch(ctx, rule, remaining);
    if (I.isEmpty(match)) continue;
    const because = `${ruleText(rule)}: `;
    let settled: Set_ = [];
    let goOn: Set_ = [];
    if (rule.action === 'table') {
      const left = lookup(ctx, rule.table!, match, rule.suppressPrefixLength, rule.priority === 0 || rule.priority >= 32766 ? '' : because);
      goOn = left;
      settled = I.difference(match, left);
    } else if (rule.action === 'nop') {
      goOn = match;
    } else if (rule.action === 'goto') {
      const target = rules.findIndex((r) => r.priority >= (rule.goto ?? 0));
      if (target > i) walk(ctx, target, match);
      settled = match;
    } else {
      emit(ctx, '', match, ruleText(rule));
      settled = match;
    }
    // An undecided rule may not match: every peer also goes on as if it had not.
    if (!maybe) remaining = I.union(I.difference(remaining, match), goOn);
    else remaining = I.union(remaining, I.difference(goOn, settled));
  }
  emit(ctx, '', remaining, 'no route');
}

/** Tables by name: routes grouped by prefix, longest prefix first (snapshot order within a group). */
function tablesOf(routing: FamilyRouting): Map<string, Route[][]> {
  const byTable = new Map<string, Map<string, Route[]>>();
  for (const r of routing.routes) {
    let groups = byTable.get(r.table);
    if (!groups) byTable.set(r.table, (groups = new Map()));
    const key = parseCidr(r.dst) ? r.dst : null;
    if (key === null) continue;
    addToList(groups, key, r);
  }
  const tables = new Map<string, Route[][]>();
  for (const [name, groups] of byTable) tables.set(name, [...groups.values()].sort((a, b) => prefixLength(b[0]!.dst) - prefixLength(a[0]!.dst)));
  return tables;
}

const tableCache = new WeakMap<FamilyRouting, Map<string, Route[][]>>();

/**
 * Route the replies from local address `local` to `peers`. `forwarded`: the address is not
 * the host's own (a container behind DNAT, a routed network): rules on an input interface
 * then may apply.
 */
export function replyRoutes(routing: FamilyRouting, family: Family, local: AddrValue, peers: AddrSet, forwarded = false): ReplyRoutes {
  let tables = tableCache.get(routing);
  if (!tables) tableCache.set(routing, (tables = tablesOf(routing)));
  const out: ReplyRoutes = { byIface: new Map(), onLink: new Map(), unroutable: [] as AddrSet, steps: [] };
  walk({ routing, family, local, forwarded, out, tables }, 0, peers as Set_);
  return out;
}

/** Every address of a family. */
export function allPeers(family: Family): AddrSet {
  return I.fullSet(addrDomain(family) as I.Domain<I.Ordinal>) as AddrSet;
}

/**
 * Local addresses that every rule's `from` treats alike get the same routes: a key per
 * address so callers route each class once.
 */
export function fromClassKey(routing: FamilyRouting, local: AddrValue): string {
  return routing.rules.map((r) => (r.from === null ? '-' : I.contains(cidr(r.from), local) ? '1' : '0')).join('');
}
