/**
 * One kernel scenario, end to end: fresh namespaces, the ruleset loaded with the real tools,
 * listeners, a prediction for every flow (normally `portcullis collect` in the server
 * namespace + `portcullis explain --flows`), the same flows probed from the clients, and the
 * agreement between the two. Namespaces and processes are removed whatever happens.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditDisagreements } from './audit-agreement.js';
import { compare, type Agreement, type EngineAnswer, type ProbeAnswer } from './compare.js';
import { runAsync, runIn } from './exec.js';
import { buildFlows, DEFAULT_LISTENERS, type Flow, type FlowOptions, type ListenerSpec, type ProbedFlow } from './flows.js';
import { startListeners, type Listeners } from './listeners.js';
import { createTopology, type Topology } from './topology.js';

export const KERNEL_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SCENARIO_DIR = join(KERNEL_DIR, 'scenarios');
export const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));
export const PORTCULLIS_BIN = join(REPO_DIR, 'dist', 'cli', 'bin.js');
const PROBE = join(KERNEL_DIR, 'probe.mjs');

/** The restore tools a scenario file is fed to, inside the server namespace. */
export type RestoreTool = 'iptables-restore' | 'ip6tables-restore' | 'iptables-legacy-restore' | 'ip6tables-legacy-restore' | 'nft' | 'ipset';

export type LoadStep =
  /** `file` is relative to test/kernel/scenarios/. */
  | { tool: RestoreTool; file: string }
  /** Anything else (ufw): runs with the server namespace name. */
  | { what: string; run: (server: string) => void | Promise<void> };

export interface Scenario {
  name: string;
  load: LoadStep[];
  /** Server sockets; default {@link DEFAULT_LISTENERS}. */
  listeners?: ListenerSpec[];
  /** Adds the container namespace (bridge docker0, 172.17.0.2) with these sockets. */
  container?: ListenerSpec[];
  /** Gives the container an IPv6 address too (2001:db8:c::2, bridge 2001:db8:c::1/64). */
  containerV6?: boolean;
  /** Gives the container namespace a second address, a second "pod" (see topology.ts). */
  podAddresses?: boolean;
  /** Also checks `portcullis audit` of the snapshot against every probe (see audit-agreement.ts). */
  audit?: boolean;
  /** Flow options, or a function building the flows. */
  flows?: FlowOptions | ((topo: Topology, listeners: ListenerSpec[]) => ProbedFlow[]);
}

export interface PredictContext {
  topo: Topology;
  listeners: ListenerSpec[];
  /** Per-scenario scratch directory. */
  dir: string;
}

/** Answers every flow, in order. */
export type Predictor = (flows: Flow[], ctx: PredictContext) => Promise<EngineAnswer[]>;

/** The real thing: `portcullis collect` inside the server namespace, `explain --flows` outside. */
export const portcullisPredictor: Predictor = async (flows, { topo, dir }) => {
  const snap = join(dir, 'snapshot.json');
  const flowsFile = join(dir, 'flows.jsonl');
  writeFileSync(flowsFile, flows.map((f) => JSON.stringify(f)).join('\n') + '\n');
  const collected = await runAsync(['ip', 'netns', 'exec', topo.server, process.execPath, PORTCULLIS_BIN, 'collect', '--out', snap]);
  if (collected.code !== 0) throw new Error(`portcullis collect failed (exit ${collected.code}):\n${collected.stderr}${collected.stdout}`);
  const explained = await runAsync([process.execPath, PORTCULLIS_BIN, 'explain', '--snapshot', snap, '--flows', flowsFile]);
  writeFileSync(join(dir, 'answers.jsonl'), explained.stdout);
  if (explained.code !== 0 && explained.stdout.trim() === '') {
    throw new Error(`portcullis explain --flows failed (exit ${explained.code}):\n${explained.stderr}`);
  }
  return explained.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EngineAnswer);
};

async function load(server: string, step: LoadStep): Promise<void> {
  if ('run' in step) return step.run(server);
  const text = readFileSync(join(SCENARIO_DIR, step.file), 'utf8');
  if (step.tool === 'nft') runIn(server, ['nft', '-f', '-'], text);
  else if (step.tool === 'ipset') runIn(server, ['ipset', 'restore'], text);
  else runIn(server, [step.tool], text);
}

/** Probes flows from their client namespaces (in parallel per client), in input order. */
export async function probeFlows(flows: ProbedFlow[], udpTimeoutMs = 1000): Promise<ProbeAnswer[]> {
  const byClient = new Map<string, number[]>();
  flows.forEach((f, i) => byClient.set(f.client, [...(byClient.get(f.client) ?? []), i]));
  const out: ProbeAnswer[] = new Array(flows.length);
  await Promise.all(
    [...byClient].map(async ([ns, idx]) => {
      const input = idx.map((i) => {
        const { client: _c, ...f } = flows[i]!;
        return JSON.stringify(f);
      }).join('\n') + '\n';
      const r = await runAsync(['ip', 'netns', 'exec', ns, process.execPath, PROBE, String(udpTimeoutMs), '500'], input);
      if (r.code !== 0) throw new Error(`probe in ${ns} failed (exit ${r.code}): ${r.stderr}`);
      const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
      if (lines.length !== idx.length) throw new Error(`probe in ${ns}: ${lines.length} results for ${idx.length} flows`);
      lines.forEach((l, k) => { out[idx[k]!] = JSON.parse(l) as ProbeAnswer; });
    }),
  );
  return out;
}

/**
 * Runs a scenario and returns the agreement. The scratch directory (snapshot, flows, answers,
 * probes) is kept and named in the log when something disagrees or fails, or always with
 * PORTCULLIS_KERNEL_KEEP=1.
 */
export async function runScenario(s: Scenario, predict: Predictor = portcullisPredictor): Promise<Agreement> {
  const listeners = s.listeners ?? DEFAULT_LISTENERS;
  const topo = createTopology({ container: s.container !== undefined, ...(s.containerV6 ? { containerV6: true } : {}), ...(s.podAddresses ? { podAddresses: true } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'pc-k-'));
  const running: Listeners[] = [];
  let keep = true;
  try {
    for (const step of s.load) await load(topo.server, step);
    running.push(await startListeners(topo.server, listeners));
    if (s.container && topo.container) running.push(await startListeners(topo.container, s.container));
    const flows = typeof s.flows === 'function' ? s.flows(topo, listeners) : buildFlows(topo, listeners, s.flows);
    // Probe first: the kernel's answers are kept for inspection even when prediction fails.
    const probes = await probeFlows(flows);
    writeFileSync(join(dir, 'probes.jsonl'), probes.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const answers = await predict(flows.map(({ client: _c, ...f }) => f), { topo, listeners, dir });
    const result = compare(s.name, answers, probes);
    if (s.audit) result.audit = await auditDisagreements(join(dir, 'snapshot.json'), probes);
    keep = result.disagree.length > 0 || (result.audit?.length ?? 0) > 0 || process.env.PORTCULLIS_KERNEL_KEEP === '1';
    if (keep) console.log(`${s.name}: snapshot, flows, answers and probes in ${dir}`);
    return result;
  } catch (err) {
    console.log(`${s.name}: failed; scratch files kept in ${dir}`);
    throw err;
  } finally {
    await Promise.all(running.map((l) => l.stop()));
    topo.destroy();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
