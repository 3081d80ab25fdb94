/**
 * A snapshot as JSON text in a stable key order: the order of the schema's `properties`
 * (format and version first), map keys such as sysctl names sorted. Two collections of an
 * unchanged host then differ only in collectedAt, so snapshots diff well.
 *
 * @module
 */
import type { Snapshot } from '../model/snapshot.js';
import { SNAPSHOT_SCHEMA } from '../parse/snapshot-schema.js';

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; $ref?: string; additionalProperties?: unknown };

const DEFINITIONS = SNAPSHOT_SCHEMA.definitions as unknown as Record<string, SchemaNode>;

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node?.$ref?.startsWith('#/definitions/')) return DEFINITIONS[node.$ref.slice('#/definitions/'.length)];
  return node;
}

function ordered(value: unknown, schema: SchemaNode | undefined): unknown {
  const node = resolve(schema);
  if (Array.isArray(value)) return value.map((v) => ordered(v, resolve(node?.items)));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const known = Object.keys(node?.properties ?? {}).filter((k) => k in obj);
  const rest = Object.keys(obj)
    .filter((k) => !known.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const k of known) out[k] = ordered(obj[k], node?.properties?.[k]);
  for (const k of rest) out[k] = ordered(obj[k], undefined);
  return out;
}

/** JSON with 2-space indent and a trailing newline. */
export function snapshotToJson(snapshot: Snapshot): string {
  return JSON.stringify(ordered(snapshot, SNAPSHOT_SCHEMA as unknown as SchemaNode), null, 2) + '\n';
}
