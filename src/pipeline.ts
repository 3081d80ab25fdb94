/**
 * Snapshot in, analysis out: the one place that walks the whole pipeline (parse the
 * snapshot's dumps, lower them to the firewall model, run the engine). The CLI and the
 * library API call this; analysis itself never sees raw text.
 *
 * @module
 */
import type { Family } from './model/addr.js';
import type { Diagnostic } from './model/diagnostics.js';
import { addressFacts, hostContext } from './model/host-facts.js';
import type { HostContext, IpSet } from './model/host-context.js';
import { type Backend, type Chain, type FirewallModel, mergeModels } from './model/ruleset.js';
import type { FirewallSource, Snapshot } from './model/snapshot.js';
import { type IptablesDump, type LowerOptions, isChainRead, lowerIptables, parseIptablesSave, savedXtables } from './parse/iptables-save/index.js';
import { parseIpsetSave } from './parse/ipset-save.js';
import { type NftDumpShape, isSetAside, nftDumpShape, undecodedNftShape } from './parse/snapshot-bytes/index.js';
import { LazyChains, type LowerNftOptions, lowerNft, parseNftJson } from './parse/nft-json/index.js';
import { explainFlow as explainOne } from './analyze/explain.js';
import { type ReachInput, computeServices, pathFor } from './analyze/reach.js';
import { arrivalFacts } from './analyze/engine/arrival-routes.js';
import { interfaceSysctlName } from './parse/sysctl.js';
import { ShadowBudget, findShadowedRules } from './analyze/shadow.js';
import type { FlowAnswer, FlowQuery, HostAnalysis, ShadowedRule, SourceStatus } from './analyze/types.js';

export interface FirewallOverride {
  text: string;
  file: string;
}

export interface FirewallOverrides {
  iptables?: FirewallOverride;
  ip6tables?: FirewallOverride;
  nft?: FirewallOverride;
}

export interface LoadedHost {
  snapshot: Snapshot;
  file: string;
  models: Record<Family, FirewallModel>;
  context: HostContext;
  /** Parse and lowering diagnostics, plus what the collector could not read. Errors mean the input is unusable. */
  diagnostics: Diagnostic[];
  sourceStatus: SourceStatus[];
  /** What reports call the host (a store's key for it); default the snapshot's host name. */
  name?: string;
}

interface DumpInput {
  label: string;
  file: string;
  text: string;
  family: Family;
  backend: Backend;
}

function sourceLabel(file: string, index: number, source: FirewallSource): string {
  return `${file}#firewall[${index}] (${source.command.join(' ')})`;
}

function backendOf(source: FirewallSource, text: string): Backend {
  if (source.backend === 'legacy') return 'iptables-legacy';
  if (source.backend === 'nft') return 'iptables-nft';
  return /\(legacy\)/.test(text.slice(0, 200)) ? 'iptables-legacy' : 'iptables-nft';
}

function overrideBackend(text: string): Backend {
  return /\(legacy\)/.test(text.slice(0, 200)) ? 'iptables-legacy' : 'iptables-nft';
}

/**
 * True when an `nft -j` dump declares only tables that `skip` names (the iptables-nft
 * tables, already read from iptables-save), so parsing it would only be thrown away (on a
 * kube-proxy node that is 20 MB of JSON, a second to parse). Decided on the dump's shape: each
 * table object must be one nft prints (family, then name), every one of them skipped, and
 * the document whole; anything else goes through the parser as usual.
 */
function onlySkippedTables(n: NftInput, skip: ReadonlySet<string>): boolean {
  if (skip.size === 0) return false;
  const shape = shapeOf(n);
  if (shape === null || shape.declared.length === 0) return false;
  return shape.declared.every((t) => skip.has(t)) && shape.whole;
}

/** The shape of an nft dump, from its undecoded bytes when they tell. */
function shapeOf(n: NftInput): NftDumpShape | null {
  const known = n.source ? undecodedNftShape(n.source) : undefined;
  return known !== undefined ? known : nftDumpShape(n.text());
}

interface NftInput {
  label: string;
  /** Read only when needed: in a snapshot read from bytes, the dump is decoded then. */
  text: () => string;
  source?: FirewallSource;
}

export interface LoadOptions {
  /**
   * Build every chain's rule index while loading (default), so that a long-lived caller's
   * first query is as fast as the next. A one-shot explain turns it off: the chains its one
   * flow meets are indexed on the way, the thousands it never meets are not (issue 8).
   */
  indexAllChains?: boolean;
  /**
   * Read every chain while loading (default). A one-shot explain turns it off (issue 8: a
   * kube-proxy node has 20,000 chains, one flow meets a few): an iptables user chain is then
   * parsed and lowered when the engine first enters it (its diagnostics join `diagnostics` at
   * that moment; `unreadChains` names the chains never read), and an nft chain other than a
   * base chain is lowered when first met (warnings of chains never met are not gathered;
   * `unloweredNftChains` counts them; a source's status and rule count lower every chain when read).
   */
  readAllChains?: boolean;
}

export function loadHost(snapshot: Snapshot, file: string, overrides: FirewallOverrides = {}, options: LoadOptions = {}): LoadedHost {
  const diagnostics: Diagnostic[] = [];
  const sourceStatus: SourceStatus[] = [];
  for (const u of snapshot.unreadable) {
    diagnostics.push({ code: 'collect.unreadable', severity: 'warning', message: `could not read ${u.what}: ${u.reason}${u.hint && !u.reason.includes(u.hint) ? ` (${u.hint})` : ''}` });
  }

  // ipsets first: iptables rules refer to their members.
  const ipsets = new Map<string, IpSet>();
  snapshot.firewall.forEach((s, i) => {
    if (s.kind !== 'ipset-save' || s.status !== 'ok' || !hasContent(s)) return;
    const parsed = parseIpsetSave(s.content!, sourceLabel(file, i, s));
    diagnostics.push(...parsed.diagnostics);
    for (const [name, set] of parsed.value) ipsets.set(name, set);
  });
  const context = hostContext(snapshot, ipsets);

  const dumps: DumpInput[] = [];
  const nftTexts: NftInput[] = [];
  snapshot.firewall.forEach((s, i) => {
    const label = sourceLabel(file, i, s);
    if (s.status !== 'ok' || !hasContent(s)) {
      if (s.kind !== 'ipset-save') sourceStatus.push({ source: label, status: 'unavailable', rules: 0 });
      return;
    }
    // A backend with no table loaded prints nothing: that is an empty ruleset, not a damaged dump.
    // (An nft dump is not decoded here: it may be passed over unread.)
    if (s.kind !== 'nft-json' && s.content!.trim() === '') {
      if (s.kind !== 'ipset-save') sourceStatus.push({ source: label, status: 'passed', rules: 0 });
      return;
    }
    if (s.kind === 'iptables-save' && !overrides.iptables) dumps.push({ label, file: label, text: s.content!, family: 'ipv4', backend: backendOf(s, s.content!) });
    if (s.kind === 'ip6tables-save' && !overrides.ip6tables) dumps.push({ label, file: label, text: s.content!, family: 'ipv6', backend: backendOf(s, s.content!) });
    if (s.kind === 'nft-json' && !overrides.nft) nftTexts.push({ label, text: () => s.content!, source: s });
  });
  if (overrides.iptables) dumps.push({ label: overrides.iptables.file, file: overrides.iptables.file, text: overrides.iptables.text, family: 'ipv4', backend: overrideBackend(overrides.iptables.text) });
  if (overrides.ip6tables) dumps.push({ label: overrides.ip6tables.file, file: overrides.ip6tables.file, text: overrides.ip6tables.text, family: 'ipv6', backend: overrideBackend(overrides.ip6tables.text) });
  if (overrides.nft) {
    const text = overrides.nft.text;
    nftTexts.push({ label: overrides.nft.file, text: () => text });
  }

  const models: Record<Family, FirewallModel[]> = { ipv4: [], ipv6: [] };
  const skip = new Set<string>();
  const onDemand = options.readAllChains === false;
  for (const d of dumps) {
    const lowerOptions: LowerOptions = { family: d.family, backend: d.backend, context, file: d.file, onDeferred: (late) => diagnostics.push(...late) };
    // A full load parses and lowers each user chain rule by rule (its ASTs die young); only a
    // dump with an error is read again the plain way, for that read's exact diagnostics.
    let parsed = parseIptablesSave(d.text, d.file, { deferUserChains: true });
    let lowered = onDemand || hasError(parsed.diagnostics) ? null : lowerIptables(parsed.value, { ...lowerOptions, readNow: true });
    if (!onDemand && (lowered === null || hasError(lowered.diagnostics))) {
      parsed = parseIptablesSave(d.text, d.file);
      lowered = null;
    }
    const errors = parsed.diagnostics.filter((x) => x.severity === 'error');
    diagnostics.push(...parsed.diagnostics);
    if (errors.length > 0) {
      sourceStatus.push({ source: d.label, status: 'failed', rules: 0 });
      continue;
    }
    lowered ??= lowerIptables(parsed.value, lowerOptions);
    diagnostics.push(...lowered.diagnostics);
    models[d.family].push(lowered.value);
    // Deferred chains count by their lines: counting the model's rules would read them all.
    const rules = onDemand ? dumpRuleCount(parsed.value) : ruleCount(lowered.value);
    sourceStatus.push({ source: d.label, status: statusOf(lowered.value, lowered.diagnostics), rules });
    if (d.backend === 'iptables-nft') for (const t of savedXtables(d.text)) skip.add(`${d.family === 'ipv4' ? 'ip' : 'ip6'} ${t}`);
  }
  diagnostics.push(...leftOutTables(snapshot, skip));
  for (const n of nftTexts) {
    if (onlySkippedTables(n, skip)) {
      // Every table here is an iptables-nft table already read from its -save dump: nothing to parse twice.
      sourceStatus.push({ source: n.label, status: 'passed', rules: 0 });
      continue;
    }
    // Each rule is parsed when its chain is lowered (a full load never holds every rule's tree
    // at once; one flow parses only what it meets, its problems joining the host's then). A
    // dump with a problem is read again whole, for that read's exact diagnostics.
    const late: Diagnostic[] = [];
    const lowerOptions: LowerNftOptions = { context, file: n.label, skipTable: (family, table) => skip.has(`${family} ${table}`), lazy: onDemand };
    let parsed = parseNftJson(n.text(), n.label, { deferRules: { onLate: (d) => (onDemand ? diagnostics : late).push(...d) } });
    let lowered = onDemand || hasError(parsed.diagnostics) ? null : lowerNft(parsed.value, lowerOptions);
    if (hasError(parsed.diagnostics) || late.length > 0) {
      parsed = parseNftJson(n.text(), n.label);
      lowered = null;
    }
    diagnostics.push(...parsed.diagnostics);
    if (hasError(parsed.diagnostics)) {
      sourceStatus.push({ source: n.label, status: 'failed', rules: 0 });
      continue;
    }
    lowered ??= lowerNft(parsed.value, lowerOptions);
    diagnostics.push(...lowered.diagnostics);
    for (const family of ['ipv4', 'ipv6'] as const) models[family].push(lowered.value[family]);
    sourceStatus.push(onDemand ? lazyNftStatus(n.label, lowered.value, lowered.diagnostics) : { source: n.label, ...nftStatus(lowered.value, lowered.diagnostics) });
  }
  // A model alone is the merged model: a copy would lower every chain of a lazy one, and cost a
  // full load a Map insert per chain (20,000 on a kube-proxy host: issue 8).
  const merged = (family: Family): FirewallModel => (models[family].length === 1 ? models[family][0]! : mergeModels(family, models[family]));
  const loaded: LoadedHost = {
    snapshot,
    file,
    models: { ipv4: merged('ipv4'), ipv6: merged('ipv6') },
    context,
    diagnostics,
    sourceStatus,
  };
  // Rule indexes are part of loading: the first explain is then as fast as the next.
  if (options.indexAllChains !== false && !diagnostics.some((d) => d.severity === 'error')) {
    for (const family of ['ipv4', 'ipv6'] as const) pathFor(reachInput(loaded), family).walker.prepare();
  }
  return loaded;
}

/**
 * The tables whose nft copy collect left out since an iptables-nft-save dump held them: said
 * once, and loudly when no iptables-nft dump read here holds them (it failed to parse, or
 * --iptables replaced it): their rules are then in no model.
 */
function leftOutTables(snapshot: Snapshot, skip: ReadonlySet<string>): Diagnostic[] {
  const read: string[] = [];
  const missing: string[] = [];
  for (const s of snapshot.firewall) {
    if (s.nftTablesLeftOut === undefined || (s.kind !== 'iptables-save' && s.kind !== 'ip6tables-save')) continue;
    const family = s.kind === 'iptables-save' ? 'ip' : 'ip6';
    for (const t of s.nftTablesLeftOut) (skip.has(`${family} ${t}`) ? read : missing).push(`${family} ${t}`);
  }
  const out: Diagnostic[] = [];
  if (read.length > 0) {
    out.push({ code: 'collect.nft-tables-left-out', severity: 'info', message: `nftables tables ${read.join(', ')} are read from iptables-nft-save only: collect did not list their nft copy` });
  }
  if (missing.length > 0) {
    out.push({
      code: 'collect.nft-tables-missing',
      severity: 'warning',
      message: `nftables tables ${missing.join(', ')} are missing from this analysis: collect left their nft copy out because iptables-nft-save held them, and no iptables-nft dump read here holds them (it could not be read, or --iptables/--ip6tables replaced it)`,
    });
  }
  return out;
}

/** An nft source's status and rule count over both families' models. */
function nftStatus(models: Record<Family, FirewallModel>, diagnostics: readonly Diagnostic[]): Pick<SourceStatus, 'status' | 'rules'> {
  let rules = 0;
  let partial = false;
  for (const family of ['ipv4', 'ipv6'] as const) {
    rules += ruleCount(models[family]);
    if (statusOf(models[family], diagnostics) !== 'passed') partial = true;
  }
  return { status: partial ? 'partially-unrecognized' : 'passed', rules };
}

/** {@link nftStatus} of a source whose chains are lowered on demand: reading it lowers them all. */
function lazyNftStatus(source: string, models: Record<Family, FirewallModel>, diagnostics: readonly Diagnostic[]): SourceStatus {
  let known: Pick<SourceStatus, 'status' | 'rules'> | null = null;
  const decide = (): Pick<SourceStatus, 'status' | 'rules'> => (known ??= nftStatus(models, diagnostics));
  return {
    source,
    get status() {
      return decide().status;
    },
    get rules() {
      return decide().rules;
    },
  };
}

/** A source holds a dump (without decoding one still held as bytes). */
function hasContent(s: FirewallSource): boolean {
  return isSetAside(s) || s.content !== undefined;
}

function ruleCount(model: FirewallModel): number {
  let n = 0;
  for (const c of model.chains.values()) n += c.rules.length;
  return n;
}

function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function dumpRuleCount(dump: IptablesDump): number {
  let n = 0;
  for (const t of dump.tables) for (const c of t.chains.values()) n += c.rules.length + (c.unread?.length ?? 0);
  return n;
}

/** Chains of a load without `readAllChains` that nothing has read yet (none after a full load). */
export function unreadChains(loaded: LoadedHost): Chain[] {
  const out: Chain[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const chains = loaded.models[family].chains;
    // Iterating a lazy nft map would lower every chain: look only at what it lowered.
    for (const c of chains instanceof LazyChains ? chains.loweredValues() : chains.values()) if (!isChainRead(c)) out.push(c);
  }
  return out;
}

/**
 * nftables chains of a one-flow load that were lowered in neither family (their warnings were
 * not gathered). An `inet` chain counts once: lowered for the flow's family, it was read.
 */
export function unloweredNftChains(loaded: LoadedHost): number {
  // `explain --flows` asks after every flow: count again only when a chain was lowered since.
  const lazy = (['ipv4', 'ipv6'] as const).map((f) => loaded.models[f].chains).filter((c): c is LazyChains => c instanceof LazyChains);
  const stamp = lazy.map((c) => c.pendingCount).join('/');
  const known = unloweredCounts.get(loaded);
  if (known?.stamp === stamp) return known.count;
  const count = countUnlowered(lazy);
  unloweredCounts.set(loaded, { stamp, count });
  return count;
}

const unloweredCounts = new WeakMap<LoadedHost, { stamp: string; count: number }>();

function countUnlowered(lazy: readonly LazyChains[]): number {
  // One map per family; a chain id is backend/family/table/name, and the same nft chain in both
  // families (inet, netdev) has the same id but for the family. Ids are built only for the map
  // with fewer pending chains: kube-proxy's 20,000 sit in one family's, asked by id.
  if (lazy.length === 0) return 0;
  if (lazy.length === 1) return lazy[0]!.pendingCount;
  const [small, big] = lazy[0]!.pendingCount <= lazy[1]!.pendingCount ? [lazy[0]!, lazy[1]!] : [lazy[1]!, lazy[0]!];
  // The big map's pending chains, less those lowered in the small one's family...
  let count = big.pendingCount;
  for (const c of small.loweredValues()) if (big.isPending(inOtherFamily(c.id))) count--;
  // ...and the small map's that the big one neither lowered nor counted already.
  for (const id of small.pendingIds()) if (!big.has(inOtherFamily(id))) count++;
  return count;
}

/** The id of the same chain in the other family (`nftables/ipv4/…` ↔ `nftables/ipv6/…`). */
function inOtherFamily(id: string): string {
  const afterBackend = id.indexOf('/');
  const afterFamily = id.indexOf('/', afterBackend + 1);
  const family = id.slice(afterBackend + 1, afterFamily);
  return `${id.slice(0, afterBackend + 1)}${family === 'ipv4' ? 'ipv6' : 'ipv4'}${id.slice(afterFamily)}`;
}

/** Of what was read: a deferred load's status covers the chains read while loading. */
function statusOf(model: FirewallModel, diagnostics: readonly Diagnostic[]): SourceStatus['status'] {
  for (const c of model.chains.values()) {
    if (!isChainRead(c)) continue;
    for (const r of c.rules) if (r.uncertain.some((u) => u.kind === 'unknown')) return 'partially-unrecognized';
  }
  return diagnostics.some((d) => d.code.startsWith('unsupported.') && d.severity !== 'info') ? 'partially-unrecognized' : 'passed';
}

function sysctlFlag(value: string | null | undefined): boolean | null {
  if (value === null || value === undefined) return null;
  return value.trim() !== '0';
}

const inputs = new WeakMap<LoadedHost, ReachInput>();

/** The engine's view of a loaded host (cached: explaining many flows reuses rule indexes). */
export function reachInput(loaded: LoadedHost): ReachInput {
  let input = inputs.get(loaded);
  if (!input) inputs.set(loaded, (input = buildReachInput(loaded)));
  return input;
}

/**
 * Per family, why no firewall dump of it could be read (none when one could): the answers
 * then assume no filtering, and each must say so in its data (issue 9).
 */
function unreadableFirewall(snapshot: Snapshot): Partial<Record<Family, string>> {
  const out: Partial<Record<Family, string>> = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const kinds = family === 'ipv4' ? ['iptables-save', 'nft-json'] : ['ip6tables-save', 'nft-json'];
    const sources = snapshot.firewall.filter((f) => kinds.includes(f.kind));
    if (sources.length === 0 || sources.some((f) => f.status === 'ok')) continue;
    const who = snapshot.privileges.root ? 'firewall not readable' : 'firewall not readable as this user';
    out[family] = `${who} (${sources[0]!.reason ?? 'unavailable'})`;
  }
  return out;
}

function buildReachInput(loaded: LoadedHost): ReachInput {
  const s = loaded.snapshot;
  const firewallUnreadable = unreadableFirewall(s);
  return {
    ...(Object.keys(firewallUnreadable).length > 0 ? { firewallUnreadable } : {}),
    models: loaded.models,
    facts: addressFacts(s.interfaces),
    sockets: s.sockets ?? [],
    forwarding: {
      ipv4: sysctlFlag(s.sysctls['net.ipv4.ip_forward']),
      ipv6: sysctlFlag(s.sysctls['net.ipv6.conf.all.forwarding']),
    },
    arrival: arrivalFacts(s.routing, s.interfaces, (iface) => s.sysctls[interfaceSysctlName('ipv4', iface, 'rp_filter')] ?? null),
  };
}

/** Says so when sources cannot be placed on interfaces (an older snapshot, routes unreadable). */
function arrivalDiagnostics(input: ReachInput): Diagnostic[] {
  const unknown = (['ipv4', 'ipv6'] as const).filter((f) => !input.arrival?.cubes[f]);
  if (unknown.length === 0) return [];
  return [
    {
      code: 'collect.no-routes',
      severity: 'warning',
      message: `arrival interface not known (${unknown.join(', ')}): the snapshot has no routing table${input.arrival ? ' for it' : ' (collected by an older Portcullis)'}, so every source is read as arriving on every interface; collect again for per-interface answers`,
    },
  ];
}

/** Backends holding rules (or a drop policy) per family. */
function backendsInUse(model: FirewallModel): Backend[] {
  const used = new Set<Backend>();
  for (const c of model.chains.values()) if (c.rules.length > 0) used.add(c.backend);
  for (const b of model.baseChains) {
    if (b.policy === 'drop') used.add(model.chains.get(b.chain)?.backend ?? 'nftables');
  }
  return [...used].sort();
}

export function analyzeHost(loaded: LoadedHost): HostAnalysis {
  const input = reachInput(loaded);
  const reach = computeServices(input);
  const budgets = { ipv4: new ShadowBudget(), ipv6: new ShadowBudget() };
  const shadowedRules = deadInEveryFamily(loaded.models, budgets);
  const diagnostics = [...loaded.diagnostics, ...arrivalDiagnostics(input)];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const skipped = budgets[family].skipped;
    if (skipped.length === 0) continue;
    const rules = skipped.reduce((n, s) => n + s.rules, 0);
    const chains = skipped.map((s) => s.chain);
    diagnostics.push({
      code: 'analysis.shadow-too-large',
      severity: 'info',
      message: `shadowed-rule analysis (${family}) not completed: too large (over ${budgets[family].limit.toLocaleString('en')} rule comparisons); ${rules.toLocaleString('en')} rules in ${chains.length} chain(s) (${chains.slice(0, 3).join(', ')}${chains.length > 3 ? ', …' : ''}) were not analysed, so none of them is reported as shadowed`,
    });
  }
  // Without any readable firewall dump, every listener is read as unfiltered: say so, loudly.
  const firewallUnreadable = input.firewallUnreadable ?? {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const why = firewallUnreadable[family];
    if (why !== undefined) {
      diagnostics.push({
        code: 'collect.no-firewall',
        severity: 'warning',
        message: `no ${family} firewall dump could be read: ${why}; ${family} reachability assumes no filtering; run as root for the real answer`,
      });
    }
  }
  for (const family of ['ipv4', 'ipv6'] as const) {
    const model = loaded.models[family];
    for (const id of pathFor(input, family).walker.loops) {
      const chain = model.chains.get(id);
      diagnostics.push({
        code: 'analyze.jump-loop',
        severity: 'warning',
        message: `${family} chain ${chain?.name ?? id} (${chain?.table ?? '?'}) is part of a jump loop: the kernel refuses to load such a ruleset; packets entering the loop are read as may-accept`,
        ...(chain?.origin ? { location: chain.origin } : {}),
      });
    }
  }
  if (loaded.snapshot.sockets === null) {
    diagnostics.push({ code: 'collect.no-sockets', severity: 'warning', message: 'the snapshot has no socket table: no service can be listed' });
  }
  return {
    name: loaded.name ?? loaded.snapshot.host.hostname,
    collectedAt: loaded.snapshot.collectedAt,
    services: reach.services,
    shadowedRules,
    backends: { ipv4: backendsInUse(loaded.models.ipv4), ipv6: backendsInUse(loaded.models.ipv6) },
    sourceStatus: loaded.sourceStatus,
    diagnostics,
    sysctls: loaded.snapshot.sysctls,
    firewall: { inputDropsLogged: reach.inputDropsLogged },
    ...(Object.keys(firewallUnreadable).length > 0 ? { firewallUnreadable } : {}),
  };
}

/**
 * Shadowed and unreachable rules of both families. A chain of an nft `inet` table lives in
 * both models; one of its rules is dead only if it is dead in both (a rule matching
 * `ip saddr` is empty for IPv6 packets, which is not a defect), and is listed once.
 */
function deadInEveryFamily(models: Record<Family, FirewallModel>, budgets: Record<Family, ShadowBudget>): ShadowedRule[] {
  const perFamily = { ipv4: findShadowedRules(models.ipv4, budgets.ipv4), ipv6: findShadowedRules(models.ipv6, budgets.ipv6) };
  const key = (r: ShadowedRule) => `${r.rule.backend}\u0000${r.rule.table}\u0000${r.rule.chain}\u0000${r.rule.position}`;
  const chainKey = (c: { backend: string; table: string; name: string }) => `${c.backend}\u0000${c.table}\u0000${c.name}`;
  // Only tables lowered into both families share chains (nft inet and netdev).
  const chainsIn = (m: FirewallModel) => new Set([...m.chains.values()].filter((c) => c.tableFamily === 'inet' || c.tableFamily === 'netdev').map(chainKey));
  const chains = { ipv4: chainsIn(models.ipv4), ipv6: chainsIn(models.ipv6) };
  const deadIn = { ipv4: new Set(perFamily.ipv4.map(key)), ipv6: new Set(perFamily.ipv6.map(key)) };
  const out: ShadowedRule[] = [];
  const seen = new Set<string>();
  for (const family of ['ipv4', 'ipv6'] as const) {
    const other = family === 'ipv4' ? 'ipv6' : 'ipv4';
    for (const r of perFamily[family]) {
      const k = key(r);
      if (seen.has(k)) continue;
      const shared = chains[other].has(chainKey({ backend: r.rule.backend, table: r.rule.table, name: r.rule.chain }));
      if (shared && !deadIn[other].has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  }
  return out;
}

export function explainFlow(loaded: LoadedHost, flow: FlowQuery): FlowAnswer {
  return explainOne(reachInput(loaded), flow);
}

