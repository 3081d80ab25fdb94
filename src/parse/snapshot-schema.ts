/**
 * The JSON Schema (draft-07, ajv's default) of a snapshot, matching src/model/snapshot.ts.
 * schemas/snapshot.schema.json is this object, written out (a test keeps the two equal),
 * so the parser needs no file system.
 *
 * @module
 */
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../model/snapshot.js';

const nonNegInt = { type: 'integer', minimum: 0 } as const;
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;
const family = { enum: ['ipv4', 'ipv6'] } as const;
/** The address must match its family: an "ipv4" entry with an IPv6 address is damaged. */
const addressOfFamily = {
  if: { properties: { family: { const: 'ipv4' } } },
  then: { properties: { address: { type: 'string', format: 'ipv4' } } },
  else: { properties: { address: { type: 'string', format: 'ipv6' } } },
} as const;

/** The snapshot schema; parseSnapshot validates against it, snapshotToJson takes its key order. */
export const SNAPSHOT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://portcullis.invalid/schemas/snapshot.schema.json',
  title: 'Portcullis host snapshot',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'collectedAt', 'tool', 'host', 'privileges', 'interfaces', 'sockets', 'firewall', 'sysctls', 'unreadable'],
  properties: {
    format: { const: SNAPSHOT_FORMAT },
    version: { const: SNAPSHOT_VERSION },
    collectedAt: { type: 'string', format: 'date-time' },
    tool: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { const: 'portcullis' }, version: { type: 'string', minLength: 1 } },
    },
    host: {
      type: 'object',
      additionalProperties: false,
      required: ['hostname', 'kernel'],
      properties: {
        hostname: { type: 'string' },
        kernel: { type: ['string', 'null'] },
        cloud: { type: 'object', additionalProperties: false, required: ['provider', 'instanceId'], properties: { provider: { const: 'aws' }, instanceId: { type: 'string', pattern: '^i-[0-9a-f]+$' } } },
      },
    },
    privileges: {
      type: 'object',
      additionalProperties: false,
      required: ['uid', 'euid', 'root'],
      properties: { uid: nonNegInt, euid: nonNegInt, root: { type: 'boolean' } },
    },
    interfaces: { type: ['array', 'null'], items: { $ref: '#/definitions/netInterface' } },
    // Optional: snapshots of older versions have no routing state (arrival interfaces unknown).
    routing: {
      type: 'object',
      additionalProperties: false,
      required: ['ipv4', 'ipv6'],
      properties: { ipv4: { $ref: '#/definitions/familyRouting' }, ipv6: { $ref: '#/definitions/familyRouting' } },
    },
    sockets: { type: ['array', 'null'], items: { $ref: '#/definitions/socket' } },
    firewall: { type: 'array', items: { $ref: '#/definitions/firewallSource' } },
    sysctls: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
    unreadable: { type: 'array', items: { $ref: '#/definitions/unreadable' } },
  },
  definitions: {
    netInterface: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'index', 'up', 'loopback', 'addresses'],
      properties: {
        name: { type: 'string', minLength: 1 },
        index: nonNegInt,
        up: { type: 'boolean' },
        loopback: { type: 'boolean' },
        addresses: { type: 'array', items: { $ref: '#/definitions/interfaceAddress' } },
        linkType: { type: 'string' },
        operState: { type: 'string' },
      },
    },
    familyRouting: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['routes', 'rules'],
      properties: {
        routes: { type: 'array', items: { $ref: '#/definitions/route' } },
        rules: { type: 'array', items: { $ref: '#/definitions/policyRule' } },
      },
    },
    route: {
      type: 'object',
      additionalProperties: false,
      required: ['table', 'type', 'dst', 'nexthops', 'metric'],
      properties: {
        table: { type: 'string', minLength: 1 },
        type: { type: 'string', minLength: 1 },
        dst: { type: 'string', pattern: '/' },
        nexthops: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['dev', 'gateway'],
            properties: { dev: { type: ['string', 'null'] }, gateway: { type: ['string', 'null'] } },
          },
        },
        metric: { type: ['integer', 'null'], minimum: 0 },
      },
    },
    policyRule: {
      type: 'object',
      additionalProperties: false,
      required: ['priority', 'not', 'from', 'to', 'iif', 'oif', 'undecided', 'action', 'table', 'goto', 'suppressPrefixLength'],
      properties: {
        priority: nonNegInt,
        not: { type: 'boolean' },
        from: { type: ['string', 'null'] },
        to: { type: ['string', 'null'] },
        iif: { type: ['string', 'null'] },
        oif: { type: ['string', 'null'] },
        undecided: { type: 'array', items: { type: 'string' } },
        action: { enum: ['table', 'goto', 'nop', 'unreachable', 'blackhole', 'prohibit'] },
        table: { type: ['string', 'null'] },
        goto: { type: ['integer', 'null'], minimum: 0 },
        suppressPrefixLength: { type: ['integer', 'null'], minimum: 0 },
      },
    },
    interfaceAddress: {
      type: 'object',
      additionalProperties: false,
      required: ['family', 'address', 'prefixLength', 'scope'],
      properties: {
        family,
        address: { type: 'string' },
        prefixLength: { type: 'integer', minimum: 0, maximum: 128 },
        scope: { type: 'string' },
        broadcast: { type: 'string', format: 'ipv4' },
      },
      ...addressOfFamily,
    },
    socket: {
      type: 'object',
      additionalProperties: false,
      required: ['proto', 'family', 'address', 'port', 'v6only', 'device', 'uid', 'inode', 'process'],
      properties: {
        proto: { enum: ['tcp', 'udp'] },
        family,
        address: { type: 'string' },
        port,
        v6only: { type: ['boolean', 'null'] },
        device: { type: ['string', 'null'] },
        uid: nonNegInt,
        inode: nonNegInt,
        process: { $ref: '#/definitions/processOrNull' },
      },
      ...addressOfFamily,
    },
    processOrNull: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['pid', 'name', 'cmdline', 'user'],
      properties: {
        pid: { type: 'integer', minimum: 1 },
        name: { type: 'string' },
        cmdline: { type: 'array', items: { type: 'string' } },
        user: { type: ['string', 'null'] },
      },
    },
    firewallSource: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'backend', 'command', 'status'],
      properties: {
        kind: { enum: ['iptables-save', 'ip6tables-save', 'nft-json', 'ipset-save'] },
        backend: { enum: ['nft', 'legacy', null] },
        command: { type: 'array', minItems: 1, items: { type: 'string' } },
        status: { enum: ['ok', 'unavailable', 'error'] },
        reason: { type: 'string' },
        content: { type: 'string' },
        stderr: { type: 'string' },
        // The xtables tables whose nft copy collect left out: this iptables-nft-save dump holds them.
        nftTablesLeftOut: { type: 'array', items: { enum: ['filter', 'nat', 'mangle', 'raw', 'security'] } },
      },
      // "ok" carries the dump; anything else says why not (model: FirewallSource).
      if: { properties: { status: { const: 'ok' } } },
      then: { required: ['content'] },
      else: { required: ['reason'], not: { required: ['content'] } },
    },
    unreadable: {
      type: 'object',
      additionalProperties: false,
      required: ['what', 'reason'],
      properties: { what: { type: 'string' }, reason: { type: 'string' }, hint: { type: 'string' } },
    },
  },
} as const;
