/**
 * The shipped collector script (collectors/portcullis-collect.sh, in the package's `files`)
 * and what the caller prepends to it: a fresh framing token and the sysctl paths to read.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EXPOSURE_SYSCTLS } from '../../model/snapshot.js';
import { sysctlPath } from '../../parse/sysctl.js';

/** Both src/collect/ssh and dist/collect/ssh sit three levels below the package root. */
export const COLLECTOR_SCRIPT_PATH = fileURLToPath(new URL('../../../collectors/portcullis-collect.sh', import.meta.url));

let cached: Promise<string> | null = null;

/** The script text, read once. */
export function collectorScript(): Promise<string> {
  cached ??= readFile(COLLECTOR_SCRIPT_PATH, 'utf8');
  return cached;
}

/** A token that frames one run's records (see the script's header). */
export function newBundleToken(): string {
  return randomBytes(16).toString('hex');
}

/** The text `sh -s` reads on the target: the two assignments, then the script. */
export async function collectorInput(token: string): Promise<string> {
  if (!/^[0-9a-f]{32}$/.test(token)) throw new Error(`bad bundle token ${JSON.stringify(token)}`);
  const paths = EXPOSURE_SYSCTLS.map(sysctlPath);
  // Our own constant names: still checked, since they are pasted into shell text.
  for (const p of paths) if (!/^[A-Za-z0-9_./-]+$/.test(p)) throw new Error(`unsafe sysctl path ${p}`);
  return `PORTCULLIS_TOKEN=${token}\nPORTCULLIS_SYSCTL_PATHS='${paths.join(' ')}'\n${await collectorScript()}`;
}
