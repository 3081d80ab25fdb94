/**
 * Starts the snapshot's listeners for real (run inside the server namespace by
 * nmap-scan.mjs): every TCP and UDP socket at its address and port, IPv6 ones with the
 * snapshot's v6only. Prints "ready <n>" once all are bound, then waits to be killed.
 *
 *   node bench/lib/listen.mjs SNAPSHOT.json
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

const snapshot = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pending = snapshot.sockets.map((s) => new Promise((resolve, reject) => {
  const ipv6Only = s.family === 'ipv6' && s.v6only === true;
  if (s.proto === 'tcp') {
    const srv = createServer((c) => c.destroy());
    srv.once('error', (e) => reject(new Error(`tcp ${s.address}:${s.port}: ${e.message}`)));
    srv.listen({ host: s.address, port: s.port, ipv6Only, backlog: 64 }, resolve);
  } else {
    const sock = createSocket({ type: s.family === 'ipv6' ? 'udp6' : 'udp4', ipv6Only });
    sock.once('error', (e) => reject(new Error(`udp ${s.address}:${s.port}: ${e.message}`)));
    sock.bind({ address: s.address, port: s.port }, resolve);
  }
}));
Promise.all(pending).then(
  () => process.stdout.write(`ready ${pending.length}\n`),
  (e) => { process.stderr.write(`${e.message}\n`); process.exit(1); },
);
