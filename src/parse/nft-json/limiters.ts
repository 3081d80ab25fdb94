/**
 * nft's rate and count statements read for a source's first connection (see
 * {@link Limiter}): `limit rate R` (a full bucket) and `ct count N` (the count is 1) match
 * it, `limit rate over R` and `ct count over N` do not; a meter or a set update applies its
 * statement per key. Byte rates and quotas return null: the caller keeps them uncertain.
 *
 * @module
 */
import type { Limiter } from '../../model/ruleset.js';
import { renderExpr } from './render.js';
import { type Json, isObject, soleKey } from './types.js';

/** The limiter of a `limit`/`ct count` statement body, per `per` ("over all sources" or a meter key). */
function limiterBody(key: string, b: Json, per: string, construct: string): Limiter | null {
  if (!isObject(b)) return null;
  const over = b['inv'] === true;
  if (key === 'limit') {
    const rate = b['rate'];
    const burst = b['burst'] ?? 5;
    if (typeof rate !== 'number' || typeof burst !== 'number' || burst < 1 || (b['rate_unit'] !== undefined && b['rate_unit'] !== 'packets')) return null;
    const text = `${rate}/${typeof b['per'] === 'string' ? b['per'] : 'second'} (burst ${burst}) ${per}`;
    return over ? { construct, first: 'no-match', later: `above ${text}` } : { construct, first: 'matches', later: `beyond ${text}` };
  }
  if (key === 'ct count') {
    const n = b['val'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return null;
    return { construct, first: over ? 'no-match' : 'matches', later: `more than ${n} connections ${per}` };
  }
  return null;
}

/** A statement's limiter: `limit`, `ct count`, `meter`, or a set update carrying one. */
export function limiterOfStatement(key: string, body: Json, construct: string): Limiter | null {
  if (key === 'limit' || key === 'ct count') return limiterBody(key, body, 'over every packet this rule sees', construct);
  if ((key === 'meter' || key === 'set') && isObject(body)) {
    const stmts = Array.isArray(body['stmt']) ? body['stmt'] : body['stmt'] !== undefined ? [body['stmt']] : [];
    const keyExpr = key === 'meter' ? body['key'] : body['elem'];
    if (stmts.length !== 1 || keyExpr === undefined) return null;
    const inner = stmts[0]!;
    const k = soleKey(inner);
    if (k === null || !isObject(inner)) return null;
    return limiterBody(k, inner[k]!, `per ${renderExpr(keyExpr)}`, construct);
  }
  return null;
}
