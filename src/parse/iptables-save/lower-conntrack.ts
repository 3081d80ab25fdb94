/**
 * `-m conntrack` as xt_conntrack.c decides it: `--ctstate` on the state dimension, and the
 * tuple, protocol, status and direction options on model/conntrack-tuple's sets. Every
 * option but `--ctstate` needs a conntrack entry, so a packet without one (INVALID,
 * UNTRACKED) passes the match only through `--ctstate`, whatever the other options say
 * (`if (ct == NULL) return info->match_flags & XT_CONNTRACK_STATE`).
 *
 * @module
 */
import { CT_STATUS, type CtField, TRACKED, UNTRACKED_STATES, ctFieldSet, ctStatusStates } from '../../model/conntrack-tuple.js';
import * as I from '../../model/interval-set.js';
import { Dim, type DimSet, PacketSet } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { IptMatch, IptOption } from './ast.js';
import type { LowerEnv } from './lower-env.js';
import { nameTable } from '../../model/name-table.js';

export type ConntrackIssue =
  | { opt: IptOption; bad: { what: string; example: string } }
  | { opt: IptOption; open: { kind: Uncertainty['kind']; detail: string } };

export interface ConntrackLowered {
  /** `--ctstate`, when given (negation applied). */
  state: DimSet | null;
  /** The packets the whole match admits; null when only `--ctstate` was given. */
  set: PacketSet | null;
  issues: ConntrackIssue[];
}

const ADDR_FIELDS: Readonly<Record<string, CtField>> = nameTable({ ctorigsrc: 'orig-src', ctorigdst: 'orig-dst', ctreplsrc: 'reply-src' });
const PORT_FIELDS: Readonly<Record<string, CtField>> = nameTable({ ctorigsrcport: 'orig-sport', ctorigdstport: 'orig-dport', ctreplsrcport: 'reply-sport' });
const STATUS_NAMES: Readonly<Record<string, number>> = nameTable({ NONE: 0, ...CT_STATUS });

export function lowerConntrack(m: IptMatch, env: LowerEnv): ConntrackLowered {
  const { family, values } = env;
  const issues: ConntrackIssue[] = [];
  let state: DimSet | null = null;
  let tracked: PacketSet | null = null;
  const need = (p: PacketSet) => (tracked = tracked === null ? p : tracked.intersect(p));
  const field = (f: CtField, dim: Dim, set: DimSet, negated: boolean) => need(ctFieldSet(family, f, negated ? values.complement(dim, set) : set));

  for (const opt of m.options) {
    const arg = opt.args[0];
    const name = opt.name;
    if (name === 'ctstate') {
      const set = arg === undefined ? null : values.states(arg);
      if (!set) issues.push({ opt, bad: { what: 'connection state', example: 'NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED' } });
      else state = opt.negated ? values.complement(Dim.State, set) : set;
    } else if (ADDR_FIELDS[name] !== undefined) {
      const set = arg === undefined ? null : values.addresses(arg);
      if (!set) issues.push({ opt, bad: { what: `${family} address`, example: family === 'ipv4' ? '192.0.2.0/24' : '2001:db8::/32' } });
      else field(ADDR_FIELDS[name]!, name === 'ctreplsrc' ? Dim.Dst : name === 'ctorigsrc' ? Dim.Src : Dim.OrigDst, set as DimSet, opt.negated);
    } else if (PORT_FIELDS[name] !== undefined) {
      const set = arg === undefined ? null : values.portList(arg);
      if (!set) issues.push({ opt, bad: { what: 'port', example: '8080 or 1024:2048' } });
      else field(PORT_FIELDS[name]!, Dim.Dport, set, opt.negated);
    } else if (name === 'ctproto') {
      const set = arg === undefined ? null : values.protocol(arg);
      if (!set) issues.push({ opt, bad: { what: 'protocol', example: 'tcp, udp or a number' } });
      else field('proto', Dim.Proto, set, opt.negated);
    } else if (name === 'ctstatus') {
      let mask: number | null = 0;
      for (const s of (arg ?? '').split(',')) {
        const bit = STATUS_NAMES[s.toUpperCase()];
        if (bit === undefined) mask = null;
        else if (mask !== null) mask |= bit;
      }
      if (mask === null || arg === undefined) {
        issues.push({ opt, bad: { what: 'conntrack status', example: 'DNAT, SNAT, ASSURED, SEEN_REPLY, CONFIRMED, EXPECTED or NONE' } });
        continue;
      }
      const r = ctStatusStates(mask, (bits) => (bits !== 0) !== opt.negated);
      if (r.unknown) issues.push({ opt, open: { kind: 'unmodelled', detail: 'whether an established connection is ASSURED is not modelled' } });
      need(PacketSet.where(family, { [Dim.State]: r.states }));
    } else if (name === 'ctdir') {
      // The packets we model travel in the original direction (the client opened the connection).
      const original = arg?.toUpperCase() === 'ORIGINAL';
      if (!original && arg?.toUpperCase() !== 'REPLY') issues.push({ opt, bad: { what: 'direction', example: 'ORIGINAL or REPLY' } });
      else need(original !== opt.negated ? PacketSet.where(family, { [Dim.State]: TRACKED }) : PacketSet.empty(family));
    } else if (name.startsWith('ct')) {
      issues.push({ opt, open: { kind: 'unmodelled', detail: `conntrack --${name} is not modelled` } });
    } else issues.push({ opt, open: { kind: 'unknown', detail: `unknown option of module conntrack` } });
  }
  if (tracked === null) return { state, set: null, issues };
  let set: PacketSet = tracked;
  set = set.restrict(Dim.State, state === null ? TRACKED : I.intersect(state, TRACKED));
  if (state !== null) set = set.union(PacketSet.where(family, { [Dim.State]: I.intersect(state, UNTRACKED_STATES) }));
  return { state, set, issues };
}
