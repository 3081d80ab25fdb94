/**
 * What every analysing command does first: read the snapshots given (or collect this host
 * live), read any firewall dumps that override them, and load the firewall model. Input
 * problems become InputError (exit 2) with the file and line or JSON path.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../model/snapshot.js';
import { parseSnapshot } from '../parse/snapshot.js';
import { parseSnapshotBytes } from '../parse/snapshot-bytes/index.js';
import type { Parsed } from '../model/diagnostics.js';
import { type FirewallOverrides, type LoadOptions, type LoadedHost, loadHost } from '../pipeline.js';
import type { HostAnalysis } from '../analyze/types.js';
import { analyzeSnapshots, type HostOutcome, readSnapshotBytes } from '../pool/index.js';
import { InputError, failOnErrors } from './errors.js';

export interface HostSourceOptions {
  snapshot?: string | string[];
  iptables?: string;
  ip6tables?: string;
  nft?: string;
}

/** Read a file the user named, as text; a missing or unreadable file is an input error. */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${readFailure((err as NodeJS.ErrnoException).code, String((err as Error).message))}`);
  }
}

function readFailure(code: string | undefined, message: string): string {
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : message;
}

/** Parse and load a snapshot's JSON text; `label` names it in messages (a file, or a stored snapshot). */
export function loadSnapshotText(text: string, label: string, overrides: FirewallOverrides = {}, load: LoadOptions = {}): LoadedHost {
  return loadParsedSnapshot(parseSnapshot(text, label), label, overrides, load);
}

function loadParsedSnapshot(parsed: Parsed<Snapshot | null>, label: string, overrides: FirewallOverrides, load: LoadOptions): LoadedHost {
  failOnErrors(`${label} is not a usable Portcullis snapshot`, parsed.diagnostics);
  if (!parsed.value) throw new InputError(`${label} is not a usable Portcullis snapshot`);
  const host = loadHost(parsed.value, label, overrides, load);
  // Warnings of the snapshot itself (strings cut at load) join the host's.
  host.diagnostics.unshift(...parsed.diagnostics);
  return host;
}

async function readSnapshot(path: string, overrides: FirewallOverrides, load: LoadOptions): Promise<LoadedHost> {
  // As bytes: the firewall dumps are decoded when read, and one that is never read never is (issue 8).
  return loadParsedSnapshot(parseSnapshotBytes(await readInputBytes(path, 'snapshot'), path), path, overrides, load);
}

async function readInputBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readSnapshotBytes(path);
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${readFailure((err as NodeJS.ErrnoException).code, String((err as Error).message))}`);
  }
}

export async function readOverrides(opts: HostSourceOptions): Promise<FirewallOverrides> {
  const out: FirewallOverrides = {};
  if (opts.iptables) out.iptables = { file: opts.iptables, text: await readInputFile(opts.iptables, 'iptables-save dump') };
  if (opts.ip6tables) out.ip6tables = { file: opts.ip6tables, text: await readInputFile(opts.ip6tables, 'ip6tables-save dump') };
  if (opts.nft) out.nft = { file: opts.nft, text: await readInputFile(opts.nft, 'nft -j dump') };
  return out;
}

/** Say on stderr what a live collection could not see, so a normal user knows what is missing. */
export function reportUnreadable(snapshot: Snapshot): void {
  if (snapshot.unreadable.length === 0) return;
  process.stderr.write(`portcullis: collected this host${snapshot.privileges.root ? '' : ' as a normal user'}; could not read:\n`);
  for (const u of snapshot.unreadable) process.stderr.write(`  - ${u.what}: ${u.reason}${u.hint && !u.reason.includes(u.hint) ? ` (${u.hint})` : ''}\n`);
}

/** The snapshot files the options name, in order. */
export function snapshotFiles(opts: HostSourceOptions): string[] {
  return opts.snapshot === undefined ? [] : Array.isArray(opts.snapshot) ? opts.snapshot : [opts.snapshot];
}

/** An outcome of the pool as the same InputError {@link loadHosts} raises for that file. */
function failOnOutcome(outcome: HostOutcome): HostAnalysis {
  if (outcome.ok) return outcome.analysis;
  if (outcome.problem === 'unreadable') throw new InputError(`cannot read snapshot ${outcome.file}: ${readFailure(outcome.code, outcome.message)}`);
  const what = outcome.problem === 'invalid' ? `${outcome.file} is not a usable Portcullis snapshot` : `cannot analyse ${outcome.file}`;
  failOnErrors(what, outcome.diagnostics);
  throw new InputError(what);
}

/**
 * Analyses of snapshot files, over worker threads when PORTCULLIS_THREADS asks (by default on
 * this thread: see defaultThreads), in the files' order; the first file that cannot be used stops the run.
 * `onHost` sees each analysis as soon as it and those before it are done.
 */
export async function analyzeSnapshotFiles(files: readonly string[], opts: HostSourceOptions, onHost?: (analysis: HostAnalysis) => void | Promise<void>): Promise<HostAnalysis[]> {
  const overrides = await readOverrides(opts);
  const out: HostAnalysis[] = [];
  for await (const outcome of analyzeSnapshots(files.map((file) => ({ file, overrides })))) {
    const analysis = failOnOutcome(outcome);
    await onHost?.(analysis);
    out.push(analysis);
  }
  return out;
}

export async function loadHosts(opts: HostSourceOptions, load: LoadOptions = {}): Promise<LoadedHost[]> {
  const overrides = await readOverrides(opts);
  const files = snapshotFiles(opts);
  const loaded: LoadedHost[] = [];
  if (files.length === 0) {
    // Loaded only to collect: with it come child_process and crypto, which reading a snapshot never needs (issue 8).
    const [{ collectSnapshot }, { realHostIO }] = await Promise.all([import('../collect/index.js'), import('../collect/real-host-io.js')]);
    const snapshot = await collectSnapshot(realHostIO());
    reportUnreadable(snapshot);
    loaded.push(loadHost(snapshot, 'this host', overrides, load));
  } else {
    for (const file of files) loaded.push(await readSnapshot(file, overrides, load));
  }
  for (const host of loaded) failOnErrors(`cannot analyse ${host.file}`, host.diagnostics);
  return loaded;
}
