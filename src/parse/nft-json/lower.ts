/**
 * Native nftables → the vendor-neutral firewall model, one {@link FirewallModel} per
 * family. `ip` tables lower into IPv4, `ip6` into IPv6, `inet` and `netdev` into both
 * (lowered once per family: `ip saddr` matches no IPv6 packet); `bridge` and `arp` tables
 * see no IP packet the model follows and are reported, not modelled.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { Diagnostic, Parsed } from '../../model/diagnostics.js';
import type { HostContext } from '../../model/host-context.js';
import { Dim, PacketSet, ifaceSet } from '../../model/packet-set.js';
import * as I from '../../model/interval-set.js';
import { OneRangeSets } from '../../model/one-range-sets.js';
import { type BaseChain, type Chain, type ChainKind, type FirewallModel, type Hook, type Rule, type Uncertainty, chainId, emptyModel } from '../../model/ruleset.js';
import type { NamedSetValue } from './match.js';
import { DeferredRule } from './deferred-rule.js';
import { LazyChains, type PendingTable } from './lazy-chains.js';
import { type Found, type RuleEnv, type RuleSource, lowerRule } from './statements.js';
import { type Templates, type TextTies, lowerFromTemplate, lowerFromText } from './rule-template.js';
import { textShape } from './rule-text-shape.js';
import { UncertaintyGroups } from './uncertainty-groups.js';
import { NAMED_PRIORITIES } from './symbols.js';
import { type Json, type NftChain, type NftRule, type NftRuleset, type NftSet, isObject, soleKey } from './types.js';
import { nameTable } from '../../model/name-table.js';

export interface LowerNftOptions {
  context: HostContext;
  /** Source name for rule origins and diagnostics. */
  file: string;
  /** Tables to leave out (the lead drops those iptables-nft-save already printed). */
  skipTable?: (family: string, table: string) => boolean;
  /**
   * Lower each chain when the model is first asked for it ({@link LazyChains}): for one
   * question that meets a few chains. Diagnostics of a chain join `diagnostics` (the same
   * array) when it is lowered; base chains and table-level diagnostics come at once.
   */
  lazy?: boolean;
  /**
   * Lower each repeated rule shape once and make its rules from that template (default true;
   * false lowers every rule directly, as the equivalence test compares).
   */
  shareShapes?: boolean;
}

/** A table's rule environment, with the rule shapes it has lowered once (absent: every rule lowered directly). */
interface TableEnv extends RuleEnv {
  templates?: Templates;
  /** Text shapes of deferred rules tied to those templates: their rules are made without a parse. */
  textTies?: TextTies;
}

const FAMILIES_OF: Readonly<Record<string, readonly Family[]>> = nameTable({
  ip: ['ipv4'],
  ip6: ['ipv6'],
  inet: ['ipv4', 'ipv6'],
  netdev: ['ipv4', 'ipv6'],
});

/**
 * The rules of one chain, in order: the run `first..end` of the ruleset's rules (dumps list a
 * chain's rules together, so 20,000 chains need no list of their own), or a list once the
 * chain's rules are scattered. Their lowering sources are made when the chain is first lowered.
 */
interface ChainRules {
  first: number;
  end: number;
  scattered: NftRule[] | null;
  sources: RuleSource[] | null;
}

/**
 * A chain's rules while lowering: a run's first index (its end in the lowering's `runEnd`), or
 * {@link ChainRules} once scattered or its sources kept. Most chains are a run: no object each
 * (kube-proxy: 20,000 objects alive through the lowering, copied twice by its scavenges: issue 8).
 */
type ChainRun = number | ChainRules;

const HOOKS: ReadonlySet<string> = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress']);

/** Lower a parsed ruleset. Never throws; anything not understood is an uncertainty plus a diagnostic. */
export function lowerNft(ruleset: NftRuleset, opts: LowerNftOptions): Parsed<Record<Family, FirewallModel>> {
  const diagnostics: Diagnostic[] = [];
  const models: Record<Family, FirewallModel> = { ipv4: emptyModel('ipv4'), ipv6: emptyModel('ipv6') };
  if (opts.lazy) for (const m of Object.values(models)) m.chains = new LazyChains();
  const file = opts.file;

  const setsByTable = new Map<string, Map<string, NftSet>>();
  for (const s of ruleset.sets) {
    const k = `${s.family} ${s.table}`;
    let m = setsByTable.get(k);
    if (!m) setsByTable.set(k, (m = new Map()));
    m.set(s.name, s);
  }
  const chainsByTable = new Map<string, NftChain[]>();
  for (const c of ruleset.chains) {
    const k = `${c.family} ${c.table}`;
    let l = chainsByTable.get(k);
    if (!l) chainsByTable.set(k, (l = []));
    l.push(c);
  }
  // Table key, then chain name: chain names are looked up as parsed, never joined into new keys.
  const rulesByChain = new Map<string, Map<string, ChainRun>>();
  const all = ruleset.rules;
  // The end of the run starting at each index that starts one.
  const runEnd = new Int32Array(all.length);
  /** Rule `k` joins the chain `name` of `names`: what the chain's rules are now. */
  const extend = (names: Map<string, ChainRun>, name: string, l: ChainRun, k: number): ChainRun => {
    if (typeof l === 'number') {
      if (runEnd[l] === k) {
        runEnd[l] = k + 1;
        return l;
      }
      const scattered = all.slice(l, runEnd[l]);
      scattered.push(all[k]!);
      const list: ChainRules = { first: l, end: runEnd[l]!, scattered, sources: null };
      names.set(name, list);
      return list;
    }
    // While gathering, an object is a run that broke, with its list: sources are kept only later.
    l.scattered!.push(all[k]!);
    return l;
  };
  let last: NftRule | null = null;
  let lastRun: ChainRun = 0;
  let byName: Map<string, ChainRun> | undefined;
  for (let k = 0; k < all.length; k++) {
    const rule = all[k]!;
    // Dumps list a chain's rules together: most rules extend the previous rule's run without a lookup.
    if (last !== null && rule.chain === last.chain && rule.table === last.table && rule.family === last.family) {
      lastRun = extend(byName!, rule.chain, lastRun, k);
      continue;
    }
    if (last === null || rule.table !== last.table || rule.family !== last.family) {
      const key = `${rule.family} ${rule.table}`;
      byName = rulesByChain.get(key);
      if (!byName) rulesByChain.set(key, (byName = new Map()));
    }
    let l = byName!.get(rule.chain);
    if (l === undefined) {
      runEnd[k] = k + 1;
      byName!.set(rule.chain, (l = k));
    } else l = extend(byName!, rule.chain, l, k);
    last = rule;
    lastRun = l;
  }
  const dynamicSets = findDynamicSets(ruleset.rules, setsByTable);
  // The list lowerChain gathers a chain's rules in, and whether a lowering holds it.
  const gathered: Rule[] = [];
  let gathering = false;
  const cache = new Map<string, NamedSetValue>();
  const oneRangeSets = new OneRangeSets();
  const reported = new Set<string>();
  // The uncertainties reported at each statement path (kube-proxy: 4,910 paths, one each), without a
  // key string per uncertainty that repeats its construct (a numgen map's whole text: issue 8).
  const reportedAt = new Map<string, Uncertainty[]>();
  const uncertainties = new UncertaintyGroups(file, diagnostics);

  for (const table of ruleset.tables) {
    if (opts.skipTable?.(table.family, table.name)) continue;
    // A name table: a family named "toString" is unknown, not Object.prototype's function (found by fuzz.test.ts).
    const families = FAMILIES_OF[table.family];
    if (!families) {
      const known = table.family === 'bridge' || table.family === 'arp';
      diagnostics.push({
        code: 'unsupported.nft-json.family',
        severity: known ? 'info' : 'warning',
        message: known
          ? `table ${table.family} ${table.name} is not modelled: ${table.family} tables filter ${table.family === 'arp' ? 'ARP packets' : 'bridged frames'}, not the IP packets whose reachability is analysed`
          : `table ${table.family} ${table.name} has an unknown family; not modelled`,
        location: { file, path: table.path },
      });
      continue;
    }
    const tableKey = `${table.family} ${table.name}`;
    const chains = chainsByTable.get(tableKey) ?? [];
    const sets = setsByTable.get(tableKey) ?? new Map<string, NftSet>();
    // A one-flow load finds a table's chains by name: no id or closure per chain until one is read.
    const byName = opts.lazy ? chainsByName(chains) : null;
    const names = byName === null ? [] : [...byName.keys()];
    for (const family of families) {
      const model = models[family];
      const prefix = chainId('nftables', family, tableKey, '');
      // Every jump, goto and verdict-map branch names its target: ids are built once per chain, not per reference.
      const ids = byName === null ? new Map<string, string>() : null;
      if (ids !== null) for (const c of chains) ids.set(c.name, chainId('nftables', family, tableKey, c.name));
      const env: TableEnv = {
        family,
        context: opts.context,
        lookupSet: (name) => sets.get(name),
        dynamicSets,
        cache,
        oneRangeSets,
        tableFamily: table.family,
        chainRef: ids !== null ? (name) => ids.get(name) ?? null : (name) => (byName!.has(name) ? prefix + name : null),
        chainActions: { jump: new Map(), goto: new Map() },
      };
      if (opts.shareShapes !== false) {
        env.templates = new Map();
        env.textTies = new Map();
      }
      const chainMap = model.chains;
      for (const c of chains) {
        if (c.hook === undefined && ids === null) continue;
        const id = ids?.get(c.name) ?? prefix + c.name;
        const base = c.hook !== undefined ? baseChain(c, id, table.family, report) : null;
        if (base) model.baseChains.push(base);
        if (ids === null) continue;
        // A full load lowers a table's chains family by family: after the last, a deferred rule's tree is let go.
        const lastFamily = family === families[families.length - 1];
        chainMap.set(id, lowerChain(env, c, id, tableKey, base !== null, lastFamily));
      }
      if (byName !== null && chainMap instanceof LazyChains) chainMap.laterTable(pendingTable(env, prefix, tableKey, byName, names));
    }
  }
  uncertainties.settle();
  return { value: models, diagnostics };

  /**
   * A table's chains for {@link LazyChains}, lowered by name. Made by a function apart: the bundle
   * keeps names (`keepNames`), and a closure bound to a name costs an Object.defineProperty each.
   */
  function pendingTable(env: TableEnv, prefix: string, tableKey: string, byName: Map<string, NftChain | NftChain[]>, names: readonly string[]): PendingTable {
    const lower = (name: string): Chain => {
      const found = byName.get(name)!;
      const id = prefix + name;
      const isBase = (c: NftChain): boolean => c.hook !== undefined && modelledHook(c.hook, env.tableFamily);
      // Two chains of one name in one table: both lowered (their diagnostics count), the later kept, as eager `set` does.
      let chain: Chain | undefined;
      for (const c of Array.isArray(found) ? found : [found]) chain = lowerChain(env, c, id, tableKey, isBase(c), false);
      // A chain lowered after the load: the diagnostics it added to are made current.
      uncertainties.settle();
      return chain!;
    };
    return { prefix, names, has: (name) => byName.has(name), lower };
  }

  /** One chain's rules in one family, with the diagnostics of what they hold that is not understood. */
  function lowerChain(env: TableEnv, c: NftChain, id: string, tableKey: string, isBase: boolean, forgetRules: boolean): Chain {
    const chain: Chain = { id, backend: 'nftables', family: env.family, table: tableKey, tableFamily: env.tableFamily, name: c.name, rules: [], origin: { file, path: c.path } };
    // Copied at its size when done: a list grown by push keeps room for 17, and 20,000 chains of one
    // or two rules keep theirs (issue 8). Gathered in one list for every chain (its storage grew
    // anew for each chain: ~3 MB of garbage on kube-nft-5000), unless a lowering is under way.
    const rules: Rule[] = gathering ? [] : gathered;
    const reused = rules === gathered;
    if (reused) gathering = true;
    if (isBase) {
      const gate = deviceGate(c, env.family, file);
      if (gate) {
        rules.push(gate);
        for (const u of gate.uncertain) report(c.path, `${u.construct}: ${u.detail ?? 'unknown'}; packets of every device are read as "may enter" this chain`);
      }
    }
    const found: Found[] = [];
    let position = 0;
    const templates = env.templates;
    const ties = env.textTies;
    // A full load's last lowering of the chain keeps no list of its sources: kept until the load
    // ended, 20,000 of them were copied by its scavenges (issue 8).
    for (const src of sourcesOf(rulesByChain.get(tableKey), c.name, !forgetRules)) {
      const deferred = src.rule instanceof DeferredRule ? src.rule : null;
      // A deferred rule of a shape already tied to a template is made from its text (a rule the
      // shape reads is a usable rule): no parse.
      const shape = deferred !== null && ties !== undefined ? textShape(deferred.dump.text, deferred.start, deferred.end) : null;
      const fromText = shape !== null ? lowerFromText(env, ties!, shape, src, position + 1, found) : null;
      if (fromText !== null) {
        position++;
        for (const r of fromText) rules.push(r);
        continue;
      }
      // A deferred rule that turns out not to be a rule is left out, as a whole parse leaves it out.
      if (deferred !== null && deferred.read() === null) continue;
      position++;
      const text = shape !== null ? { shape, ties: ties! } : undefined;
      const lowered = (templates !== undefined ? lowerFromTemplate(env, templates, src, position, found, text) : null) ?? lowerRule(env, src, position, found);
      for (const r of lowered) rules.push(r);
      if (forgetRules && deferred !== null) deferred.forget();
    }
    chain.rules = rules.slice();
    if (reused) {
      // Emptied by a cut to one, then a pop: setting the length to 0 would free its storage.
      rules.length = Math.min(rules.length, 1);
      rules.pop();
      gathering = false;
    }
    for (const f of found) {
      const u = f.uncertainty;
      // Once per statement, construct and kind (a chain lowered in two families meets its rules twice).
      const at = reportedAt.get(f.path);
      if (at?.some((v) => v.construct === u.construct && v.kind === u.kind)) continue;
      if (at === undefined) reportedAt.set(f.path, [u]);
      else at.push(u);
      uncertainties.add(u, f.path);
    }
    return chain;
  }

  /**
   * A chain's rules as lowering shares them: text and origin serve every family and piece a rule
   * lowers into. Made when the chain is first lowered (a one-flow explain lowers a few chains).
   */
  function sourcesOf(names: Map<string, ChainRun> | undefined, name: string, keep: boolean): readonly RuleSource[] {
    const list = names?.get(name);
    if (list === undefined) return [];
    const run = typeof list === 'number';
    if (!run && list.sources !== null) {
      const sources = list.sources;
      if (!keep) list.sources = null;
      return sources;
    }
    // Read from the run in place: a slice to map was a list per chain thrown away at once (issue 8).
    const rules = run ? null : list.scattered;
    const first = run ? list : list.first;
    const n = rules === null ? (run ? runEnd[list]! : list.end) - first : rules.length;
    const sources = new Array<RuleSource>(n);
    for (let k = 0; k < n; k++) sources[k] = sourceOf(rules === null ? all[first + k]! : rules[k]!);
    if (keep) {
      if (run) names!.set(name, { first, end: first + n, scattered: null, sources });
      else list.sources = sources;
    }
    return sources;
  }

  /** A deferred rule is its own source (its origin made when first read); a parsed one gets a source object. */
  function sourceOf(rule: NftRule): RuleSource {
    return (rule instanceof DeferredRule ? rule.sourceIn(file) : null) ?? { rule, text: null, origin: { file, path: rule.path } };
  }

  function report(path: string, message: string, severity: 'warning' | 'info' = 'warning'): void {
    const key = `${path}|${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push({ code: 'unsupported.nft-json.chain', severity, message, location: { file, path } });
  }
}

function baseChain(c: NftChain, id: string, tableFamily: string, report: (path: string, message: string, severity?: 'warning' | 'info') => void): BaseChain | null {
  const hook = c.hook!;
  if (!modelledHook(hook, tableFamily)) {
    report(`${c.path}.hook`, `hook ${hook} of chain ${c.name} is not modelled (${tableFamily === 'netdev' ? 'only netdev ingress is' : 'unknown hook'})`, hook === 'egress' ? 'info' : 'warning');
    return null;
  }
  let kind: ChainKind = 'filter';
  if (c.type === 'nat' || c.type === 'route' || c.type === 'filter') kind = c.type;
  else report(`${c.path}.type`, `chain type ${String(c.type)} of ${c.name} is unknown; read as filter`);
  let priority = parsePriority(c.prio);
  if (priority === null) {
    report(`${c.path}.prio`, `priority ${JSON.stringify(c.prio)} of ${c.name} not understood; read as 0`);
    priority = 0;
  }
  let policy: 'accept' | 'drop' = 'accept';
  if (c.policy === 'drop') policy = 'drop';
  else if (c.policy !== undefined && c.policy !== 'accept') report(`${c.path}.policy`, `policy ${c.policy} of ${c.name} is unknown; read as accept`);
  return { chain: id, hook: hook as Hook, priority, policy, kind };
}

/** Whether a base chain on this hook is modelled (else it is reported and lowered as a regular chain). */
function modelledHook(hook: string, tableFamily: string): boolean {
  return HOOKS.has(hook) && (tableFamily !== 'netdev' || hook === 'ingress');
}

/** A table's chains by name (an array for a name listed twice), in the order first listed. */
function chainsByName(chains: readonly NftChain[]): Map<string, NftChain | NftChain[]> {
  const out = new Map<string, NftChain | NftChain[]>();
  for (const c of chains) {
    const before = out.get(c.name);
    out.set(c.name, before === undefined ? c : Array.isArray(before) ? [...before, c] : [before, c]);
  }
  return out;
}

/** A number, a numeric string, or a named priority with an optional offset ("filter + 10", "dstnat-5"). */
export function parsePriority(prio: number | string | undefined): number | null {
  if (prio === undefined) return 0;
  if (typeof prio === 'number') return Number.isFinite(prio) ? prio : null;
  const m = /^\s*([a-z]+|-?\d+)\s*(?:([+-])\s*(\d+))?\s*$/i.exec(prio);
  if (!m) return null;
  const base = /^-?\d+$/.test(m[1]!) ? Number(m[1]) : NAMED_PRIORITIES[m[1]!.toLowerCase()];
  if (base === undefined) return null;
  const off = m[3] !== undefined ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
  return base + off;
}

/**
 * An ingress chain sees only packets from its devices. The model's base chains have no
 * device, so a leading rule lets every other packet leave the chain (accept ends only
 * this chain: later hooks still see the packet). nft before 1.0.7 does not print the
 * device in JSON; then the gate itself is uncertain.
 */
function deviceGate(c: NftChain, family: Family, file: string): Rule | null {
  if (c.hook !== 'ingress') return null;
  const devs = c.dev === undefined ? null : Array.isArray(c.dev) ? c.dev : [c.dev];
  const origin = { file, path: c.path };
  if (devs === null) {
    return {
      position: 0,
      text: `(ingress chain ${c.name}: device not printed in the dump)`,
      origin,
      match: PacketSet.all(family),
      uncertain: [{ construct: `chain ${c.name} device`, kind: 'missing-data', detail: 'the dump does not say which device this ingress chain is bound to' }],
      action: { type: 'accept' },
    };
  }
  const others = I.complement(ifaceSet(devs), { min: '', max: '\uffff' });
  return {
    position: 0,
    text: `(ingress chain ${c.name} sees only packets from ${devs.join(', ')})`,
    origin,
    match: PacketSet.where(family, { [Dim.Iif]: others }),
    uncertain: [],
    action: { type: 'accept' },
  };
}

/** Named sets that rules fill at runtime (`add @s { … }`, `update @s`, meters): their dumped members are a moment's state. */
function findDynamicSets(rules: readonly NftRule[], setsByTable: Map<string, Map<string, NftSet>>): Set<string> {
  const out = new Set<string>();
  const visit = (v: Json, tableKey: string): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, tableKey);
      return;
    }
    if (!isObject(v)) return;
    const key = soleKey(v);
    if (key === 'set' && isObject(v['set'])) {
      const ref = v['set']['set'];
      if (typeof ref === 'string' && (v['set']['op'] === 'add' || v['set']['op'] === 'update')) {
        const s = setsByTable.get(tableKey)?.get(ref.replace(/^@/, ''));
        if (s) out.add(s.path);
      }
    }
    if (key === 'meter' && isObject(v['meter']) && typeof v['meter']['name'] === 'string') {
      const s = setsByTable.get(tableKey)?.get(v['meter']['name']);
      if (s) out.add(s.path);
    }
  };
  // A deferred rule is parsed for this only when its text may hold such a statement.
  for (const r of rules) if (!(r instanceof DeferredRule) || r.mayFillSets) visit(r.expr, `${r.family} ${r.table}`);
  return out;
}
