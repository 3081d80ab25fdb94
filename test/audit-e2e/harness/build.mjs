/**
 * Builds a scenario for real: namespaces, sysctls, firewall, daemons; collects a snapshot
 * inside the server namespace; tears everything down (also on failure).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMONS, stopDaemon, waitListening } from './daemons.mjs';
import { run, trackDir, untrackDir } from './exec.mjs';
import { applyFirewall } from './firewall.mjs';
import { createTopology } from './topology.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PORTCULLIS_BIN = join(REPO, 'dist/cli/bin.js');

/**
 * Starts scenario `def` (see ../scenarios.mjs). Returns {def, topo, dir, daemons,
 * collect(out), stop()}; `stop()` kills the daemons and deletes namespaces and temp dir.
 */
export async function buildScenario(def) {
  const topo = createTopology();
  const dir = mkdtempSync(join(tmpdir(), `pc-a-${def.name}-`));
  trackDir(dir);
  // Daemons drop privileges (nobody, ftp): they must be able to reach their config.
  run(['chmod', '755', dir]);
  const daemons = [];
  const stop = () => {
    for (const d of daemons) stopDaemon(d);
    topo.destroy();
    rmSync(dir, { recursive: true, force: true });
    untrackDir(dir);
  };
  try {
    for (const [k, v] of Object.entries(def.sysctls ?? {})) run(['ip', 'netns', 'exec', topo.server, 'sysctl', '-q', '-w', `${k}=${v}`]);
    for (const step of def.firewall ?? []) applyFirewall(topo.server, step);
    for (const d of def.daemons ?? []) daemons.push(DAEMONS[d.kind](topo.server, dir, d));
    await waitListening(topo.server, daemons);
  } catch (err) {
    stop();
    throw err;
  }
  return {
    def,
    topo,
    dir,
    daemons,
    stop,
    /** `portcullis collect --out FILE` in the server namespace, under the scenario's host name (private UTS namespace). */
    collect(out) {
      const script = 'hostname "$1" && exec "$2" "$3" collect --out "$4"';
      return run(['ip', 'netns', 'exec', topo.server, 'unshare', '-u', 'sh', '-c', script, 'collect', def.hostname ?? def.name, process.execPath, PORTCULLIS_BIN, out]);
    },
  };
}
