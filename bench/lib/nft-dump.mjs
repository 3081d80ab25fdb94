/**
 * Native nftables rulesets, emitted twice from one description: as `nft -f` text (to load
 * into a namespace) and as the `nft -j list ruleset` JSON the kernel prints back (handles
 * included), which is what a snapshot holds. generate.mjs --check loads the text and
 * compares the kernel's JSON with ours.
 *
 * Shape: an `inet filter` table with input/forward/output base chains; `ip saddr
 * @blocklist drop` against a named interval set; per-address drop rules in a chain (as
 * scripts that add one rule per ban make); per-service allowlists and anonymous-set port
 * lists in zone chains ending in `return`; limits; log + drop at the end; an `ip nat`
 * table with redirects.
 *
 * @module
 */
import { allowCidr4, allowCidr6, blockedBlocks4, blockedNets6, v4ToString } from './addresses.mjs';

const META = { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 };

// ---- expression builders: each returns { text, json: expr[], anon: number of anonymous sets }

const x = (text, json, anon = 0) => ({ text, json, anon });
const match = (left, right, op = '==') => ({ match: { op, left, right } });
const payload = (protocol, field) => ({ payload: { protocol, field } });

/** `ip saddr 203.0.113.0/28`, `ip6 saddr 2001:db8::/48`, `ip saddr @blocklist`, `ip saddr 240.0.0.1`. */
export function saddr(fam, value) {
  const full = fam === 'ip' ? 32 : 128;
  let right = value;
  let text = value;
  const m = /^(.*)\/(\d+)$/.exec(value);
  if (m) {
    const len = Number(m[2]);
    right = len === full ? m[1] : { prefix: { addr: m[1], len } };
    text = len === full ? m[1] : value;
  }
  return x(`${fam} saddr ${text}`, [match(payload(fam, 'saddr'), right)]);
}

/** `tcp dport 443` or `tcp dport { 80, 443, 8000-8010 }` (an anonymous set). */
export function dport(proto, ports) {
  if (!Array.isArray(ports)) return x(`${proto} dport ${ports}`, [match(payload(proto, 'dport'), ports)]);
  const key = (p) => (Array.isArray(p) ? p[0] : p);
  const sorted = [...ports].sort((a, b) => key(a) - key(b));
  const text = sorted.map((p) => (Array.isArray(p) ? `${p[0]}-${p[1]}` : String(p))).join(', ');
  const elems = sorted.map((p) => (Array.isArray(p) ? { range: [p[0], p[1]] } : p));
  return x(`${proto} dport { ${text} }`, [match(payload(proto, 'dport'), { set: elems })], 1);
}

export const ctState = (...states) => x(`ct state ${states.join(',')}`, [match({ ct: { key: 'state' } }, states.length > 1 ? states : states[0], 'in')]);
export const iif = (name) => x(`iif "${name}"`, [match({ meta: { key: 'iif' } }, name)]);
export const iifname = (name) => x(`iifname "${name}"`, [match({ meta: { key: 'iifname' } }, name)]);
export const oif = (name) => x(`oif "${name}"`, [match({ meta: { key: 'oif' } }, name)]);
export const l4proto = (p) => x(`meta l4proto ${p}`, [match({ meta: { key: 'l4proto' } }, p)]);
export const icmpType = (t) => x(`icmp type ${t}`, [match(payload('icmp', 'type'), t)]);
export const limit = (rate, per, burst = 5, over = false) => x(
  `limit rate ${over ? 'over ' : ''}${rate}/${per}${burst !== 5 ? ` burst ${burst} packets` : ''}`,
  [{ limit: over ? { rate, burst, per, inv: true } : { rate, burst, per } }],
);
export const counter = () => x('counter', [{ counter: { packets: 0, bytes: 0 } }]);
export const log = (prefix) => x(`log prefix "${prefix}"`, [{ log: { prefix } }]);
export const accept = () => x('accept', [{ accept: null }]);
export const drop = () => x('drop', [{ drop: null }]);
export const ret = () => x('return', [{ return: null }]);
export const jump = (target) => x(`jump ${target}`, [{ jump: { target } }]);
export const redirect = (port) => x(`redirect to :${port}`, [{ redirect: { port } }]);

/** A rule from builders, in order. */
const rule = (...parts) => ({
  text: parts.map((p) => p.text).join(' '),
  expr: parts.flatMap((p) => p.json),
  anon: parts.reduce((n, p) => n + p.anon, 0),
});

// ---- emitters

/**
 * @typedef {{ name: string, base?: { type: string, hook: string, prio: number, prioText: string, policy: string }, rules: ReturnType<typeof rule>[] }} Chain
 * @typedef {{ name: string, type: 'ipv4_addr'|'ipv6_addr', elems: ({kind:'addr',addr:string}|{kind:'prefix',addr:string,len:number}|{kind:'range',lo:string,hi:string})[] }} NamedSet
 * @typedef {{ family: string, name: string, sets: NamedSet[], chains: Chain[] }} Table
 */

const elemText = (e) => (e.kind === 'addr' ? e.addr : e.kind === 'prefix' ? `${e.addr}/${e.len}` : `${e.lo}-${e.hi}`);
const elemJson = (e) => (e.kind === 'addr' ? e.addr : e.kind === 'prefix' ? { prefix: { addr: e.addr, len: e.len } } : { range: [e.lo, e.hi] });

/** `nft -f` text. */
export function toText(tables) {
  const out = ['flush ruleset', ''];
  for (const t of tables) {
    out.push(`table ${t.family} ${t.name} {`);
    for (const s of t.sets) {
      out.push(`\tset ${s.name} {`, `\t\ttype ${s.type}`, '\t\tflags interval');
      if (s.elems.length > 0) out.push(`\t\telements = { ${s.elems.map(elemText).join(',\n\t\t\t     ')} }`);
      out.push('\t}', '');
    }
    for (const c of t.chains) {
      out.push(`\tchain ${c.name} {`);
      if (c.base) out.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${c.base.prioText}; policy ${c.base.policy};`);
      for (const r of c.rules) out.push(`\t\t${r.text}`);
      out.push('\t}', '');
    }
    out.push('}', '');
  }
  return out.join('\n');
}

/**
 * The `nft -j list ruleset` document. Handles are numbered as nftables 1.0.6 numbers them
 * for a fresh load: per table, chains first, then named sets, then rules in order, each
 * anonymous set taking the handle before its rule's.
 */
export function toJson(tables) {
  const objs = [{ metainfo: META }];
  const tableHandles = new Map();
  for (const t of tables) {
    const th = (tableHandles.get(t.family) ?? 0) + 1;
    tableHandles.set(t.family, th);
    let h = 0;
    const chainHandle = t.chains.map(() => ++h);
    const setHandle = t.sets.map(() => ++h);
    objs.push({ table: { family: t.family, name: t.name, handle: th } });
    t.sets.forEach((s, i) => objs.push({ set: {
      family: t.family, name: s.name, table: t.name, type: s.type, handle: setHandle[i], flags: ['interval'],
      ...(s.elems.length > 0 ? { elem: s.elems.map(elemJson) } : {}),
    } }));
    t.chains.forEach((c, i) => objs.push({ chain: {
      family: t.family, table: t.name, name: c.name, handle: chainHandle[i],
      ...(c.base ? { type: c.base.type, hook: c.base.hook, prio: c.base.prio, policy: c.base.policy } : {}),
    } }));
    for (const c of t.chains) {
      for (const r of c.rules) {
        h += r.anon;
        objs.push({ rule: { family: t.family, table: t.name, chain: c.name, handle: ++h, expr: r.expr } });
      }
    }
  }
  return { nftables: objs };
}

// ---- the synthetic ruleset

const base = (hook, policy, type = 'filter', prio = 0, prioText = 'filter') => ({ type, hook, prio, prioText, policy });

/**
 * A native ruleset of exactly `ruleCount` rules and a named IPv4 interval set of
 * `setElements` elements (plus an IPv6 set a tenth that size).
 * @param {import('./prng.mjs').Rng} rng
 * @param {{ruleCount:number, setElements:number, services:{proto:string,port:number,family:string,address:string}[]}} opts
 * @returns {Table[]}
 */
export function nftRuleset(rng, { ruleCount, setElements, services }) {
  const tcp = [...new Set(services.filter((s) => s.proto === 'tcp').map((s) => s.port))];
  const udp = [...new Set(services.filter((s) => s.proto === 'udp').map((s) => s.port))];
  const anyService = () => (rng.next() < 0.75 ? ['tcp', rng.pick(tcp)] : ['udp', rng.pick(udp)]);
  const anySource = () => (rng.next() < 0.85 ? saddr('ip', allowCidr4(rng)) : saddr('ip6', allowCidr6(rng)));

  const input = [
    rule(ctState('established', 'related'), accept()),
    rule(iif('lo'), accept()),
    rule(ctState('invalid'), counter(), drop()),
    rule(saddr('ip', '@blocklist'), counter(), drop()),
    rule(saddr('ip6', '@blocklist6'), counter(), drop()),
    rule(jump('blocklist_rules')),
    rule(icmpType('echo-request'), limit(1, 'second'), accept()),
    rule(l4proto('ipv6-icmp'), accept()),
    rule(dport('tcp', 22), ctState('new'), limit(5, 'minute', 10, true), drop()),
    rule(dport('tcp', 22), accept()),
    rule(dport('tcp', [80, 443]), accept()),
    rule(iifname('eth1'), jump('zone_office')),
    rule(iifname('eth0'), jump('zone_public')),
    rule(limit(5, 'minute'), log('nft-drop: ')),
    rule(counter(), drop()),
  ];
  const nat = [rule(dport('tcp', 8080), redirect(80))];
  const natOut = [rule(oif('lo'), dport('tcp', 8080), redirect(80))];
  const fixed = input.length + nat.length + natOut.length + 3; // + 3 returns
  if (ruleCount < fixed + 10) throw new Error(`nft ruleset needs at least ${fixed + 10} rules`);
  const budget = ruleCount - fixed;
  const nOffice = Math.floor(budget * 0.08);
  const nMulti = Math.floor(budget * 0.05);
  const nLimit = Math.floor(budget * 0.02);
  const nAllow = Math.floor(budget * 0.25);
  const nBlock = budget - nOffice - nMulti - nLimit - nAllow;

  const n6 = Math.floor(nBlock / 10);
  const block = [
    ...blockedBlocks4(rng, nBlock - n6, { prefixes: false }).map((b) => rule(saddr('ip', v4ToString(b.lo)), drop())),
    ...blockedNets6(rng, n6).map((c) => rule(saddr('ip6', c), drop())),
  ];
  rng.shuffle(block);
  const office = Array.from({ length: nOffice }, () => {
    const [p, port] = anyService();
    return rule(rng.next() < 0.5 ? saddr('ip', '198.51.100.0/24') : anySource(), dport(p, port), accept());
  });
  const allow = Array.from({ length: nAllow }, () => {
    const [p, port] = anyService();
    return rng.next() < 0.3 ? rule(anySource(), dport(p, port), counter(), accept()) : rule(anySource(), dport(p, port), accept());
  });
  const multi = Array.from({ length: nMulti }, () => {
    const p = rng.next() < 0.8 ? 'tcp' : 'udp';
    const pool = p === 'tcp' ? tcp : udp;
    const set = new Set();
    const n = rng.int(2, 6);
    while (set.size < n) set.add(rng.pick(pool));
    const ports = [...set];
    if (rng.next() < 0.2) {
      const lo = rng.int(1024, 65000);
      const hi = lo + rng.int(1, 20);
      if (!ports.some((q) => q >= lo && q <= hi)) ports.push([lo, hi]);
    }
    return rule(anySource(), dport(p, ports), accept());
  });
  const limits = Array.from({ length: nLimit }, () => {
    const [p, port] = anyService();
    return rule(dport(p, port), ctState('new'), limit(rng.int(5, 100), 'second', rng.int(10, 200)), accept());
  });

  const setElems = blockedBlocks4(rng, setElements).map((b) => (b.kind === 'addr' ? { kind: 'addr', addr: v4ToString(b.lo) }
    : b.kind === 'prefix' ? { kind: 'prefix', addr: v4ToString(b.lo), len: b.len }
    : { kind: 'range', lo: v4ToString(b.lo), hi: v4ToString(b.hi) }));
  const set6 = blockedNets6(rng, Math.max(1, Math.floor(setElements / 10))).map((c) => {
    const [addr, len] = c.split('/');
    return { kind: 'prefix', addr, len: Number(len) };
  });

  return [
    { family: 'inet', name: 'filter', sets: [{ name: 'blocklist', type: 'ipv4_addr', elems: setElems }, { name: 'blocklist6', type: 'ipv6_addr', elems: set6 }], chains: [
      { name: 'input', base: base('input', 'drop'), rules: input },
      { name: 'forward', base: base('forward', 'drop'), rules: [] },
      { name: 'output', base: base('output', 'accept'), rules: [] },
      { name: 'blocklist_rules', rules: [...block, rule(ret())] },
      { name: 'zone_office', rules: [...office, rule(ret())] },
      { name: 'zone_public', rules: [...allow, ...multi, ...limits, rule(ret())] },
    ] },
    { family: 'ip', name: 'nat', sets: [], chains: [
      { name: 'prerouting', base: base('prerouting', 'accept', 'nat', -100, 'dstnat'), rules: nat },
      { name: 'output', base: base('output', 'accept', 'nat', -100, '-100'), rules: natOut },
    ] },
  ];
}

/** Rule count of a ruleset description. */
export const countRules = (tables) => tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
