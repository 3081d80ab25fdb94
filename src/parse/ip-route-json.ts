/**
 * `ip -j -4|-6 route show table all` and `ip -j -4|-6 rule` (iproute2) → the routing model.
 * Pure: text in, routes or rules and located diagnostics out. An entry that cannot be read
 * is skipped with an error naming its JSON path; the rest is kept.
 *
 * @module
 */
import { type Family, parseAddr, parseCidr } from '../model/addr.js';
import { type Diagnostic, type Parsed, excerpt } from '../model/diagnostics.js';
import type { Nexthop, PolicyAction, PolicyRule, Route } from '../model/routing.js';
import { isJsonObject, showJson } from './json-shape.js';
import { nameTable } from '../model/name-table.js';

type Obj = Record<string, unknown>;

function parseList(text: string, file: string, what: string): Parsed<unknown[] | null> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { value: null, diagnostics: [{ code: 'parse.ip-route.json', severity: 'error', message: `not JSON: ${(err as Error).message}`, location: { file }, expected: `the output of \`${what}\``, input: excerpt(text) }] };
  }
  if (!Array.isArray(data)) {
    return { value: null, diagnostics: [{ code: 'parse.ip-route.shape', severity: 'error', message: 'expected a list', location: { file, path: '$' }, expected: 'a JSON array such as [{"dst":"default","gateway":"192.0.2.1","dev":"eth0"}]', input: showJson(data) }] };
  }
  return { value: data, diagnostics: [] };
}

/** "default", "10.0.0.0/8" or a bare address (a host route) → CIDR of the family, or null. */
export function routePrefix(dst: unknown, family: Family): string | null {
  if (dst === 'default') return family === 'ipv4' ? '0.0.0.0/0' : '::/0';
  if (typeof dst !== 'string') return null;
  const text = dst.includes('/') ? dst : `${dst}/${family === 'ipv4' ? 32 : 128}`;
  const cidr = parseCidr(text);
  return cidr && cidr.family === family ? text : null;
}

function gatewayOf(o: Obj): string | null {
  if (typeof o['gateway'] === 'string') return o['gateway'];
  // An IPv4 route via an IPv6 next hop (RFC 5549) prints {"via":{"family":"inet6","host":…}}.
  const via = o['via'];
  if (isJsonObject(via) && typeof via['host'] === 'string') return via['host'];
  return null;
}

function nexthopOf(o: Obj): Nexthop {
  return { dev: typeof o['dev'] === 'string' ? o['dev'] : null, gateway: gatewayOf(o) };
}

/** Routes of one family; `file` names the command for locations. */
export function parseIpRouteJson(text: string, file: string, family: Family): Parsed<Route[] | null> {
  const list = parseList(text, file, `ip -j ${family === 'ipv4' ? '-4' : '-6'} route show table all`);
  if (!list.value) return { value: null, diagnostics: list.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const routes: Route[] = [];
  list.value.forEach((entry, i) => {
    const path = `$[${i}]`;
    const bad = (message: string, expected: string, at = path, input: unknown = entry): void => {
      diagnostics.push({ code: 'parse.ip-route.route', severity: 'error', message, location: { file, path: at }, expected, input: showJson(input) });
    };
    if (!isJsonObject(entry)) return bad('route is not an object', 'an object with "dst"');
    const dst = routePrefix(entry['dst'], family);
    if (!dst) return bad(`"dst" is not an ${family} prefix`, `"default", a prefix such as ${family === 'ipv4' ? '"10.0.0.0/8"' : '"2001:db8::/32"'} or an address`, `${path}.dst`, entry['dst']);
    const type = typeof entry['type'] === 'string' ? entry['type'] : 'unicast';
    const table = entry['table'] === undefined ? 'main' : String(entry['table']);
    let nexthops: Nexthop[] = [];
    if (Array.isArray(entry['nexthops'])) {
      entry['nexthops'].forEach((nh, j) => {
        if (isJsonObject(nh)) nexthops.push(nexthopOf(nh));
        else bad('nexthop is not an object', 'an object with "dev" and "gateway"', `${path}.nexthops[${j}]`, nh);
      });
    } else if (entry['dev'] !== undefined || gatewayOf(entry) !== null) nexthops = [nexthopOf(entry)];
    for (const nh of nexthops) {
      const gw = nh.gateway === null ? null : parseAddr(nh.gateway);
      if (nh.gateway !== null && !gw) return bad('"gateway" is not an IP address', 'an address such as "192.0.2.1"', `${path}.gateway`, nh.gateway);
    }
    const metric = typeof entry['metric'] === 'number' ? entry['metric'] : null;
    routes.push({ table, type, dst, nexthops, metric });
  });
  return { value: routes, diagnostics };
}

const DECIDED = new Set(['priority', 'not', 'src', 'srclen', 'dst', 'dstlen', 'iif', 'oif', 'table', 'action', 'goto', 'suppress_prefixlen', 'flags', 'protocol']);
/** Printed keys that do not select packets (rule attributes, detached-interface markers). */
const NOT_SELECTORS = new Set(['iif_detached', 'oif_detached', 'realms', 'nat']);

function rulePrefix(addr: unknown, len: unknown, family: Family): string | null | undefined {
  if (addr === undefined || addr === 'all') return null;
  if (typeof addr !== 'string') return undefined;
  return routePrefix(typeof len === 'number' ? `${addr}/${len}` : addr, family) ?? undefined;
}

const ACTIONS: Record<string, PolicyAction> = nameTable({ unreachable: 'unreachable', blackhole: 'blackhole', prohibit: 'prohibit', nop: 'nop', goto: 'goto' });

/** Policy rules of one family (`ip -j rule`), in priority order. */
export function parseIpRuleJson(text: string, file: string, family: Family): Parsed<PolicyRule[] | null> {
  const list = parseList(text, file, `ip -j ${family === 'ipv4' ? '-4' : '-6'} rule`);
  if (!list.value) return { value: null, diagnostics: list.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const rules: PolicyRule[] = [];
  list.value.forEach((entry, i) => {
    const path = `$[${i}]`;
    const bad = (message: string, expected: string, at: string, input: unknown): void => {
      diagnostics.push({ code: 'parse.ip-rule.rule', severity: 'error', message, location: { file, path: at }, expected, input: showJson(input) });
    };
    if (!isJsonObject(entry)) return bad('rule is not an object', 'an object with "priority"', path, entry);
    const priority = entry['priority'];
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) return bad('"priority" is not a number', 'an integer such as 32766', `${path}.priority`, priority);
    const from = rulePrefix(entry['src'], entry['srclen'], family);
    if (from === undefined) return bad(`"src" is not an ${family} prefix`, '"all" or an address', `${path}.src`, entry['src']);
    const to = rulePrefix(entry['dst'], entry['dstlen'], family);
    if (to === undefined) return bad(`"dst" is not an ${family} prefix`, '"all" or an address', `${path}.dst`, entry['dst']);
    const actionText = typeof entry['action'] === 'string' ? entry['action'] : entry['goto'] !== undefined ? 'goto' : 'table';
    const action = ACTIONS[actionText] ?? (actionText === 'table' || actionText === 'to_tbl' ? 'table' : null);
    if (!action) return bad(`unknown rule action "${actionText}"`, 'lookup, goto, nop, unreachable, blackhole or prohibit', `${path}.action`, entry['action']);
    const table = action === 'table' ? (entry['table'] === undefined ? null : String(entry['table'])) : null;
    if (action === 'table' && table === null) return bad('lookup rule without a table', '"table": "main" or a number', path, entry);
    const goto = action === 'goto' && typeof entry['goto'] === 'number' ? entry['goto'] : null;
    const undecided = Object.keys(entry)
      .filter((k) => !DECIDED.has(k) && !NOT_SELECTORS.has(k))
      .map((k) => `${k} ${String(entry[k])}`);
    rules.push({
      priority,
      not: 'not' in entry,
      from,
      to,
      iif: typeof entry['iif'] === 'string' ? entry['iif'] : null,
      oif: typeof entry['oif'] === 'string' ? entry['oif'] : null,
      undecided,
      action,
      table,
      goto,
      suppressPrefixLength: typeof entry['suppress_prefixlen'] === 'number' ? entry['suppress_prefixlen'] : null,
    });
  });
  rules.sort((a, b) => a.priority - b.priority);
  return { value: rules, diagnostics };
}
