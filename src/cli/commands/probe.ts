/**
 * `portcullis probe`: what really answers, recognised by protocol, judged with the audit's
 * knowledge, and compared with the engine's prediction. Safety first: without
 * --allow-remote nothing leaves for an address that is not this host's, and that is
 * decided before a single packet is sent.
 *
 * @module
 */
import { networkInterfaces } from 'node:os';
import { PolicyView } from '../../analyze/audit/index.js';
import type { Severity } from '../../analyze/audit/types.js';
import { buildProbeReport, comparePrediction, probeHasFindingsAtOrAbove, type PredictedState, type ProbeComparison, type ProbeReport } from '../../analyze/probe/index.js';
import type { ProbeObservation } from '../../model/probe.js';
import { parseNmapXml } from '../../parse/nmap-xml/index.js';
import { type LoadedHost, explainFlow } from '../../pipeline.js';
import { isLocalAddress, parsePortSpec, resolveTargets, runProbe, TargetError } from '../../probe/index.js';
import { renderProbeHtml, renderProbeJson, renderProbeText, shouldColor } from '../../render/index.js';
import { VERSION } from '../../version.js';
import { ExitCode, InputError, failOnErrors } from '../errors.js';
import { loadHosts, readInputFile } from '../load-hosts.js';
import { writeOutput } from '../output.js';
import { readPolicy } from './audit.js';

export interface ProbeOptions {
  ports?: string;
  udp?: boolean;
  allowRemote?: boolean;
  concurrency?: string;
  timeout?: string;
  rate?: string;
  retries?: string;
  maxTargets?: string;
  identify?: boolean;
  compare?: boolean;
  snapshot?: string;
  config?: string;
  nmap?: string;
  format?: 'text' | 'json' | 'html';
  json?: boolean;
  out?: string;
  failOn?: Severity | 'none';
}

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InputError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** This host's interface addresses (the safety rule's "local"). */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address.replace(/%.*$/, '')));
}

/** The engine's state for a flow, from a loaded snapshot; null for addresses that are not that host's. */
function predictorFor(host: LoadedHost) {
  const addresses = (host.snapshot.interfaces ?? []).flatMap((i) => i.addresses.map((a) => a.address));
  return {
    predict(q: { from: string; to: string; port: number; proto: 'tcp' | 'udp' }): PredictedState | null {
      if (!isLocalAddress(q.to, addresses)) return null;
      try {
        return explainFlow(host, q).state;
      } catch {
        return null;
      }
    },
    predictedOpen(address: string, proto: 'tcp' | 'udp'): number[] {
      if (!isLocalAddress(address, addresses)) return [];
      return [...new Set((host.snapshot.sockets ?? []).filter((s) => s.proto === proto).map((s) => s.port))];
    },
  };
}

async function comparison(opts: ProbeOptions, observation: ProbeObservation, allLocal: boolean): Promise<ProbeComparison | null> {
  if (opts.compare === false || (!opts.snapshot && !(allLocal && observation.origin.kind === 'scan'))) return null;
  let hosts: LoadedHost[];
  try {
    hosts = await loadHosts(opts.snapshot ? { snapshot: opts.snapshot } : {});
  } catch (err) {
    // A named snapshot that cannot be read is an input error; a live collection that fails only loses the comparison.
    if (opts.snapshot) throw err;
    process.stderr.write(`portcullis: no comparison with the firewall analysis: ${(err as Error).message}\n`);
    return null;
  }
  const p = predictorFor(hosts[0]!);
  return comparePrediction({ observation, predict: p.predict, predictedOpen: p.predictedOpen, snapshot: opts.snapshot ?? 'this host' });
}

function progress(enabled: boolean) {
  if (!enabled) return undefined;
  const started = Date.now();
  let last = 0;
  return (phase: string, done: number, total: number) => {
    const now = Date.now();
    if (now - last < 200 && done < total) return;
    last = now;
    const left = done > 0 ? ((now - started) / done) * (total - done) : 0;
    process.stderr.write(`\r${phase}: ${done}/${total} (${Math.round((100 * done) / total)}%), about ${Math.ceil(left / 1000)} s left   ${done === total ? '\n' : ''}`);
  };
}

async function observe(targetArgs: readonly string[], opts: ProbeOptions): Promise<{ observation: ProbeObservation; allLocal: boolean }> {
  if (opts.nmap) {
    if (targetArgs.length > 0) throw new InputError('--nmap reads targets from the nmap report: give no TARGET with it');
    const parsed = parseNmapXml(await readInputFile(opts.nmap, 'nmap XML report'), opts.nmap);
    failOnErrors(`${opts.nmap} is not a usable nmap XML report`, parsed.diagnostics);
    return { observation: parsed.value!, allLocal: false };
  }
  if (targetArgs.length === 0) throw new InputError('probe needs at least one TARGET (an address, a hostname or a CIDR block), or --nmap FILE');
  const spec = parsePortSpec(opts.ports ?? 'top1000');
  if (spec.error !== null) throw new InputError(spec.error);
  const concurrency = intOption(opts.concurrency, '--concurrency', 512, 1, 16384);
  const timeoutMs = intOption(opts.timeout, '--timeout', 1000, 10, 120_000);
  const rate = intOption(opts.rate, '--rate', 0, 0, 1_000_000);
  const retries = intOption(opts.retries, '--retries', 1, 0, 10);
  const maxTargets = intOption(opts.maxTargets, '--max-targets', 256, 1, 1 << 24);
  let targets;
  try {
    targets = await resolveTargets(targetArgs, maxTargets);
  } catch (err) {
    if (err instanceof TargetError) throw new InputError(err.message);
    throw err;
  }
  // The safety rule, before anything is sent to a target.
  const own = ownAddresses();
  const remote = targets.filter((t) => !isLocalAddress(t.address, own));
  if (remote.length > 0 && !opts.allowRemote) {
    const names = remote.slice(0, 5).map((t) => (t.hostname ? `${t.hostname} (${t.address})` : t.address));
    throw new InputError(
      `refusing to probe ${names.join(', ')}${remote.length > 5 ? ` and ${remote.length - 5} more` : ''}: not an address of this host. Probing other machines needs their owner's permission; pass --allow-remote if you have it.`,
    );
  }
  const total = targets.length * spec.ports.length * (opts.udp ? 2 : 1);
  if (total > 1000 || remote.length > 0) {
    process.stderr.write(`portcullis: probing ${targets.length} target(s) × ${spec.ports.length} port(s)${opts.udp ? ' over TCP and UDP' : ' over TCP'}, ${concurrency} at a time${rate ? `, at most ${rate}/s per target` : ''}, timeout ${timeoutMs} ms\n`);
  }
  const onProgress = progress(Boolean(process.stderr.isTTY));
  const observation = await runProbe(targets, {
    ports: spec.ports,
    udp: Boolean(opts.udp),
    concurrency,
    timeoutMs,
    retries,
    ratePerTarget: rate,
    recognise: opts.identify !== false,
    ...(onProgress ? { onProgress } : {}),
  });
  return { observation, allLocal: remote.length === 0 };
}

export async function probeReport(targetArgs: readonly string[], opts: ProbeOptions): Promise<ProbeReport> {
  // The policy first: a bad policy file is an input error before anything is sent.
  const policy = new PolicyView(await readPolicy(opts.config), new Date());
  const { observation, allLocal } = await observe(targetArgs, opts);
  const now = new Date();
  const compared = await comparison(opts, observation, allLocal);
  const loopback = (a: string) => isLocalAddress(a, []);
  return buildProbeReport({
    observation,
    comparison: compared,
    // A probe from this host to itself says what local users see, not the world.
    context: {
      isLocalVantage: (address, vantage) => loopback(address) || (vantage !== null && vantage === address),
      isListedPublic: (host, proto, port) => policy.isPublic(host, proto, port),
    },
    now,
    toolVersion: VERSION,
  });
}

export async function runProbeCommand(targetArgs: readonly string[], opts: ProbeOptions): Promise<number> {
  const format = opts.json ? 'json' : (opts.format ?? 'text');
  const report = await probeReport(targetArgs, opts);
  const color = !opts.out && format === 'text' && shouldColor(process.stdout, process.env);
  const text = format === 'json' ? renderProbeJson(report) : format === 'html' ? renderProbeHtml(report) : renderProbeText(report, { color, width: process.stdout.columns ?? 80 });
  await writeOutput(opts.out, text);
  const threshold = opts.failOn ?? 'high';
  return threshold !== 'none' && probeHasFindingsAtOrAbove(report, threshold) ? ExitCode.findings : ExitCode.ok;
}
