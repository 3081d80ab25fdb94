/**
 * Turns a real-host case into a real snapshot: a throwaway namespace with the host's
 * interfaces (veth links with documentation addresses), the ruleset loaded with the
 * tools a real host uses (`ipset restore`, `iptables-restore` — Debian's default, the
 * nf_tables backend, so the xtables tables also appear in `nft -j list ruleset`, as on
 * a real host — and `nft -f`), the listeners started for real, and then `portcullis
 * collect` run inside it. Times the tools' own parse-only checks and dumps on the way.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../median.mjs';
import { createNetns, deleteNetns, inNetns, run } from '../netns.mjs';
import { CLI, ROOT } from '../spawn-bench.mjs';

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Runs argv in ns with `input`; wall ms. Throws on failure. */
function timed(ns, argv, input) {
  const t0 = process.hrtime.bigint();
  run(inNetns(ns, argv), { input });
  return ms(t0);
}

function addInterfaces(ns, forwarding, defaultRoute) {
  const ip = (...a) => run(['ip', '-n', ns, ...a]);
  for (const [name, v4, v6] of [['eth0', '192.0.2.10/24', '2001:db8:0:1::10/64'], ['eth1', '198.51.100.1/24', '2001:db8:0:2::1/64']]) {
    // A veth pair inside the namespace (the kernel here has no dummy driver); the peer stays down-stream unused.
    ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}-peer`);
    ip('link', 'set', `${name}-peer`, 'up');
    ip('addr', 'add', v4, 'dev', name);
    ip('-6', 'addr', 'add', v6, 'dev', name, 'nodad');
    ip('link', 'set', name, 'up');
  }
  // A real server has a default route: the whole Internet can reach it, so a blocklist in front
  // of a public service leaves that service's sources "everything but the blocklist" (tens of
  // thousands of holes in the report). Without it only the two subnets ever arrive, and the
  // engine never meets those source sets. The gateway is on eth0's subnet; nothing is sent.
  if (defaultRoute) {
    ip('route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0');
    ip('-6', 'route', 'add', 'default', 'via', '2001:db8:0:1::1', 'dev', 'eth0');
  }
  if (forwarding) run(inNetns(ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']));
}

/** Starts listen.mjs for `sockets` inside ns; resolves with the child once every socket is bound. */
function startListeners(ns, sockets, dir) {
  const file = join(dir, 'listeners.json');
  writeFileSync(file, JSON.stringify({ sockets }));
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(ROOT, 'bench/lib/listen.mjs'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => { if (String(d).startsWith('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`listeners exited ${code}: ${err}`)));
  });
}

/** What `portcullis collect` runs to read the firewall, timed alone: the kernel tools' own dump time. */
const DUMPS = [['nft', '-j', 'list', 'ruleset'], ['iptables-nft-save'], ['ip6tables-nft-save'], ['iptables-legacy-save'], ['ip6tables-legacy-save'], ['ipset', 'save']];

/**
 * Loads `texts` ({iptables?, ipset?, nft?, forwarding?}) into a fresh namespace, starts
 * `sockets`, collects (each tool given `toolTimeoutS`: a million-element set takes minutes to
 * dump on a loaded machine), `rounds` times alternated with the tools' own dump. Returns the
 * snapshot path (the last collect's) and the timings: medians, and every round's.
 */
export async function materialize(texts, sockets, { dir, name, toolTimeoutS = 120, defaultRoute = true, rounds = 3 }) {
  const ns = createNetns('real');
  const out = { checks: {}, load: {} };
  let listeners = null;
  try {
    addInterfaces(ns, texts.forwarding === true, defaultRoute);
    // ipset first: iptables rules refer to sets by name.
    if (texts.ipset) out.load['ipset restore'] = timed(ns, ['ipset', 'restore'], texts.ipset);
    if (texts.iptables) {
      out.checks['iptables-restore --test'] = timed(ns, ['iptables-restore', '--test'], texts.iptables);
      out.load['iptables-restore'] = timed(ns, ['iptables-restore'], texts.iptables);
    }
    if (texts.nft) {
      out.checks['nft -c -f'] = timed(ns, ['nft', '-c', '-f', '-'], texts.nft);
      out.load['nft -f'] = timed(ns, ['nft', '-f', '-'], texts.nft);
    }
    listeners = await startListeners(ns, sockets, dir);
    // Node's own start in the namespace (`node -e 0`, best of 3), apart from the yardstick: any
    // collect pays it and the tools' dump does not, which on a small host is most of the 2× (issue 8).
    out.nodeStartMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', '0']);
      out.nodeStartMs = Math.min(out.nodeStartMs, ms(t0));
    }
    // The tools' dump and collect, alternated `rounds` times; the medians are compared. One run
    // of each decides nothing on a big set: the kernel's own listing of a 200,000-element nft
    // set (its netlink dump restarts the set's walk for every message) took 2.4 s in one run and
    // 4.9 s in the next, for either (issue 8).
    const snapshot = join(dir, `${name}.snapshot.json`);
    const dumpRounds = [];
    const byToolRounds = [];
    const collectRounds = [];
    for (let round = 0; round < rounds; round++) {
      const byTool = {};
      for (const argv of DUMPS) {
        const t0 = process.hrtime.bigint();
        spawnSync('ip', ['netns', 'exec', ns, ...argv], { maxBuffer: 1 << 30 });
        byTool[argv.join(' ')] = ms(t0);
      }
      byToolRounds.push(byTool);
      dumpRounds.push(Object.values(byTool).reduce((a, b) => a + b, 0));
      const t0 = process.hrtime.bigint();
      run(inNetns(ns, [process.execPath, CLI, 'collect', '--tool-timeout', String(toolTimeoutS), '--out', snapshot]));
      collectRounds.push(ms(t0));
    }
    out.kernelDumpMsRounds = dumpRounds;
    out.collectMsRounds = collectRounds;
    out.kernelDumpMs = median(dumpRounds);
    out.collectMs = median(collectRounds);
    // Per tool too: which dump a slow collect waits for (issue 8).
    out.kernelDumpMsByTool = Object.fromEntries(DUMPS.map((argv) => argv.join(' ')).map((k) => [k, median(byToolRounds.map((t) => t[k]))]));
    out.snapshot = snapshot;
    return out;
  } finally {
    listeners?.kill('SIGKILL');
    deleteNetns(ns);
  }
}
