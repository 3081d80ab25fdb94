/**
 * `portcullis harden` on a Docker host (issue 11): `docker run -p 8080:80` publishes the
 * container's port to the world through DNAT and FORWARD, whatever INPUT says. The generated
 * table filters it on the forward path by its original port (`ct status dnat`, `ct original
 * proto-dst`); Docker's own chains stay. Real connections: the allowed sources reach the
 * container, the others time out, and the host's own ports follow the policy too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardenPlan } from '../../src/analyze/harden/types.js';
import { runAsync, runIn } from './harness/exec.js';
import type { ProbedFlow } from './harness/flows.js';
import { type Listeners, startListeners } from './harness/listeners.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN, SCENARIO_DIR, probeFlows } from './harness/scenario.js';
import { type Topology, SERVER_V4_A, SERVER_V4_B, createTopology } from './harness/topology.js';

const skip = kernelSkipReason(['nft', 'iptables-restore', 'ip6tables-restore']);

describe.skipIf(skip !== null)('portcullis harden on a Docker host: published ports on the forward path', () => {
  let topo: Topology;
  const running: Listeners[] = [];
  let dir: string;

  beforeAll(async () => {
    topo = createTopology({ container: true });
    dir = mkdtempSync(join(tmpdir(), 'pc-harden-docker-'));
    runIn(topo.server, ['iptables-restore'], readFileSync(join(SCENARIO_DIR, 'docker.v4.rules'), 'utf8'));
    runIn(topo.server, ['ip6tables-restore'], readFileSync(join(SCENARIO_DIR, 'docker.v6.rules'), 'utf8'));
    running.push(await startListeners(topo.server, [{ proto: 'tcp', host: '::', port: 22 }]));
    running.push(await startListeners(topo.container!, [{ proto: 'tcp', host: '0.0.0.0', port: 80 }]));
    const r = await runAsync(['ip', 'netns', 'exec', topo.server, process.execPath, PORTCULLIS_BIN, 'collect', '--out', join(dir, 'snap.json')]);
    if (r.code !== 0) throw new Error(`collect failed: ${r.stderr}`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((l) => l.stop()));
    topo?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans the published port on the forward path, proves it, and the kernel agrees', async () => {
    const out = join(dir, 'out');
    const r = await runAsync(['env', '-u', 'SSH_CONNECTION', '-u', 'SSH_CLIENT', process.execPath, PORTCULLIS_BIN, 'harden', '--snapshot', join(dir, 'snap.json'), '--config', join(SCENARIO_DIR, 'harden-docker-policy.yaml'), '--out', out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as HardenPlan;
    expect(plan.open.map((s) => `${s.port}/${s.proto} ${s.path}`)).toEqual(['22/tcp local', '8080/tcp forward']);
    expect(plan.open[1]!.targets).toEqual([{ address: '172.17.0.2', port: '80' }]);

    const flow = (client: string, from: string, to: string, port: number): ProbedFlow => ({ client, from, to, port, proto: 'tcp' });
    const flows = [
      flow(topo.a.ns, '192.0.2.10', SERVER_V4_A, 8080),
      flow(topo.a.ns, '192.0.2.20', SERVER_V4_A, 8080),
      flow(topo.a.ns, '203.0.113.5', SERVER_V4_A, 8080),
      flow(topo.b.ns, '198.51.100.2', SERVER_V4_B, 8080),
      flow(topo.b.ns, '198.51.100.50', SERVER_V4_B, 8080),
      flow(topo.a.ns, '192.0.2.20', SERVER_V4_A, 22),
      flow(topo.b.ns, '198.51.100.2', SERVER_V4_B, 22),
    ];
    const before = (await probeFlows(flows)).map((a) => a.result);
    // Docker publishes 8080 to everyone; the old INPUT admits 22 from everyone.
    expect(before).toEqual(['open', 'open', 'open', 'open', 'open', 'open', 'open']);

    runIn(topo.server, ['nft', '-f', join(out, 'ruleset.nft')]);
    const after = (await probeFlows(flows)).map((a) => a.result);
    expect(after).toEqual(['open', 'timeout', 'timeout', 'open', 'timeout', 'open', 'timeout']);
    // Docker's tables are still there.
    expect(runIn(topo.server, ['iptables-save', '-t', 'nat'])).toContain('DNAT');
  }, 120_000);
});
