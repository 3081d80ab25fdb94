/**
 * memcached: `stats` over TCP (it has no authentication in the text protocol unless built
 * with SASL, which then refuses text commands), and over UDP with the 8-byte frame header
 * (request id, sequence number, datagram count, reserved) where the reply's size over the
 * request's is the amplification factor (the 2018 memcached DDoS reflections).
 *
 * @module
 */
import type { TcpDialogue, UdpProbe } from './types.js';
import { ascii, latin1, recognition } from './text.js';
import { amplificationOf } from './udp-amplifiers.js';

function version(text: string): string | null {
  const v = /STAT version (\S+)/.exec(text)?.[1];
  return v ? `memcached ${v}` : null;
}

export const memcachedStats: TcpDialogue = {
  name: 'memcached-stats',
  next: (replies) => (replies.length === 0 ? ascii('stats\r\n') : null),
  complete: (reply) => /(^|\n)(END|ERROR|SERVER_ERROR[^\n]*|CLIENT_ERROR[^\n]*)\r\n$/.test(latin1(reply)),
  judge(replies) {
    const text = latin1(replies[0] ?? Buffer.alloc(0));
    if (/^STAT pid \d+\r\n/.test(text)) return recognition('memcached', { product: version(text), auth: 'none', banner: 'STAT pid …', facts: ['`stats` answered without authentication'] });
    return null;
  },
};

/** The UDP request: frame header (id 0x5043 "PC", seq 0, 1 datagram, reserved 0), then `stats`. */
const UDP_REQUEST = Buffer.concat([Buffer.from([0x50, 0x43, 0, 0, 0, 1, 0, 0]), ascii('stats\r\n')]);

export const memcachedUdp: UdpProbe = {
  name: 'memcached-udp-stats',
  ports: [11211],
  request: UDP_REQUEST,
  judge(request, replies) {
    const ours = replies.filter((r) => r.length >= 8 && r.readUInt16BE(0) === request.readUInt16BE(0));
    if (ours.length === 0) return null;
    const payload = Buffer.concat(ours.slice().sort((a, b) => a.readUInt16BE(2) - b.readUInt16BE(2)).map((r) => r.subarray(8)));
    const text = latin1(payload);
    if (!text.startsWith('STAT ')) return null;
    const bytes = ours.reduce((n, r) => n + r.length, 0);
    const amplification = amplificationOf(request, ours);
    return recognition('memcached', {
      product: version(text),
      auth: 'none',
      banner: 'STAT pid …',
      amplification,
      facts: [`UDP \`stats\` (${request.length} bytes) answered with ${ours.length} datagram(s), ${bytes} bytes: amplification ×${amplification}`],
    });
  },
};
