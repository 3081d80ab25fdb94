/**
 * `/proc/net/{tcp,tcp6,udp,udp6}` text → the sockets that accept new traffic: TCP in
 * LISTEN (state 0A) and UDP sockets that are bound and unconnected (state 07) with a port.
 * A connected UDP socket (state 01) only takes its one peer, so it is not a listener.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import { formatAddr } from '../model/addr.js';
import { type Diagnostic, type Parsed, excerpt } from '../model/diagnostics.js';
import type { SocketProto } from '../model/snapshot.js';

/** One row of a /proc/net socket table. */
export interface ProcNetSocket {
  proto: SocketProto;
  family: Family;
  address: string;
  port: number;
  /** Kernel socket state (include/net/tcp_states.h): 0x0A LISTEN, 0x07 CLOSE, 0x01 ESTABLISHED. */
  state: number;
  uid: number;
  inode: number;
}

/** TCP_LISTEN in include/net/tcp_states.h. */
export const TCP_LISTEN = 0x0a;
/** UDP sockets that are not connected sit in TCP_CLOSE. */
export const UDP_UNCONNECTED = 0x07;

/**
 * Decode the hex address column. The kernel prints each 32-bit word of the address with
 * `%08X` in host byte order, so on little-endian hosts (x86, arm64) every word is byte-reversed.
 */
export function decodeProcNetAddress(hex: string, family: Family): string | null {
  const words = family === 'ipv4' ? 1 : 4;
  if (hex.length !== words * 8 || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  let value = 0n;
  for (let w = 0; w < words; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) value = (value << 8n) | BigInt(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  // RFC 5952 §5: a v4-mapped address keeps the dotted quad (as ss prints it).
  if (family === 'ipv6' && value >> 32n === 0xffffn) return `::ffff:${formatAddr(Number(value & 0xffffffffn), 'ipv4')}`;
  return formatAddr(family === 'ipv4' ? Number(value) : value, family);
}

const ROW = /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\d+\s+(\d+)/;

/** Parse every row of one table (all states); malformed rows become diagnostics. */
export function parseProcNet(text: string, file: string, proto: SocketProto, family: Family): Parsed<ProcNetSocket[]> {
  const diagnostics: Diagnostic[] = [];
  const value: ProcNetSocket[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (i === 0 && /^\s*sl\s/.test(line)) return; // header
    const m = ROW.exec(line);
    const address = m ? decodeProcNetAddress(m[1]!, family) : null;
    if (!m || address === null) {
      diagnostics.push({
        code: 'parse.proc-net.row',
        severity: 'error',
        message: `unreadable row in the ${proto}${family === 'ipv6' ? '6' : ''} socket table`,
        location: { file, line: i + 1 },
        expected: `"sl: local_address:port rem_address:port st … uid timeout inode" with ${family === 'ipv4' ? 8 : 32} hex digits of address`,
        input: excerpt(line),
      });
      return;
    }
    value.push({
      proto,
      family,
      address,
      port: parseInt(m[2]!, 16),
      state: parseInt(m[3]!, 16),
      uid: Number(m[4]),
      inode: Number(m[5]),
    });
  });
  if (lines.length > 0 && lines[0]!.trim() !== '' && !/^\s*sl\s/.test(lines[0]!)) {
    diagnostics.push({
      code: 'parse.proc-net.header',
      severity: 'warning',
      message: 'the socket table does not start with the kernel\'s "sl local_address …" header',
      location: { file, line: 1 },
      expected: 'a header line starting with "sl"',
      input: excerpt(lines[0]!),
    });
  }
  return { value, diagnostics };
}

/** True for sockets that accept new traffic (see the module comment). */
export function isListener(s: ProcNetSocket): boolean {
  if (s.proto === 'tcp') return s.state === TCP_LISTEN;
  return s.state === UDP_UNCONNECTED && s.port !== 0;
}

/** The listeners of one table. */
export function parseProcNetListeners(text: string, file: string, proto: SocketProto, family: Family): Parsed<ProcNetSocket[]> {
  const all = parseProcNet(text, file, proto, family);
  return { value: all.value.filter(isListener), diagnostics: all.diagnostics };
}
