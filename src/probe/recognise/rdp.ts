/**
 * RDP (MS-RDPBCGR 2.2.1.1 / 2.2.1.2): the client opens with a TPKT header (RFC 1006:
 * version 3, reserved, length big-endian) around an X.224 Connection Request TPDU (code
 * 0xE0) carrying an RDP Negotiation Request that offers TLS, CredSSP (NLA) and CredSSP
 * with early user authorisation. The server answers an X.224 Connection Confirm (0xD0)
 * with either a Negotiation Response naming the protocol it chose, or a Negotiation
 * Failure with a code. Nothing beyond the confirm is sent: no TLS, no credential.
 *
 * @module
 */
import type { AuthVerdict } from '../../model/probe.js';
import type { TcpDialogue } from './types.js';
import { recognition } from './text.js';

const PROTOCOL_SSL = 0x1;
const PROTOCOL_HYBRID = 0x2;
const PROTOCOL_RDSTLS = 0x4;
const PROTOCOL_HYBRID_EX = 0x8;

/** TPKT + X.224 CR + RDP_NEG_REQ asking for TLS | CredSSP | CredSSP-EX (0x0B). */
export const RDP_CONNECTION_REQUEST = Buffer.from([
  0x03, 0x00, 0x00, 0x13, // TPKT: version 3, length 19
  0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, // X.224: LI 14, CR, dst-ref, src-ref, class 0
  0x01, 0x00, 0x08, 0x00, // RDP_NEG_REQ: type, flags, length 8 (LE)
  PROTOCOL_SSL | PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX, 0x00, 0x00, 0x00, // requestedProtocols (LE)
]);

const PROTOCOL_NAMES: Record<number, string> = {
  0: 'standard RDP security (no TLS, no Network Level Authentication)',
  [PROTOCOL_SSL]: 'TLS without Network Level Authentication',
  [PROTOCOL_HYBRID]: 'CredSSP (Network Level Authentication)',
  [PROTOCOL_RDSTLS]: 'RDSTLS',
  [PROTOCOL_HYBRID_EX]: 'CredSSP with early user authorisation (Network Level Authentication)',
};

const FAILURES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

export const rdpNegotiation: TcpDialogue = {
  name: 'rdp-x224',
  next: (replies) => (replies.length === 0 ? RDP_CONNECTION_REQUEST : null),
  complete: (reply) => reply.length >= 4 && reply.length >= reply.readUInt16BE(2),
  judge(replies) {
    const b = replies[0];
    // TPKT version 3, then X.224 Connection Confirm (upper nibble 0xD).
    if (!b || b.length < 11 || b[0] !== 3 || b[1] !== 0 || b.readUInt16BE(2) !== b.length || (b[5]! & 0xf0) !== 0xd0) return null;
    // LI, CC, dst-ref (2), src-ref (2), class: the negotiation structure, when any, follows at 11.
    const neg = b.subarray(11);
    // A confirm without one: an old server that only speaks standard RDP security.
    if (neg.length < 8) {
      return recognition('rdp', { auth: 'unknown', facts: ['X.224 connection confirmed without negotiation: standard RDP security only (no TLS, no Network Level Authentication)'] });
    }
    const type = neg[0];
    const value = neg.readUInt32LE(4);
    if (type === 0x02) {
      const nla = value === PROTOCOL_HYBRID || value === PROTOCOL_HYBRID_EX;
      const auth: AuthVerdict = nla ? 'required' : 'unknown';
      return recognition('rdp', { auth, starttls: value !== 0, facts: [`server chose ${PROTOCOL_NAMES[value] ?? `protocol 0x${value.toString(16)}`}`, ...(nla ? [] : ['the login screen is offered before any authentication'])] });
    }
    if (type === 0x03) return recognition('rdp', { auth: 'unknown', facts: [`negotiation failed: ${FAILURES[value] ?? `code ${value}`}`] });
    return null;
  },
};
