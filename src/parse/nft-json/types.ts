/**
 * The nft JSON AST: what `nft -j list ruleset` prints (libnftables-json(5)), checked for
 * shape but otherwise kept as written. Statements and expressions stay plain JSON values:
 * their meaning is decided by lowering (lower.ts), which reports anything it does not
 * understand by name instead of guessing here.
 *
 * @module
 */

/** A JSON value as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface NftMetainfo {
  version: string | null;
  releaseName: string | null;
  jsonSchemaVersion: number | null;
}

/** Fields every table-scoped object carries; `path` is its JSON path, e.g. "$.nftables[3].chain". */
interface NftScoped {
  family: string;
  table: string;
  path: string;
}

export interface NftTable {
  family: string;
  name: string;
  handle: number | null;
  path: string;
}

export interface NftChain extends NftScoped {
  name: string;
  handle: number | null;
  /** Base chains only: "filter", "nat", "route". */
  type?: string;
  hook?: string;
  /** A number, or a named priority as written ("filter", "dstnat - 5"). */
  prio?: number | string;
  policy?: string;
  dev?: string | string[];
}

export interface NftRule extends NftScoped {
  chain: string;
  handle: number | null;
  /** The statements, each a one-key object such as {"match": …} or {"accept": null}. */
  expr: Json[];
  comment?: string | undefined;
}

/** One element of a named set or map, unwrapped from {"elem": {"val": …}}. */
export interface NftElem {
  key: Json;
  /** Map data (a verdict object for verdict maps). */
  data?: Json;
  timeout?: number;
  path: string;
}

export interface NftSet extends NftScoped {
  kind: 'set' | 'map';
  name: string;
  handle: number | null;
  /** "ipv4_addr", ["ipv4_addr", "inet_service"], or {"typeof": expr}. */
  type: Json;
  /** Maps: the data type, e.g. "verdict", "ipv4_addr". */
  map?: Json;
  flags: string[];
  elem: NftElem[];
  timeout?: number;
}

/** ct helper, ct timeout, ct expectation, counter, quota, limit, flowtable, synproxy, secmark: kept, mostly ignored. */
export interface NftObject extends NftScoped {
  kind: string;
  name: string;
  body: JsonObject;
}

export interface NftRuleset {
  metainfo: NftMetainfo | null;
  tables: NftTable[];
  chains: NftChain[];
  rules: NftRule[];
  sets: NftSet[];
  objects: NftObject[];
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How many keys a JSON object has, counted without the array Object.keys makes (asked per statement of every rule: issue 8). */
export function keyCount(o: JsonObject): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** The single key of a one-key JSON object ({"accept": null} → "accept"), else null. */
export function soleKey(v: Json | undefined): string | null {
  if (!isObject(v)) return null;
  // Called for every statement and expression of every rule: counting keys allocates nothing, Object.keys does.
  let only: string | null = null;
  for (const k in v) {
    if (only !== null) return null;
    only = k;
  }
  return only;
}
