/**
 * VNC (RFB, RFC 6143): the server sends "RFB 003.00x\n"; echoing a version back gets the
 * list of security types (1 = None: anyone gets the screen) or a failure reason.
 *
 * @module
 */
import { LISTEN, type TcpDialogue } from './types.js';
import { latin1, recognition } from './text.js';

const TYPES: Record<number, string> = { 1: 'None', 2: 'VNC Authentication', 5: 'RA2', 16: 'Tight', 18: 'TLS', 19: 'VeNCrypt', 30: 'Apple' };

export const vncSecurity: TcpDialogue = {
  name: 'vnc',
  next(replies) {
    if (replies.length === 0) return LISTEN;
    const m = /^RFB (\d{3})\.(\d{3})\n/.exec(latin1(replies[0]!));
    if (replies.length === 1 && m) return Buffer.from(Number(m[2]) >= 7 ? 'RFB 003.008\n' : 'RFB 003.003\n', 'latin1');
    return null;
  },
  complete: (reply, step) => (step === 0 ? reply.length >= 12 : reply.length >= 1 && reply.length >= (reply[0] === 0 ? 5 : 1 + reply[0]!)),
  judge(replies) {
    const m = /^RFB (\d{3})\.(\d{3})\n/.exec(latin1(replies[0] ?? Buffer.alloc(0)));
    if (!m) return null;
    const b = replies[1] ?? Buffer.alloc(0);
    const minor = Number(m[2]);
    // 3.3 servers pick one type as a uint32; 3.7+ list them (count byte, then types).
    const types = minor >= 7 ? [...b.subarray(1, 1 + (b[0] ?? 0))] : b.length >= 4 ? [b.readUInt32BE(0)] : [];
    const known = types.length > 0;
    const none = types.includes(1);
    return recognition('vnc', {
      product: `RFB ${m[1]}.${m[2]}`,
      banner: `RFB ${m[1]}.${m[2]}`,
      auth: !known ? 'unknown' : none ? 'none' : 'required',
      facts: known ? [`security types: ${types.map((t) => TYPES[t] ?? String(t)).join(', ')}`] : [],
    });
  },
};
