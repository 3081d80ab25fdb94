#!/usr/bin/env node
// Listeners for kernel tests, run inside the server namespace with `ip netns exec`.
// Usage: node listeners.mjs '<json spec>'  where spec is
//   [{ "proto": "tcp"|"udp", "host": "::"|"0.0.0.0"|"127.0.0.1"|"192.0.2.1"|…, "port": 22, "v6only": false }]
// Prints "ready" once every socket is bound; TCP accepts and closes, UDP echoes each datagram.
// Exits on SIGTERM/SIGINT or when stdin closes (so a dying test run never leaves it behind).
import net from 'node:net';
import dgram from 'node:dgram';

const spec = JSON.parse(process.argv[2] ?? '[]');
const sockets = [];

function listenTcp({ host, port, v6only }) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((conn) => {
      conn.on('error', () => {});
      conn.end();
    });
    server.on('error', reject);
    server.listen({ host, port, ipv6Only: Boolean(v6only) }, () => resolve(server));
  });
}

function listenUdp({ host, port, v6only }) {
  return new Promise((resolve, reject) => {
    const type = host.includes(':') ? 'udp6' : 'udp4';
    const sock = dgram.createSocket({ type, ipv6Only: Boolean(v6only) });
    sock.on('error', reject);
    sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
    sock.bind({ address: host, port }, () => resolve(sock));
  });
}

try {
  for (const l of spec) sockets.push(await (l.proto === 'udp' ? listenUdp(l) : listenTcp(l)));
} catch (err) {
  process.stderr.write(`listeners: ${err.message}\n`);
  process.exit(1);
}
process.stdout.write('ready\n');

const stop = () => {
  for (const s of sockets) s.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
