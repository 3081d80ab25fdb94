/**
 * MongoDB over the wire protocol's OP_MSG (opcode 2013, MongoDB 3.6+): a 16-byte header
 * (messageLength, requestID, responseTo, opCode; int32 little-endian), flagBits, then one
 * kind-0 section holding a BSON command document. Three read-only commands, each allowed
 * or refused by the server's own rules: `hello` (answered without authentication by
 * design: proves the protocol), `buildInfo` (the version; also exempt from auth), then
 * `listDatabases` with nameOnly: ok:1 means a stranger can read the catalogue (no
 * authentication), ok:0 with code 13 Unauthorized means authentication is required.
 *
 * @module
 */
import { BSON, type Document } from 'bson';
import type { TcpDialogue } from './types.js';
import { recognition } from './text.js';

const OP_MSG = 2013;
const HEADER = 16;
/** MongoDB's error code for "command requires authentication". */
const UNAUTHORIZED = 13;

/** An OP_MSG carrying one command document. */
export function opMsg(command: Document, requestId: number): Buffer {
  const body = Buffer.from(BSON.serialize(command));
  const head = Buffer.alloc(HEADER + 4 + 1);
  head.writeInt32LE(head.length + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(0, 16);
  head[20] = 0;
  return Buffer.concat([head, body]);
}

/** The command document of an OP_MSG reply, or null when these bytes are not one. */
export function opMsgDocument(b: Buffer | undefined): Document | null {
  if (!b || b.length < HEADER + 5 + 5) return null;
  const length = b.readInt32LE(0);
  if (length !== b.length || b.readInt32LE(12) !== OP_MSG || b[HEADER + 4] !== 0) return null;
  const doc = b.subarray(HEADER + 5);
  if (doc.readInt32LE(0) > doc.length) return null;
  try {
    return BSON.deserialize(doc.subarray(0, doc.readInt32LE(0)), { promoteValues: true });
  } catch {
    return null;
  }
}

const COMMANDS: readonly Document[] = [
  { hello: 1, $db: 'admin' },
  { buildInfo: 1, $db: 'admin' },
  { listDatabases: 1, nameOnly: true, $db: 'admin' },
];

/** A command reply (ok is 1 or 0): servers before 4.4.2 answer `hello` with ok:0, CommandNotFound. */
function isHello(d: Document | null): d is Document {
  return d !== null && (d.ok === 1 || d.ok === 0);
}

export const mongodbHello: TcpDialogue = {
  name: 'mongodb-hello',
  next(replies) {
    if (replies.length === 0) return opMsg(COMMANDS[0]!, 1);
    if (!isHello(opMsgDocument(replies[0])) || replies.length >= COMMANDS.length) return null;
    return opMsg(COMMANDS[replies.length]!, replies.length + 1);
  },
  complete: (reply) => reply.length >= 4 && reply.length >= reply.readInt32LE(0),
  judge(replies) {
    const hello = opMsgDocument(replies[0]);
    if (!isHello(hello)) return null;
    const build = opMsgDocument(replies[1]);
    const version = build?.ok === 1 && typeof build.version === 'string' ? build.version : null;
    const list = opMsgDocument(replies[2]);
    const facts = [
      typeof hello.maxWireVersion === 'number'
        ? `hello answered: wire versions ${String(hello.minWireVersion ?? '?')}-${String(hello.maxWireVersion)}${hello.setName ? `, replica set ${String(hello.setName)}` : ''}`
        : `hello answered ${String(hello.codeName ?? 'an error')} (a server before 4.4.2)`,
    ];
    let auth: 'none' | 'required' | 'unknown' = 'unknown';
    if (list?.ok === 1 && Array.isArray(list.databases)) {
      auth = 'none';
      const names = (list.databases as Document[]).map((d) => String(d.name));
      facts.push(`listDatabases answered without authentication: ${names.length} database(s) (${names.slice(0, 8).join(', ')})`);
    } else if (list && list.ok === 0 && (list.code === UNAUTHORIZED || list.codeName === 'Unauthorized')) {
      auth = 'required';
      facts.push('listDatabases refused: authentication required');
    } else if (list) facts.push(`listDatabases answered ${String(list.codeName ?? list.errmsg ?? 'an error')}`);
    return recognition('mongodb', { product: version ? `MongoDB ${version}` : null, auth, banner: version, facts });
  },
};
