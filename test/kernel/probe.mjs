#!/usr/bin/env node
// Probe client for kernel tests, run inside a client namespace:
//   ip netns exec CLIENT node probe.mjs [udpTimeoutMs=400] [concurrency=200] [tcpTimeoutMs=6000] < flows.jsonl
// Each input line is {"from","to","port","proto"}; each output line (same order) adds
//   "result": "open" | "refused" | "unreachable" | "timeout" | "error", and "code" (the errno, if any).
// open: TCP connected / UDP echo received. refused: RST or ICMP port unreachable (ECONNREFUSED).
// unreachable: any other ICMP error (EHOSTUNREACH, ENETUNREACH, EACCES for ICMPv6
// administratively prohibited, …). timeout: no answer at all (dropped).
import net from 'node:net';
import dgram from 'node:dgram';

const udpTimeoutMs = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 200);
// TCP waits for the kernel's own verdict: with net.ipv4.tcp_syn_retries=1 in the client
// namespace a dropped SYN ends in ETIMEDOUT after ~3 s, and an ICMP error that connect()
// does not act on at once (ICMPv6 destination unreachable) is reported then instead.
const tcpTimeoutMs = Number(process.argv[4] ?? 6000);

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'ENOPROTOOPT', 'EPROTO', 'EHOSTDOWN', 'ENONET']);

function classify(code) {
  if (code === 'ETIMEDOUT') return 'timeout';
  if (REFUSED.has(code)) return 'refused';
  if (UNREACHABLE.has(code)) return 'unreachable';
  return 'error';
}

function probeTcp(flow) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (result, code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ result, code });
    };
    const sock = net.connect({ host: flow.to, port: flow.port, localAddress: flow.from });
    const timer = setTimeout(() => finish('timeout', 'no answer'), tcpTimeoutMs);
    sock.on('connect', () => finish('open', null));
    sock.on('error', (err) => finish(classify(err.code), err.code ?? String(err)));
  });
}

function probeUdp(flow) {
  return new Promise((resolve) => {
    let done = false;
    const type = flow.to.includes(':') ? 'udp6' : 'udp4';
    const sock = dgram.createSocket({ type });
    const finish = (result, code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(resend);
      try { sock.close(); } catch { /* already closed */ }
      resolve({ result, code });
    };
    // The clock starts at the first datagram, not at socket creation: on a loaded machine
    // creating hundreds of sockets can itself take longer than the timeout.
    let timer;
    let resend;
    const payload = Buffer.from('portcullis-probe');
    sock.on('message', () => finish('open', null));
    // A connected UDP socket reports a queued ICMP error on its next receive.
    sock.on('error', (err) => finish(classify(err.code), err.code ?? String(err)));
    sock.bind({ address: flow.from, port: 0 }, () => {
      sock.connect(flow.port, flow.to, (err) => {
        if (err) return finish(classify(err.code), err.code);
        const send = () => sock.send(payload, (e) => { if (e) finish(classify(e.code), e.code); });
        send();
        timer = setTimeout(() => finish('timeout', null), udpTimeoutMs);
        // A second datagram halfway: also makes a pending ICMP error surface on send.
        resend = setInterval(send, Math.max(50, Math.floor(udpTimeoutMs / 3)));
      });
    });
  });
}

async function main() {
  const input = await new Promise((resolve) => {
    let buf = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => { buf += d; });
    process.stdin.on('end', () => resolve(buf));
  });
  const flows = input.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  const results = new Array(flows.length);
  let next = 0;
  async function worker() {
    while (next < flows.length) {
      const i = next++;
      const f = flows[i];
      const r = await (f.proto === 'udp' ? probeUdp(f) : probeTcp(f));
      results[i] = { ...f, ...r };
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, flows.length) }, worker));
  process.stdout.write(results.map((r) => JSON.stringify(r)).join('\n') + (results.length ? '\n' : ''));
}

await main();
