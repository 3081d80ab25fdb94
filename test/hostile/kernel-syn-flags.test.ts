/**
 * Issue 9, item 2, against the real kernel: `--tcp-flags ALL SYN -j DROP` drops the plain
 * SYN only; SYN+PSH and SYN+URG still get a SYN-ACK. nmap sends the odd flag bytes
 * (`--scanflags`), the kernel answers, and Portcullis must call the port reachable and
 * explain must name which combinations get through.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../kernel/harness/exec.js';
import { startListeners, type Listeners } from '../kernel/harness/listeners.js';
import { kernelSkipReason } from '../kernel/harness/preflight.js';
import { PORTCULLIS_BIN } from '../kernel/harness/scenario.js';
import { SERVER_V4_A, createTopology, type Topology } from '../kernel/harness/topology.js';

const skip = kernelSkipReason(['nmap', 'iptables-legacy-restore']);
const PORT = 2222;
const RULES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport ${PORT} --tcp-flags ALL SYN -j DROP
COMMIT
`;

/** nmap's verdict for one flag combination: "open" when the kernel answered SYN-ACK. */
function nmapState(topo: Topology, flags: string): string {
  const out = runIn(topo.a.ns, ['nmap', '-n', '-Pn', '-sS', '--scanflags', flags, '-p', String(PORT), '--max-retries', '1', '--host-timeout', '20s', '-oG', '-', SERVER_V4_A]);
  const m = new RegExp(`${PORT}/(\\w+(?:\\|\\w+)?)/tcp`).exec(out);
  return m ? m[1]! : `no answer in: ${out}`;
}

describe.skipIf(skip !== null)('kernel: connection-opening TCP flag combinations', () => {
  let topo: Topology;
  let listeners: Listeners;
  let dir: string;
  beforeAll(async () => {
    topo = createTopology();
    dir = mkdtempSync(join(tmpdir(), 'pc-hostile-syn-'));
    listeners = await startListeners(topo.server, [{ proto: 'tcp', host: '0.0.0.0', port: PORT }]);
    runIn(topo.server, ['iptables-legacy-restore'], RULES);
  });
  afterAll(async () => {
    await listeners?.stop();
    topo?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the kernel opens SYN+PSH and SYN+URG past the rule, and Portcullis says so', () => {
    // The kernel's answers first, so the test says what it checks against.
    expect(nmapState(topo, 'SYN')).toBe('filtered');
    expect(nmapState(topo, 'SYNPSH')).toBe('open');
    expect(nmapState(topo, 'SYNURG')).toBe('open');
    const snap = join(dir, 'snap.json');
    execFileSync('ip', ['netns', 'exec', topo.server, process.execPath, PORTCULLIS_BIN, 'collect', '--out', snap]);
    const audit = JSON.parse(execFileSync(process.execPath, [PORTCULLIS_BIN, 'audit', '--snapshot', snap, '--json', '--fail-on', 'none'], { encoding: 'utf8' }));
    const service = audit.hosts[0].services.find((s: { port: number }) => s.port === PORT);
    // The server namespace has no default route: the sources that can connect are those it routes
    // back (203.0.113.0/24 through client A, among them the one explained below).
    expect(service.sources.ipv4).toContain('203.0.113.0/24');
    expect(service.exposure).not.toBe('local');
    const answer = JSON.parse(
      execFileSync(process.execPath, [PORTCULLIS_BIN, 'explain', '--snapshot', snap, '--from', '203.0.113.5', '--port', `${PORT}/tcp`, '--json'], { encoding: 'utf8' }),
    );
    expect(answer.state).toBe('open');
    const note = answer.notes.find((n: string) => n.startsWith('only some connection-opening TCP flag combinations'));
    expect(note).toMatch(/SYN\+PSH,/);
    expect(note).toMatch(/SYN\+URG,/);
    expect(note).toMatch(/stopped: SYN,/);
  });
});
