/**
 * The answer users get without Portcullis: load the ruleset into a server namespace, start
 * the snapshot's listeners there, and nmap-scan their TCP ports from a client namespace
 * over a veth pair (documentation addresses only). Reports nmap's wall time and per-port
 * states, so Portcullis's `explain` answers for the same source can be compared.
 * $BENCH_NMAP_XML, when set, names a file to keep nmap's XML in (for debugging).
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNetns, deleteNetns, inNetns, run } from './netns.mjs';

export const SERVER = { v4: '192.0.2.10', v6: '2001:db8:0:1::10' };
export const CLIENT = { v4: '192.0.2.50', v6: '2001:db8:0:1::50' };
const LISTEN = fileURLToPath(new URL('./listen.mjs', import.meta.url));

export function nmapAvailable() {
  return spawnSync('nmap', ['--version']).status === 0;
}

/** Sets up server and client namespaces joined by a veth pair; returns their names. */
function makeTopology() {
  const server = createNetns('srv');
  const client = createNetns('cli');
  const tag = `${process.pid % 100000}`;
  run(['ip', 'link', 'add', `pcbs${tag}`, 'type', 'veth', 'peer', 'name', `pcbc${tag}`]);
  run(['ip', 'link', 'set', `pcbs${tag}`, 'netns', server]);
  run(['ip', 'link', 'set', `pcbc${tag}`, 'netns', client]);
  run(['ip', '-n', server, 'link', 'set', `pcbs${tag}`, 'name', 'eth0']);
  run(['ip', '-n', client, 'link', 'set', `pcbc${tag}`, 'name', 'eth0']);
  // eth1 exists on the snapshot host too; a veth with its peer left dangling in the server
  // namespace carries its addresses so binds succeed (no dummy module needed).
  run(['ip', '-n', server, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth1p']);
  for (const [ns, dev, addrs] of [
    [server, 'eth0', [`${SERVER.v4}/24`, `${SERVER.v6}/64`]],
    [server, 'eth1', ['198.51.100.1/24', '2001:db8:0:2::1/64']],
    [client, 'eth0', [`${CLIENT.v4}/24`, `${CLIENT.v6}/64`]],
  ]) {
    for (const a of addrs) run(['ip', '-n', ns, 'addr', 'add', a, 'dev', dev, ...(a.includes(':') ? ['nodad'] : [])]);
    run(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  }
  return { server, client };
}

/** Loads the case's dumps into `ns` with the tool each came from. */
function loadRuleset(ns, paths) {
  if (paths.iptables) run(inNetns(ns, ['iptables-legacy-restore', paths.iptables]));
  if (paths.ip6tables) run(inNetns(ns, ['ip6tables-legacy-restore', paths.ip6tables]));
  if (paths.nftText) run(inNetns(ns, ['nft', '-f', paths.nftText]));
}

function startListeners(ns, snapshotPath) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, LISTEN, snapshotPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => { if (String(d).startsWith('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`listeners exited ${code}: ${err}`)));
  });
}

/**
 * Per-port states from nmap's XML (-oX -). nmap folds large groups of one state into
 * `<extraports state=…>`, whose `<extrareasons … ports="1,5-7">` say which ports they are.
 */
export function parseNmapXml(xml) {
  const states = {};
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="([a-z|]+)"/g)) states[Number(m[1])] = m[2];
  for (const block of xml.matchAll(/<extraports state="([a-z|]+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
    for (const r of block[2].matchAll(/ports="([\d,-]+)"/g)) {
      for (const part of r[1].split(',')) {
        const [lo, hi = lo] = part.split('-').map(Number);
        for (let p = lo; p <= hi; p++) states[p] = block[1];
      }
    }
  }
  return states;
}

/**
 * Scans the TCP ports of the snapshot's listeners.
 * @param {{snapshotPath:string, snapshot:object, paths:object, hostTimeout?:string}} opts
 * @returns {Promise<{command:string, wallMs:number, ports:number, counts:Record<string,number>, states:Record<number,string>}>}
 */
export async function nmapScan({ snapshotPath, snapshot, paths, hostTimeout = '600s' }) {
  const { server, client } = makeTopology();
  let listeners = null;
  try {
    loadRuleset(server, paths);
    listeners = await startListeners(server, snapshotPath);
    const ports = [...new Set(snapshot.sockets.filter((s) => s.proto === 'tcp').map((s) => s.port))].sort((a, b) => a - b);
    const args = ['nmap', '-sT', '-Pn', '-n', '-T4', '--max-retries', '1', '--host-timeout', hostTimeout, '-p', ports.join(','), '-oX', '-', SERVER.v4];
    const t0 = process.hrtime.bigint();
    const r = run(inNetns(client, args));
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const states = parseNmapXml(r.stdout);
    if (process.env.BENCH_NMAP_XML) writeFileSync(process.env.BENCH_NMAP_XML, r.stdout);
    const counts = {};
    for (const s of Object.values(states)) counts[s] = (counts[s] ?? 0) + 1;
    const shown = args.map((a) => (a.length > 60 ? `<${ports.length} ports>` : a)).join(' ');
    // A port nmap's XML did not account for would make the comparison silently short.
    const unaccounted = ports.filter((p) => states[p] === undefined);
    if (unaccounted.length > 0) counts.unaccounted = unaccounted.length;
    return { command: `ip netns exec <client> ${shown}`, wallMs, ports: ports.length, counts, states };
  } finally {
    if (listeners) listeners.kill('SIGKILL');
    deleteNetns(client);
    deleteNetns(server);
  }
}
