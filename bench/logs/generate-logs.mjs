#!/usr/bin/env node
/**
 * Realistic firewall drop logs of any size, in every format `portcullis logs` reads, with
 * their true counts known by construction (the generator decides every line, so it counts
 * what it wrote; it never parses).
 *
 *   node bench/logs/generate-logs.mjs --format bsd --mb 1024 --out /tmp/kern.log [--seed 1]
 *     formats: bsd, bsd-uptime, rfc3339, rfc5424, journal, journal-bytes
 *     writes the log and <out>.truth.json
 *
 * What is in it: background sources (each tries at most 3 ports, so never a scanner) on a
 * realistic port mix (SSH, Telnet, RDP, SMB, web, databases, UDP amplifiers), planted
 * scanners (20-150 distinct ports within 30 s), near misses (14 ports in 50 s; 15 ports
 * 5 s apart, so no 60 s window holds 15), IPv6 sources, ufw AUDIT lines before the BLOCK of
 * the same packet, ALLOW lines, `last message repeated N times`, ICMP errors quoting a UDP
 * packet, malformed drops (no DPT), other kernel messages and other programs' lines.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRng } from '../lib/prng.mjs';

export const LOG_FORMATS = ['bsd', 'bsd-uptime', 'rfc3339', 'rfc5424', 'journal', 'journal-bytes'];

const PORT_MIX = {
  'tcp/22': 22, 'tcp/23': 9, 'tcp/80': 6, 'tcp/443': 4, 'tcp/3389': 7, 'tcp/445': 6, 'tcp/8080': 4, 'tcp/6379': 3,
  'tcp/5900': 2, 'tcp/25': 2, 'tcp/3306': 2, 'tcp/1433': 2, 'tcp/5432': 1, 'tcp/27017': 1, 'tcp/9200': 1, 'tcp/2375': 1,
  'udp/53': 2, 'udp/123': 2, 'udp/161': 2, 'udp/1900': 2, 'udp/11211': 1, 'udp/5060': 2, 'tcp/high': 10, 'udp/high': 3,
};
const PREFIXES = ['[UFW BLOCK] ', 'DROP-IN: ', 'filter_IN_public_REJECT: ', 'nft drop: ', '[FW - ALL]', ''];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NOISE_KERNEL = ['e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None', 'TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.', 'audit: type=1400 audit(1700000000.000:42): apparmor="DENIED" operation="open"'];

const pad2 = (n) => String(n).padStart(2, '0');

function v4(rng) {
  // 198.18.0.0/15 (benchmarking range, RFC 2544) plus the three documentation /24s;
  // 198.19.200.0 and up is kept for planted bursts.
  if (rng.next() < 0.9) return rng.next() < 0.5 ? `198.18.${rng.int(0, 255)}.${rng.int(1, 254)}` : `198.19.${rng.int(0, 199)}.${rng.int(1, 254)}`;
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}

function v6Full(rng) {
  const g = () => rng.int(0, 0xffff).toString(16).padStart(4, '0');
  return `2001:0db8:${g()}:0000:0000:0000:0000:${g()}`;
}

/** RFC 5952 form of the generator's own full-form addresses. */
export function compressV6(full) {
  const groups = full.split(':').map((x) => x.replace(/^0+(?=.)/, ''));
  let best = -1, len = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > len && j - i > 1) { best = i; len = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + len).join(':')}`;
}

function pickPort(rng) {
  const k = rng.weighted(PORT_MIX);
  const [proto, port] = k.split('/');
  return { proto, port: port === 'high' ? rng.int(1024, 65535) : Number(port) };
}

export class LogGenerator {
  constructor({ format = 'bsd', seed = 1, start, sources = 20000, host = 'web1', hostAddr = '192.0.2.10', scanEvery = 2000 } = {}) {
    if (!LOG_FORMATS.includes(format)) throw new Error(`unknown format ${format}`);
    this.format = format;
    this.rng = createRng(seed);
    this.time = start ?? Date.now() - 3 * 86_400_000;
    this.host = host;
    this.hostAddr = hostAddr;
    this.scanEvery = scanEvery;
    this.uptime = 1000;
    this.pending = [];
    this.background = Array.from({ length: sources }, (_, i) => {
      const v6 = i % 25 === 0;
      const ports = Array.from({ length: this.rng.int(1, 3) }, () => pickPort(this.rng));
      // One source in ten comes in over the VPN interface; one in twelve sends stray replies
      // (ACK/RST/FIN of connections the host forgot) rather than SYNs.
      const iface = i % 10 === 3 ? 'wg0' : 'eth0';
      const flags = i % 12 === 5 ? this.rng.pick(['ACK RST', 'ACK PSH FIN', 'ACK']) : 'SYN';
      return { addr: v6 ? v6Full(this.rng) : v4(this.rng), v6, ports, iface, flags };
    });
    this.scanSerial = 0;
    this.truth = {
      lines: { read: 0, netfilter: 0, malformed: 0, skipped: 0, drops: 0, notDrops: 0, repeated: 0 },
      attempts: 0, ports: {}, protocols: {}, sources: {}, days: {}, scanners: [], nearMisses: [],
      portInterfaces: {}, portSyn: {},
    };
    this.portSources = new Map();
    this.daySources = new Map();
    /** Lines written per planted burst (by its serial: past 14,000 bursts the addresses repeat). */
    this.plantedPorts = new Map();
    /** The planted scans, each with its burst's serial. */
    this.scanPlants = [];
  }

  stamp(t) {
    const d = new Date(t);
    switch (this.format) {
      case 'bsd':
      case 'bsd-uptime':
        return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
      default: {
        // RFC 3339 with a +01:00 offset (the parser must count it in UTC).
        const o = new Date(t + 3_600_000);
        return `${o.getUTCFullYear()}-${pad2(o.getUTCMonth() + 1)}-${pad2(o.getUTCDate())}T${pad2(o.getUTCHours())}:${pad2(o.getUTCMinutes())}:${pad2(o.getUTCSeconds())}.${String(t % 1000).padStart(3, '0')}123+01:00`;
      }
    }
  }

  /** A kernel message line in the chosen framing. */
  kernel(t, msg) {
    this.uptime += 0.001;
    switch (this.format) {
      case 'bsd': return `${this.stamp(t)} ${this.host} kernel: ${msg}`;
      case 'bsd-uptime': return `${this.stamp(t)} ${this.host} kernel: [${this.uptime.toFixed(6).padStart(12, ' ')}] ${msg}`;
      case 'rfc3339': return `${this.stamp(t)} ${this.host} kernel: [${this.uptime.toFixed(6).padStart(12, ' ')}] ${msg}`;
      case 'rfc5424': return `<4>1 ${this.stamp(t)} ${this.host} kernel - - - ${msg}`;
      default: {
        const bytes = this.format === 'journal-bytes' && this.rng.next() < 0.3;
        const message = bytes ? `[${Array.from(Buffer.from(msg), (b) => b).join(',')}]` : JSON.stringify(msg);
        return `{"__CURSOR":"s=0;i=${t.toString(16)}","__REALTIME_TIMESTAMP":"${t}000","__MONOTONIC_TIMESTAMP":"${Math.round(this.uptime * 1e6)}","_BOOT_ID":"0f0e0d0c0b0a09080706050403020100","_TRANSPORT":"kernel","PRIORITY":"4","SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel","_HOSTNAME":"${this.host}","MESSAGE":${message}}`;
      }
    }
  }

  /** Another program's line (skipped), with IN= in it to tempt a sloppy reader. */
  other(t) {
    const msg = 'dhclient[812]: DHCPACK of 192.0.2.10 from 192.0.2.1 (xid=0x1a2b) IN=eth0 OUT= noise';
    if (this.format === 'journal' || this.format === 'journal-bytes') return `{"__REALTIME_TIMESTAMP":"${t}000","_TRANSPORT":"syslog","SYSLOG_IDENTIFIER":"dhclient","MESSAGE":${JSON.stringify(msg)}}`;
    if (this.format === 'rfc5424') return `<30>1 ${this.stamp(t)} ${this.host} dhclient 812 - - ${msg}`;
    return `${this.stamp(t)} ${this.host} ${msg}`;
  }

  packet(src, v6, proto, port, prefix, extra = '', iface = 'eth0', flags = 'SYN') {
    const mac = 'MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 ';
    const dst = v6 ? '2001:0db8:0000:0000:0000:0000:0000:000a' : this.hostAddr;
    const ip = v6 ? `SRC=${src} DST=${dst} LEN=60 TC=0 HOPLIMIT=57 FLOWLBL=0` : `SRC=${src} DST=${dst} LEN=44 TOS=0x00 PREC=0x00 TTL=${this.rng.int(30, 250)} ID=${this.rng.int(0, 65535)}`;
    if (proto === 'tcp') return `${prefix}IN=${iface} OUT= ${mac}${ip} PROTO=TCP SPT=${this.rng.int(1024, 65535)} DPT=${port} WINDOW=1024 RES=0x00 ${flags} URGP=0 ${extra}`;
    return `${prefix}IN=${iface} OUT= ${mac}${ip} PROTO=UDP SPT=${this.rng.int(1024, 65535)} DPT=${port} LEN=${this.rng.int(20, 120)} ${extra}`;
  }

  countLine(kind) {
    this.truth.lines.read++;
    this.truth.lines[kind]++;
  }

  countAttempt(t, src, proto, port, n = 1, iface = 'eth0', flags = 'SYN') {
    const tr = this.truth;
    const addr = src.includes(':') ? compressV6(src) : src;
    tr.attempts += n;
    const key = `${proto}/${port}`;
    tr.ports[key] = (tr.ports[key] ?? 0) + n;
    tr.portInterfaces[key] ??= {};
    tr.portInterfaces[key][iface] = (tr.portInterfaces[key][iface] ?? 0) + n;
    if (proto === 'tcp') tr.portSyn[key] = (tr.portSyn[key] ?? 0) + (flags === 'SYN' ? n : 0);
    let ps = this.portSources.get(key);
    if (!ps) this.portSources.set(key, (ps = new Set()));
    ps.add(addr);
    tr.sources[addr] = (tr.sources[addr] ?? 0) + n;
    const day = new Date(t).toISOString().slice(0, 10);
    tr.days[day] = (tr.days[day] ?? 0) + n;
    let ds = this.daySources.get(day);
    if (!ds) this.daySources.set(day, (ds = new Set()));
    ds.add(addr);
  }

  countProtocol(t, src, proto) {
    const tr = this.truth;
    tr.attempts++;
    tr.protocols[proto] = (tr.protocols[proto] ?? 0) + 1;
    tr.sources[src] = (tr.sources[src] ?? 0) + 1;
    const day = new Date(t).toISOString().slice(0, 10);
    tr.days[day] = (tr.days[day] ?? 0) + 1;
    let ds = this.daySources.get(day);
    if (!ds) this.daySources.set(day, (ds = new Set()));
    ds.add(src);
  }

  /** Plant a burst: a scanner, or a near miss that must not count. */
  plant(t) {
    const n = this.scanSerial++;
    const src = `198.19.${200 + Math.floor(n / 250) % 56}.${(n % 250) + 1}`;
    const kind = n % 3;
    const events = [];
    if (kind === 0) {
      const count = this.rng.int(20, 150);
      const base = this.rng.int(1, 60000);
      for (let i = 0; i < count; i++) events.push({ t: t + Math.floor((i * 30_000) / count), port: base + i });
      this.scanPlants.push({ src, n });
    } else if (kind === 1) {
      for (let i = 0; i < 14; i++) events.push({ t: t + i * 3500, port: 1000 + i * 7 });
      this.truth.nearMisses.push(src);
    } else {
      for (let i = 0; i < 15; i++) events.push({ t: t + i * 5000, port: 2000 + i });
      this.truth.nearMisses.push(src);
    }
    for (const e of events) this.pending.push({ ...e, src, plant: n });
    this.pending.sort((a, b) => a.t - b.t);
  }

  /** The next line (or two: an AUDIT line and its BLOCK). */
  *lines() {
    const rng = this.rng;
    const journal = this.format === 'journal' || this.format === 'journal-bytes';
    let lastWasDrop = false;
    for (let i = 0; ; i++) {
      this.time += rng.int(0, 40);
      const t = this.time;
      if (i % this.scanEvery === 0) this.plant(t);
      if (this.pending.length > 0 && this.pending[0].t <= t) {
        const e = this.pending.shift();
        this.countLine('netfilter');
        this.truth.lines.drops++;
        this.countAttempt(e.t, e.src, 'tcp', e.port);
        this.lastDrop = { t: e.t, src: e.src, proto: 'tcp', port: e.port, iface: 'eth0', flags: 'SYN' };
        this.plantedPorts.set(e.plant, (this.plantedPorts.get(e.plant) ?? 0) + 1);
        lastWasDrop = true;
        yield this.kernel(e.t, this.packet(e.src, false, 'tcp', e.port, '[UFW BLOCK] '));
        continue;
      }
      const r = rng.next();
      if (r < 0.005) {
        this.countLine('skipped');
        lastWasDrop = false;
        yield rng.next() < 0.5 ? this.kernel(t, rng.pick(NOISE_KERNEL)) : this.other(t);
        continue;
      }
      if (r < 0.008) {
        this.countLine('malformed');
        lastWasDrop = false;
        yield this.kernel(t, `[UFW BLOCK] IN=eth0 OUT= SRC=${v4(rng)} DST=${this.hostAddr} LEN=40 PROTO=TCP SPT=44321 WINDOW=0 RES=0x00 RST URGP=0 `);
        continue;
      }
      if (r < 0.012) {
        this.countLine('netfilter');
        this.truth.lines.notDrops++;
        lastWasDrop = false;
        yield this.kernel(t, this.packet(v4(rng), false, 'tcp', 443, '[UFW ALLOW] '));
        continue;
      }
      if (r < 0.016 && lastWasDrop && !journal) {
        const n = rng.int(1, 5);
        this.countLine('skipped');
        this.truth.lines.repeated += n;
        this.countAttempt(this.lastDrop.t, this.lastDrop.src, this.lastDrop.proto, this.lastDrop.port, n, this.lastDrop.iface, this.lastDrop.flags);
        const line = this.format === 'rfc5424' ? `<46>1 ${this.stamp(t)} ${this.host} rsyslogd - - - last message repeated ${n} times` : `${this.stamp(t)} ${this.host} last message repeated ${n} times`;
        // A repeat repeats the last message: the drop stays "just before".
        yield line;
        continue;
      }
      if (r < 0.02) {
        const src = v4(rng);
        this.countLine('netfilter');
        this.truth.lines.drops++;
        this.countProtocol(t, src, 'icmp');
        lastWasDrop = false;
        yield this.kernel(t, `[UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=${this.hostAddr} LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=ICMP TYPE=3 CODE=3 [SRC=${this.hostAddr} DST=${src} LEN=56 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=33434 DPT=53 LEN=36 ] `);
        continue;
      }
      const s = rng.pick(this.background);
      const p = s.ports[rng.int(0, s.ports.length - 1)];
      const prefix = s.v6 ? '[FW - ALL]' : rng.pick(PREFIXES);
      if (r < 0.06 && prefix === '[UFW BLOCK] ') {
        // ufw logs an AUDIT line right before the BLOCK of the same packet.
        this.countLine('netfilter');
        this.truth.lines.notDrops++;
        yield this.kernel(t, this.packet(s.addr, s.v6, p.proto, p.port, '[UFW AUDIT INVALID] ', '', s.iface, s.flags));
      }
      this.countLine('netfilter');
      this.truth.lines.drops++;
      this.countAttempt(t, s.addr, p.proto, p.port, 1, s.iface, s.flags);
      this.lastDrop = { t, src: s.addr, proto: p.proto, port: p.port, iface: s.iface, flags: s.flags };
      lastWasDrop = true;
      yield this.kernel(t, this.packet(s.addr, s.v6, p.proto, p.port, prefix, '', s.iface, s.flags));
    }
  }

  /** Final truth: sources per port and per day as counts. */
  finish() {
    const tr = this.truth;
    tr.portSources = Object.fromEntries([...this.portSources].map(([k, s]) => [k, s.size]));
    tr.daySources = Object.fromEntries([...this.daySources].map(([k, s]) => [k, s.size]));
    tr.sourceCount = Object.keys(tr.sources).length;
    // A planted scan cut off by the end of the log counts if 15 of its ports (all within
    // 30 s) made it in. Counted per burst, not per address: an address planted again later (a
    // near miss, or a scan cut short) must not add its ports to an earlier burst's.
    const scanners = new Set(this.scanPlants.filter((p) => (this.plantedPorts.get(p.n) ?? 0) >= 15).map((p) => p.src));
    tr.scanners = [...scanners].sort();
    return tr;
  }
}

/**
 * Where a log of `bytes` must start to end by `end`: the bytes and time per line measured on
 * a sample from the same generator settings, plus a margin.
 */
export function startFor(bytes, end, opts) {
  const sample = new LogGenerator({ ...opts, start: 0 });
  let n = 0;
  let len = 0;
  for (const line of sample.lines()) {
    len += line.length + 1;
    if (++n === 20_000) break;
  }
  return Math.floor(end - (bytes / (len / n)) * (sample.time / n) * 1.1);
}

/**
 * Write `bytes` of log to `out` (a path or a stream); resolves to the truth. The log ends by
 * `end` (default: an hour ago) and starts where it must for that, unless `start` is given: a
 * log that ran into the future would read as last year's where stamps have no year.
 */
export async function writeLog(out, { bytes, end = Date.now() - 3_600_000, ...opts }) {
  const gen = new LogGenerator({ ...opts, start: opts.start ?? startFor(bytes, end, opts) });
  const stream = typeof out === 'string' ? createWriteStream(out) : out;
  let written = 0;
  let buf = [];
  let bufLen = 0;
  for (const line of gen.lines()) {
    buf.push(line);
    bufLen += line.length + 1;
    if (bufLen >= 1 << 20 || written + bufLen >= bytes) {
      const chunk = buf.join('\n') + '\n';
      written += chunk.length;
      if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
      buf = [];
      bufLen = 0;
      if (written >= bytes) break;
    }
  }
  // Do not cut a planted scan in half: finish the pending events' truth as unplanted.
  await new Promise((r) => (typeof out === 'string' ? stream.end(r) : r()));
  if (gen.time > Math.max(end, Date.now() - 60_000)) throw new Error(`the generated log runs to ${new Date(gen.time).toISOString()}, after ${new Date(end).toISOString()}: give an earlier start or fewer bytes`);
  return gen.finish();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { format: { type: 'string', default: 'bsd' }, mb: { type: 'string', default: '100' }, out: { type: 'string' }, seed: { type: 'string', default: '1' }, sources: { type: 'string', default: '20000' } } });
  if (!values.out) throw new Error('--out FILE is required');
  const truth = await writeLog(values.out, { bytes: Number(values.mb) * 1048576, format: values.format, seed: Number(values.seed), sources: Number(values.sources) });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(values.out + '.truth.json', JSON.stringify(truth, null, 1));
  process.stdout.write(`${values.out}: ${truth.lines.read} lines, ${truth.attempts} attempts, ${truth.sourceCount} sources, ${truth.scanners.length} scanners\n`);
}
