// Records what Debian's real servers answer to each recogniser's dialogue, for the unit
// tests in src/probe/recognise/ (test/fixtures/probe/<case>.json). Needs root; run
// `npx tsc -p tsconfig.json` first. Usage: node scripts/record-probe-replies.mjs
// It starts the daemons in a server namespace, then runs itself again inside the client
// namespace (PC_RECORD_INSIDE=1) to talk to them from a non-local address.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = '192.0.2.1';
const CASES = [
  ['redis-open', 6379, 'redisPing'],
  ['redis-requirepass', 6380, 'redisPing'],
  ['redis-protected-mode', 6381, 'redisPing'],
  ['memcached-tcp', 11211, 'memcachedStats'],
  ['vsftpd-anonymous', 21, 'ftpAnonymous'],
  ['vsftpd-no-anonymous', 2121, 'ftpAnonymous'],
  ['openssh-banner', 22, 'sshBanner'],
  ['nginx-http', 80, 'http'],
];

async function record() {
  const dist = new URL('../dist/probe/', import.meta.url);
  const { converse } = await import(new URL('converse.js', dist));
  const dialogues = {
    ...(await import(new URL('recognise/ftp.js', dist))),
    ...(await import(new URL('recognise/memcached.js', dist))),
    ...(await import(new URL('recognise/redis.js', dist))),
    ...(await import(new URL('recognise/ssh.js', dist))),
    http: (await import(new URL('recognise/http.js', dist))).httpDialogue('192.0.2.1', false),
  };
  for (const [name, port, dialogue] of CASES) {
    const replies = await converse(SERVER, port, dialogues[dialogue], { stepTimeoutMs: 5000, connectTimeoutMs: 3000 });
    const file = fileURLToPath(new URL(`../test/fixtures/probe/${name}.json`, import.meta.url));
    writeFileSync(file, JSON.stringify({ dialogue, port, recordedFrom: 'Debian 12 packages, scripts/record-probe-replies.mjs', replies: replies.map((r) => r.toString('base64')) }, null, 2) + '\n');
    console.log(name, replies.map((r) => JSON.stringify(r.toString('latin1').slice(0, 80))).join(' | '));
  }
}

if (process.env.PC_RECORD_INSIDE === '1') await record();
else {
  const { DAEMONS, stopDaemon, waitListening } = await import('../test/audit-e2e/harness/daemons.mjs');
  const { createTopology } = await import('../test/audit-e2e/harness/topology.mjs');
  const topo = createTopology();
  const dir = mkdtempSync(join(tmpdir(), 'pc-rec-'));
  const s = topo.server;
  const daemons = [];
  try {
    daemons.push(
      DAEMONS.redis(s, dir, { port: 6379, bind: '0.0.0.0' }),
      DAEMONS.redis(s, dir, { port: 6380, bind: '0.0.0.0', password: 'portcullis-test-secret' }),
      DAEMONS.redis(s, dir, { port: 6381, bind: '0.0.0.0', protectedMode: true }),
      DAEMONS.memcached(s, dir, { port: 11211 }),
      DAEMONS.vsftpd(s, dir, { port: 21, anonymous: true }),
      DAEMONS.vsftpd(s, dir, { port: 2121 }),
      DAEMONS.sshd(s, dir, { port: 22 }),
      DAEMONS.nginx(s, dir, { ports: [80] }),
    );
    await waitListening(s, daemons);
    const r = spawnSync('ip', ['netns', 'exec', topo.client, process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, PC_RECORD_INSIDE: '1' } });
    process.exitCode = r.status ?? 1;
  } finally {
    for (const d of daemons) stopDaemon(d);
    topo.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
