/**
 * The firewall as the kernel's own tools print it: native nftables as JSON, iptables of
 * both backends, ipsets. Each dump becomes a FirewallSource saying ok, unavailable or error.
 *
 * @module
 */
import type { FirewallSource, FirewallSourceKind } from '../model/snapshot.js';
import { describeExecFailure } from './exec-failure.js';
import type { ExecResult, HostIO } from './host-io.js';
import { noIpsetModule, noLegacyTables, noXtablesTables } from './needless-dumps.js';
import { NFT_RULESET_ARGV, NFT_TABLES_ARGV, type NftListingPlan, type NftTable, holdsOnlyListed, listTableArgv, mayBeXtables, parseTableList, planNftListing, sameTables } from './nft-listing.js';
import { ROOT_HINT, type UnreadableLog } from './unreadable-log.js';

type Backend = FirewallSource['backend'];

/**
 * Every firewall dump, in a fixed order: nft, iptables (nft, legacy), ip6tables (nft, legacy), ipset.
 * The tools run at once (issue 8: one after another they took the sum of their times; on a
 * big host nft and iptables-nft-save each take seconds), except that nft waits for the
 * iptables-nft-save dumps when it may hold their tables (see nft-listing.ts). Results are
 * logged in the fixed order once all are in, so the snapshot does not depend on which finished first.
 *
 * Starting a tool holds this thread for a fork and exec (5-20 ms on a small VM), so the tools
 * start one after another: nft's table list first, then ipset as soon as /proc says its module
 * is loaded; once the list has answered, `nft -j list ruleset` when it is wanted, then the
 * iptables dumps the list and /proc do not show to be empty. {@link collectSnapshot} starts
 * these before its quicker reads.
 */
export function collectFirewall(io: HostIO, log: UnreadableLog, root: boolean): Promise<FirewallSource[]> {
  return startFirewallDumps(io, log, root).sources;
}

/** The firewall's dumps under way. */
export interface FirewallDumps {
  /**
   * Resolves once every dump that can start now has started: the table list has answered,
   * `nft -j list ruleset` (a plain nftables host's slowest dump) is running when that list asks
   * for it, and so are ipset and the iptables dumps. Other tools started before this would
   * hold this thread for their forks while the long dump waited for its turn (issue 8:
   * f2b-nftset-50000's `nft -j list ruleset` started ~100 ms after the table list had answered,
   * behind `ip` ×3, `ss` and the /proc scan). Never rejects. A hung table list holds the
   * others until its time limit, which collect would wait for anyway.
   */
  started: Promise<void>;
  /** Every source, in the fixed order of {@link collectFirewall}. */
  sources: Promise<FirewallSource[]>;
}

/** Starts the firewall's dumps; see {@link collectFirewall} for what they are and their order. */
export function startFirewallDumps(io: HostIO, log: UnreadableLog, root: boolean): FirewallDumps {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const sources = readFirewall(io, log, root, markStarted);
  // A failure before the nft decision must not leave the caller waiting for the other tools.
  sources.then(markStarted, markStarted);
  return { started, sources };
}

async function readFirewall(io: HostIO, log: UnreadableLog, root: boolean, markStarted: () => void): Promise<FirewallSource[]> {
  const ipsetArgv = ['ipset', 'save'];
  const listed = io.exec(NFT_TABLES_ARGV);
  // ipset save, the slowest dump of a host that keeps its bans in sets, as soon as /proc says
  // the module is loaded; its check may go on to modules.builtin, which nothing else waits for.
  const ipset = noIpsetModule(io).then(async (why) => (why === null ? io.exec(ipsetArgv) : why));
  const noLegacy = Promise.all([noLegacyTables(io, 'iptables'), noLegacyTables(io, 'ip6tables')]);
  // The table list says whether the whole ruleset is dumped. When it is, that dump (a plain
  // nftables host's slowest) starts before the iptables dumps: each start holds this thread
  // for a fork, and the list answers in about the time ipset's start takes.
  const tables = tableList(await listed);
  const whole = tables === null || !tables.some(mayBeXtables) ? wholeRuleset(io) : null;
  const [noLegacy4, noLegacy6] = await noLegacy;
  const v4 = iptablesDumps(io, 'iptables', noXtablesTables(tables, 'iptables'), noLegacy4);
  const v6 = iptablesDumps(io, 'ip6tables', noXtablesTables(tables, 'ip6tables'), noLegacy6);
  markStarted();
  const [nft, v4Dumps, v6Dumps, ipsetRes] = await Promise.all([whole ?? listNft(io, tables!, v4, v6), v4, v6, ipset]);
  const held = (family: 'ip' | 'ip6', backend: Backend): string[] => (backend === 'nft' ? nft.leftOut[family] : []);
  return [
    ...nft.dumps.map((d) => source(log, root, 'nft-json', null, d.argv, d.res)),
    ...v4Dumps.map((d) => withLeftOut(source(log, root, 'iptables-save', d.backend, d.argv, d.res), held('ip', d.backend))),
    ...v6Dumps.map((d) => withLeftOut(source(log, root, 'ip6tables-save', d.backend, d.argv, d.res), held('ip6', d.backend))),
    source(log, root, 'ipset-save', null, ipsetArgv, ipsetRes),
  ];
}

function withLeftOut(s: FirewallSource, tables: string[]): FirewallSource {
  if (tables.length > 0) s.nftTablesLeftOut = tables;
  return s;
}

interface NftListing {
  dumps: { argv: string[]; res: ExecResult }[];
  leftOut: NftListingPlan['leftOut'];
}

/** `nft -j list ruleset`: one consistent dump of every table. */
async function wholeRuleset(io: HostIO): Promise<NftListing> {
  return { dumps: [{ argv: [...NFT_RULESET_ARGV], res: await io.exec(NFT_RULESET_ARGV) }], leftOut: { ip: [], ip6: [] } };
}

/**
 * The nft dumps. Conservative on every doubt, since kube-proxy rewrites its tables every few
 * seconds: the whole ruleset (one consistent dump, as before) when the table list cannot be
 * read, when nothing is left out, when a table listing fails (the table went away), or when
 * the tables changed while they were listed (a table that appeared in between is not missed).
 * A table left out is read from its iptables-nft-save dump as printed, however it changed after.
 * `tables`: the table list, which holds an xtables table (without one, the whole ruleset is
 * dumped at once: nothing to wait for).
 */
async function listNft(io: HostIO, tables: NftTable[], v4: Promise<IptablesDump[]>, v6: Promise<IptablesDump[]>): Promise<NftListing> {
  const ruleset = () => wholeRuleset(io);
  const saves = { ip: nftSaveText(await v4), ip6: nftSaveText(await v6) };
  // Every table a dump holds must be in the list: otherwise the list is not the whole story.
  if (!holdsOnlyListed(tables, saves)) return ruleset();
  const plan = planNftListing(tables, saves);
  if (plan.list.length === 0 && plan.leftOut.ip.length === 0 && plan.leftOut.ip6.length === 0) return ruleset();
  // Every table held by the iptables-nft dumps: nothing is listed, so there is nothing that could
  // change while listed. The nft side is the table list as first read (no other table), as a
  // whole-ruleset dump would be as of its moment; asking again cost a tool's start, on the
  // critical path of a small iptables-nft host (issue 8: docker-300, f2b-ipset-50000).
  if (plan.list.length === 0) return { dumps: [], leftOut: plan.leftOut };
  const argvs = plan.list.map(listTableArgv);
  const results = await Promise.all(argvs.map((argv) => io.exec(argv)));
  if (results.some((r) => !r.ok || r.code !== 0)) return ruleset();
  const after = tableList(await io.exec(NFT_TABLES_ARGV));
  if (after === null || !sameTables(tables, after)) return ruleset();
  return { dumps: argvs.map((argv, i) => ({ argv, res: results[i]! })), leftOut: plan.leftOut };
}

function tableList(res: ExecResult): NftTable[] | null {
  return res.ok && res.code === 0 ? parseTableList(res.stdout) : null;
}

/** The text of the dump iptables-nft printed (the one whose tables the pipeline reads from it), or null. */
function nftSaveText(dumps: IptablesDump[]): string | null {
  const d = dumps.find((x) => x.backend === 'nft' && x.argv.length === 1 && x.argv[0]!.endsWith('-nft-save'));
  return d && typeof d.res !== 'string' && d.res.ok && d.res.code === 0 ? d.res.stdout : null;
}

/** One iptables dump as run, before it becomes a FirewallSource. */
interface IptablesDump {
  backend: Backend;
  argv: string[];
  /** A string: the reason it was not run (its answer, nothing, known from the kernel). */
  res: ExecResult | string;
}

/**
 * iptables 1.8 ships `<tool>-nft-save` and `<tool>-legacy-save`; both backends can hold
 * rules at once, so both are read. Older installs only have `<tool>-save`, whose header
 * ("# Generated by iptables-save v1.8.9 (nf_tables)" or "(legacy)") names the backend.
 * `noNft`, `noLegacy`: why that backend's dump need not run (see needless-dumps.ts), or null.
 */
async function iptablesDumps(io: HostIO, tool: 'iptables' | 'ip6tables', noNft: string | null, noLegacy: string | null): Promise<IptablesDump[]> {
  const nftArgv = [`${tool}-nft-save`];
  const legacyArgv = [`${tool}-legacy-save`];
  const [nftRes, legacyRes] = await Promise.all([noNft === null ? io.exec(nftArgv) : noNft, noLegacy === null ? io.exec(legacyArgv) : noLegacy]);
  // A dump not run does not tell whether its binary is installed; the other one's run does.
  // Both missing, or one missing and the other not run: an older iptables, read through `<tool>-save`.
  const missing = (r: ExecResult | string) => typeof r !== 'string' && !r.ok && r.error === 'ENOENT';
  const notRun = (r: ExecResult | string) => typeof r === 'string';
  const older = missing(legacyRes) ? missing(nftRes) || notRun(nftRes) : missing(nftRes) && notRun(legacyRes);
  if (!older) {
    return [
      { backend: 'nft', argv: nftArgv, res: nftRes },
      { backend: 'legacy', argv: legacyArgv, res: legacyRes },
    ];
  }
  const plainArgv = [`${tool}-save`];
  const res = await io.exec(plainArgv);
  let backend = res.ok ? backendOfText(res.stdout + '\n' + res.stderr) : null;
  if (res.ok && backend === null) {
    // No rules, no header: ask the binary itself ("iptables-save v1.6.1" is legacy-only).
    const version = await io.exec([`${tool}-save`, '--version']);
    if (version.ok) backend = backendOfText(version.stdout + version.stderr) ?? (/v1\.[0-7]\./.test(version.stdout) ? 'legacy' : null);
  }
  return [{ backend, argv: plainArgv, res }];
}

/** The backend named in an iptables-save header or version line. */
export function backendOfText(text: string): Backend {
  const m = /ip6?tables(?:-save)? v[\d.]+ \((nf_tables|legacy)\)/.exec(text);
  if (!m) return null;
  return m[1] === 'nf_tables' ? 'nft' : 'legacy';
}

function source(log: UnreadableLog, root: boolean, kind: FirewallSourceKind, backend: Backend, command: string[], res: ExecResult | string): FirewallSource {
  // Not run: the kernel says the dump is empty. Recorded as that empty dump, with the reason.
  if (typeof res === 'string') return { kind, backend, command, status: 'ok', reason: res, content: '' };
  if (res.ok && res.code === 0) {
    // Empty output is fine: e.g. the legacy tables when the ip_tables module is not loaded.
    const s: FirewallSource = { kind, backend, command, status: 'ok', content: res.stdout };
    if (res.stderr.trim() !== '') s.stderr = res.stderr;
    return s;
  }
  const f = describeExecFailure(res, root);
  log.add(command.join(' '), f.reason, f.needsRoot ? ROOT_HINT : undefined);
  const s: FirewallSource = { kind, backend, command, status: f.status, reason: f.reason };
  if (res.ok && res.stderr.trim() !== '') s.stderr = res.stderr;
  return s;
}
