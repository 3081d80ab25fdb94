/**
 * Bitmask fields (ct state, ct status, tcp flags) compared the way nft compares them: `in`
 * is `field & value != 0`, `==` and sets compare the (masked) value. Each packet-space value
 * of the dimension is tested, so the result is exact.
 *
 * @module
 */
import { CT_STATUS, ctStatusStates } from '../../model/conntrack-tuple.js';
import * as I from '../../model/interval-set.js';
import { CT_STATES, Dim } from '../../model/packet-set.js';
import { type Cond, type Unsure, restrictDim } from './cond.js';
import type { FlagKind } from './selector.js';
import { CT_STATE_BITS, CT_STATUS_BITS, TCP_FLAG_NAMES } from './symbols.js';
import { type Json, isObject, soleKey } from './types.js';

const FLAG_NAMES: Record<FlagKind, Readonly<Record<string, number>>> = {
  'ct-state': CT_STATE_BITS,
  'ct-status': CT_STATUS_BITS,
  'tcp-flags': TCP_FLAG_NAMES,
};
/** Status bits model/conntrack-tuple knows for the packets we model. */
const MODELLED_STATUS = Object.values(CT_STATUS).reduce((a, b) => a | b, 0);

/** A flag value: a name, a number, a list of names (OR-ed), or {"|": [a, b]}. */
function flagValue(kind: FlagKind, v: Json): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string') {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(v)) return Number(v);
    return FLAG_NAMES[kind][v.toLowerCase()] ?? null;
  }
  if (Array.isArray(v)) {
    let acc = 0;
    for (const x of v) {
      const n = flagValue(kind, x);
      if (n === null) return null;
      acc |= n;
    }
    return acc;
  }
  if (isObject(v)) {
    const key = soleKey(v);
    const b = key !== null ? v[key] : undefined;
    if (key === '|' && Array.isArray(b)) return flagValue(kind, b);
    if (key === 'elem' && isObject(b)) return flagValue(kind, b['val'] ?? null);
  }
  return null;
}

export function applyFlags(cond: Cond, kind: FlagKind, op: string, maskJson: Json | undefined, right: Json, unsure: Unsure): void {
  const mask = maskJson === undefined ? 0xffffffff : flagValue(kind, maskJson);
  let values: number[] | null = null;
  let scalar: number | null = null;
  if (isObject(right) && soleKey(right) === 'set' && Array.isArray(right['set'])) {
    values = [];
    for (const x of right['set']) {
      const n = flagValue(kind, x);
      if (n === null) {
        values = null;
        break;
      }
      values.push(n);
    }
  } else scalar = flagValue(kind, right);
  if (mask === null || (values === null && scalar === null)) {
    unsure('unknown', `value ${JSON.stringify(right)} not understood`);
    return;
  }
  const test = (bits: number): boolean | null => {
    const v = bits & mask;
    switch (op) {
      case 'in':
        return values !== null ? values.includes(v) : (v & scalar!) !== 0;
      case '==':
        return values !== null ? values.includes(v) : v === scalar;
      case '!=':
        return values !== null ? !values.includes(v) : v !== scalar;
      case '<':
        return values === null && v < scalar!;
      case '<=':
        return values === null && v <= scalar!;
      case '>':
        return values === null && v > scalar!;
      case '>=':
        return values === null && v >= scalar!;
      default:
        return null;
    }
  };
  if (!['in', '==', '!=', '<', '<=', '>', '>='].includes(op) || (values !== null && !['in', '==', '!='].includes(op))) {
    unsure('unknown', `operator ${op} on flags`);
    return;
  }
  if (kind === 'tcp-flags') {
    const pts: number[] = [];
    for (let v = 0; v < 256; v++) if (test(v)) pts.push(v);
    restrictDim(cond, Dim.TcpFlags, I.fromPoints(pts));
    return;
  }
  if (kind === 'ct-status') {
    const used = (mask === 0xffffffff ? 0 : mask) | (scalar ?? 0) | (values ?? []).reduce((a, b) => a | b, 0);
    // Bits beyond these (dying, helper, offload…) are no packet-space fact; with a full mask, == compares every bit.
    if ((used & ~MODELLED_STATUS) !== 0 || (op !== 'in' && mask === 0xffffffff)) {
      unsure('unmodelled', 'conntrack status bits other than expected, seen-reply, assured, confirmed, snat and dnat are not modelled');
      return;
    }
    const r = ctStatusStates(used, (bits) => test(bits) === true);
    if (r.unknown) unsure('unmodelled', 'whether an established connection is assured is not modelled');
    restrictDim(cond, Dim.State, r.states);
    return;
  }
  const pts: number[] = [];
  for (let v = 0; v < 20; v++) if (test(CT_STATE_BITS[CT_STATES[v % 5]!.toLowerCase()]!)) pts.push(v);
  restrictDim(cond, Dim.State, I.fromPoints(pts));
}
