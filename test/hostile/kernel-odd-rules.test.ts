/**
 * Issue 9, items 7 and 14, against the real kernel: a non-contiguous source mask as
 * iptables-save prints it, and a 2,000-deep chain of jumps (iptables-legacy loads it). The
 * kernel's answers to real connections must equal `portcullis explain` on a collected snapshot.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../kernel/harness/exec.js';
import { startListeners, type Listeners } from '../kernel/harness/listeners.js';
import { kernelSkipReason } from '../kernel/harness/preflight.js';
import { PORTCULLIS_BIN, probeFlows } from '../kernel/harness/scenario.js';
import { SERVER_V4_A, createTopology, type Topology } from '../kernel/harness/topology.js';

const skip = kernelSkipReason(['iptables-legacy-restore', 'iptables-legacy-save']);
const DEPTH = 2_000;
const RULES = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ...Array.from({ length: DEPTH }, (_, i) => `:C${i} - [0:0]`),
  // 203.0.113.1/255.255.255.251 is {203.0.113.1, 203.0.113.5}: .5 gets in, .77 does not.
  '-A INPUT -s 203.0.113.1/255.255.255.251 -p tcp --dport 2222 -j ACCEPT',
  '-A INPUT -p tcp --dport 2222 -j DROP',
  '-A INPUT -p tcp --dport 3333 -j C0',
  ...Array.from({ length: DEPTH - 1 }, (_, i) => `-A C${i} -j C${i + 1}`),
  `-A C${DEPTH - 1} -s 203.0.113.77 -j DROP`,
  'COMMIT',
  '',
].join('\n');

describe.skipIf(skip !== null)('kernel: non-contiguous masks and deep jump chains', () => {
  let topo: Topology;
  let listeners: Listeners;
  let dir: string;
  beforeAll(async () => {
    topo = createTopology();
    dir = mkdtempSync(join(tmpdir(), 'pc-hostile-odd-'));
    listeners = await startListeners(topo.server, [
      { proto: 'tcp', host: '0.0.0.0', port: 2222 },
      { proto: 'tcp', host: '0.0.0.0', port: 3333 },
    ]);
    runIn(topo.server, ['iptables-legacy-restore'], RULES);
  });
  afterAll(async () => {
    await listeners?.stop();
    topo?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the kernel loads both, iptables-save prints the mask as a dotted mask, and explain agrees flow by flow', async () => {
    expect(runIn(topo.server, ['iptables-legacy-save'])).toContain('-s 203.0.113.1/255.255.255.251');
    const flows = ['203.0.113.5', '203.0.113.77', '192.0.2.10'].flatMap((from) =>
      [2222, 3333].map((port) => ({ from, to: SERVER_V4_A, port, proto: 'tcp' as const, client: topo.a.ns })),
    );
    const probes = await probeFlows(flows);
    const snap = join(dir, 'snap.json');
    execFileSync('ip', ['netns', 'exec', topo.server, process.execPath, PORTCULLIS_BIN, 'collect', '--out', snap]);
    const flowsFile = join(dir, 'flows.jsonl');
    writeFileSync(flowsFile, flows.map(({ client: _c, ...f }) => JSON.stringify(f)).join('\n') + '\n');
    const answers = execFileSync(process.execPath, [PORTCULLIS_BIN, 'explain', '--snapshot', snap, '--flows', flowsFile], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { state: string });
    const kernel = probes.map((p) => (p.result === 'open' ? 'open' : p.result === 'timeout' ? 'filtered' : p.result));
    expect(kernel).toEqual(['open', 'open', 'filtered', 'filtered', 'filtered', 'open']);
    expect(answers.map((a) => a.state)).toEqual(kernel);
  }, 120_000);
});
