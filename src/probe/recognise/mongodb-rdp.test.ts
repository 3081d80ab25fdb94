/**
 * MongoDB and RDP recognisers on bytes built from the specifications (no server runs
 * here: MongoDB is not in Debian, and no RDP server is installed): the MongoDB wire
 * protocol's OP_MSG (opcode 2013) with BSON documents shaped as the server's documented
 * replies, and MS-RDPBCGR's X.224 Connection Confirm with RDP_NEG_RSP / RDP_NEG_FAILURE.
 */
import { BSON, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { mongodbHello, opMsg, opMsgDocument } from './mongodb.js';
import { RDP_CONNECTION_REQUEST, rdpNegotiation } from './rdp.js';
import { silentPortOrder } from './index.js';

/** An OP_MSG reply: header (length, requestID, responseTo, opCode 2013), flagBits 0, section kind 0. */
function reply(doc: Document, responseTo: number): Buffer {
  const body = Buffer.from(BSON.serialize(doc));
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(900 + responseTo, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(2013, 12);
  return Buffer.concat([head, body]);
}

// Shapes of a MongoDB 7 standalone's replies (documented fields only).
const hello = { isWritablePrimary: true, topologyVersion: { counter: 0 }, maxBsonObjectSize: 16777216, maxWireVersion: 21, minWireVersion: 0, readOnly: false, ok: 1.0 };
const buildInfo = { version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188', bits: 64, ok: 1.0 };
const listed = { databases: [{ name: 'admin' }, { name: 'config' }, { name: 'customers' }], ok: 1.0 };
const unauthorized = { ok: 0.0, errmsg: 'Command listDatabases requires authentication', code: 13, codeName: 'Unauthorized' };

describe('MongoDB: hello, buildInfo, listDatabases over OP_MSG', () => {
  it('sends hello as the wire protocol specifies, byte for byte', () => {
    const request = mongodbHello.next([]) as Buffer;
    // BSON {hello: int32 1, $db: "admin"}: 31 bytes, written out from the BSON spec.
    const doc = Buffer.from([31, 0, 0, 0, 0x10, ...Buffer.from('hello\0'), 1, 0, 0, 0, 0x02, ...Buffer.from('$db\0'), 6, 0, 0, 0, ...Buffer.from('admin\0'), 0]);
    expect(request.readInt32LE(0)).toBe(request.length);
    expect(request.readInt32LE(12)).toBe(2013);
    expect(request.readUInt32LE(16)).toBe(0);
    expect(request[20]).toBe(0);
    expect(request.subarray(21)).toEqual(doc);
    expect(request).toEqual(opMsg({ hello: 1, $db: 'admin' }, 1));
  });

  it('asks buildInfo then listDatabases only after a MongoDB reply, then hangs up', () => {
    expect(mongodbHello.next([Buffer.from('HTTP/1.0 200 OK\r\n\r\n')])).toBeNull();
    expect(mongodbHello.next([Buffer.alloc(0)])).toBeNull();
    expect(opMsgDocument(mongodbHello.next([reply(hello, 1)]) as Buffer)).toMatchObject({ buildInfo: 1 });
    expect(opMsgDocument(mongodbHello.next([reply(hello, 1), reply(buildInfo, 2)]) as Buffer)).toMatchObject({ listDatabases: 1, nameOnly: true });
    expect(mongodbHello.next([reply(hello, 1), reply(buildInfo, 2), reply(listed, 3)])).toBeNull();
  });

  it('a reply is complete when messageLength bytes arrived', () => {
    const r = reply(hello, 1);
    expect(mongodbHello.complete(r.subarray(0, r.length - 1), 0)).toBe(false);
    expect(mongodbHello.complete(r, 0)).toBe(true);
  });

  it('listDatabases answered: no authentication, databases named, version from buildInfo', () => {
    const r = mongodbHello.judge([reply(hello, 1), reply(buildInfo, 2), reply(listed, 3)]);
    expect(r).toMatchObject({ service: 'mongodb', auth: 'none', product: 'MongoDB 7.0.14' });
    expect(r!.facts).toContain('listDatabases answered without authentication: 3 database(s) (admin, config, customers)');
    expect(r!.facts[0]).toBe('hello answered: wire versions 0-21');
  });

  it('listDatabases refused with code 13: authentication required', () => {
    expect(mongodbHello.judge([reply(hello, 1), reply(buildInfo, 2), reply(unauthorized, 3)])).toMatchObject({ service: 'mongodb', auth: 'required' });
  });

  it('a server before hello existed (ok:0, CommandNotFound) is still MongoDB', () => {
    const old = { ok: 0.0, errmsg: "no such command: 'hello'", code: 59, codeName: 'CommandNotFound' };
    const r = mongodbHello.judge([reply(old, 1), reply({ version: '4.2.24', ok: 1.0 }, 2), reply(unauthorized, 3)]);
    expect(r).toMatchObject({ service: 'mongodb', auth: 'required', product: 'MongoDB 4.2.24' });
    expect(r!.facts[0]).toBe('hello answered CommandNotFound (a server before 4.4.2)');
  });

  it('not MongoDB: other bytes, a truncated or mis-framed message', () => {
    expect(mongodbHello.judge([Buffer.from('-ERR unknown command\r\n')])).toBeNull();
    expect(mongodbHello.judge([reply(hello, 1).subarray(0, 30)])).toBeNull();
    const wrongOpcode = reply(hello, 1);
    wrongOpcode.writeInt32LE(1, 12);
    expect(mongodbHello.judge([wrongOpcode])).toBeNull();
    expect(mongodbHello.judge([])).toBeNull();
  });

  it('is tried first on MongoDB ports', () => {
    expect(silentPortOrder(27017)[0]).toBe('mongodb');
    expect(silentPortOrder(12345)).toContain('mongodb');
  });
});

/** TPKT (version 3, length) + X.224 Connection Confirm (LI, 0xD0, refs, class) + optional 8-byte negotiation structure. */
function confirm(neg: number[] | null): Buffer {
  const x224 = [neg ? 14 : 6, 0xd0, 0, 0, 0x12, 0x34, 0];
  const body = [...x224, ...(neg ?? [])];
  return Buffer.from([3, 0, 0, 4 + body.length, ...body]);
}
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

describe('RDP: X.224 connection request and confirm', () => {
  it('sends a Connection Request with an RDP_NEG_REQ for TLS | CredSSP | CredSSP-EX', () => {
    const r = RDP_CONNECTION_REQUEST;
    expect([r[0], r[1], r.readUInt16BE(2)]).toEqual([3, 0, r.length]);
    expect(r[4]).toBe(r.length - 5); // LI counts the TPDU bytes after itself
    expect(r[5]).toBe(0xe0);
    expect([r[11], r[12], r.readUInt16LE(13), r.readUInt32LE(15)]).toEqual([1, 0, 8, 0x0b]);
    expect(rdpNegotiation.next([])).toBe(RDP_CONNECTION_REQUEST);
    expect(rdpNegotiation.next([confirm(null)])).toBeNull();
  });

  it('CredSSP chosen: Network Level Authentication, auth required', () => {
    expect(rdpNegotiation.judge([confirm([0x02, 0x1f, 8, 0, ...le32(0x2)])])).toMatchObject({ service: 'rdp', auth: 'required', starttls: true, facts: ['server chose CredSSP (Network Level Authentication)'] });
    expect(rdpNegotiation.judge([confirm([0x02, 0x1f, 8, 0, ...le32(0x8)])])).toMatchObject({ auth: 'required' });
  });

  it('TLS only or standard RDP security: the login screen before any authentication', () => {
    const tls = rdpNegotiation.judge([confirm([0x02, 0x00, 8, 0, ...le32(0x1)])]);
    expect(tls).toMatchObject({ service: 'rdp', auth: 'unknown', starttls: true });
    expect(tls!.facts).toContain('the login screen is offered before any authentication');
    expect(rdpNegotiation.judge([confirm([0x02, 0x00, 8, 0, ...le32(0)])])).toMatchObject({ starttls: false });
    expect(rdpNegotiation.judge([confirm(null)])!.facts[0]).toMatch(/standard RDP security only/);
  });

  it('negotiation failure names the code', () => {
    expect(rdpNegotiation.judge([confirm([0x03, 0x00, 8, 0, ...le32(5)])])!.facts).toEqual(['negotiation failed: HYBRID_REQUIRED_BY_SERVER']);
  });

  it('a reply is complete at the TPKT length; other bytes are not RDP', () => {
    const c = confirm([0x02, 0x00, 8, 0, ...le32(2)]);
    expect(rdpNegotiation.complete(c.subarray(0, 10), 0)).toBe(false);
    expect(rdpNegotiation.complete(c, 0)).toBe(true);
    expect(rdpNegotiation.judge([Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')])).toBeNull();
    // A Connection Request echoed back is not a confirm.
    expect(rdpNegotiation.judge([RDP_CONNECTION_REQUEST])).toBeNull();
    expect(rdpNegotiation.judge([c.subarray(0, 12)])).toBeNull();
    expect(silentPortOrder(3389)[0]).toBe('rdp');
  });
});
