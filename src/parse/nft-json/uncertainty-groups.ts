/**
 * The "may match" diagnostics of an nft lowering, one per kind of uncertain construct, with
 * how many rules hold it: kube-proxy's nftables mode writes a `numgen random mod N vmap` in
 * every service chain, and a diagnostic per rule made 9,797 warnings, 70,000 lines of a
 * 10,000-service node's text report (issue 8). iptables-save's lowering already says it once
 * per construct ("-m statistic … (19592 rules, first at line 110038)").
 *
 * A kind is the uncertainty's kind, its detail ("numgen random mod 3 is not a packet-space
 * dimension") and the words its construct starts with before any value ("meta mark" of
 * `meta mark & 16384 == 0`, all of `xt match addrtype`); without a detail, the whole construct
 * (two different unknown statements are never one kind). The diagnostic names the rule first in the dump, whatever
 * order chains are lowered in: a one-flow load lowers them as its walk meets them, and once it
 * has lowered every chain it says exactly what a full load says.
 *
 * @module
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Uncertainty } from '../../model/ruleset.js';

/** A found uncertainty's diagnostic code, by kind: one string each, shared by every diagnostic. */
const CODES: Readonly<Record<Uncertainty['kind'], string>> = {
  unmodelled: 'unsupported.nft-json.unmodelled',
  unknown: 'unsupported.nft-json.unknown',
  'rate-limit': 'unsupported.nft-json.rate-limit',
  'missing-data': 'unsupported.nft-json.missing-data',
};

function describe(kind: Uncertainty['kind']): string {
  switch (kind) {
    case 'unmodelled':
      return 'condition not modelled';
    case 'rate-limit':
      return 'admits packets subject to a rate or count';
    case 'missing-data':
      return 'depends on data the snapshot lacks';
    default:
      return 'not understood';
  }
}

interface Group {
  readonly diagnostic: Diagnostic;
  /** The uncertainty's detail, or what its kind means when it has none. */
  readonly detail: string;
  /** The first rule's construct and where it is, with its place in the dump as [item, statement]. */
  construct: string;
  path: string;
  at: readonly [number, number];
  /** Statements of this kind met so far. */
  count: number;
}

/** A statement path's place in the dump, `$.nftables[N].rule.expr[K]` → [N, K]; paths of another form sort last. */
function placeOf(path: string): readonly [number, number] {
  const m = /^\$\.nftables\[(\d+)\]\.rule\.expr\[(\d+)\]$/.exec(path);
  return m === null ? [Infinity, Infinity] : [Number(m[1]), Number(m[2])];
}

/** The construct's leading words, up to the first that is not a plain name (a number, an operator, a quoted or braced value). */
function headOf(construct: string): string {
  const m = /^[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)*/.exec(construct);
  return m === null ? construct : m[0];
}

function isBefore(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** A group's message: one rule's as it always was, or the first rule's and how many more. */
function messageOf(g: Group): string {
  const many = g.count === 1 ? 'the rule is' : `this rule and ${g.count - 1} more like it are`;
  return [g.construct, ': ', g.detail, '; ', many, ' read as "may match"'].join('');
}

export class UncertaintyGroups {
  readonly #groups = new Map<string, Group>();
  /** Groups whose count or first rule changed since their message was last written. */
  readonly #changed = new Set<Group>();

  /** Diagnostics are appended to `sink` (a group's first time) and kept current there by {@link settle}. */
  constructor(
    private readonly file: string,
    private readonly sink: Diagnostic[],
  ) {}

  /** One statement's uncertainty, at `path` (each statement once: the caller passes over a statement met again in another family). */
  add(u: Uncertainty, path: string): void {
    const key = `${u.kind}\u0000${u.detail ?? ''}\u0000${u.detail === undefined ? u.construct : headOf(u.construct)}`;
    const group = this.#groups.get(key);
    if (group === undefined) {
      const g: Group = { diagnostic: { code: CODES[u.kind], severity: u.kind === 'rate-limit' ? 'info' : 'warning', message: '', location: { file: this.file, path } }, detail: u.detail ?? describe(u.kind), construct: u.construct, path, at: placeOf(path), count: 1 };
      g.diagnostic.message = messageOf(g);
      // The construct a rule keeps becomes the message's head (the same text, a slice of one
      // flat string): the rendered statement's tree of strings is let go (kube-proxy's numgen
      // maps kept ~2 MB of such trees).
      u.construct = g.construct = g.diagnostic.message.slice(0, u.construct.length);
      this.#groups.set(key, g);
      this.sink.push(g.diagnostic);
      return;
    }
    // Flattened for the same reason, without a message of its own.
    u.construct = (u.construct + ' ').slice(0, -1);
    group.count++;
    const at = placeOf(path);
    if (isBefore(at, group.at)) {
      group.construct = u.construct;
      group.path = path;
      group.at = at;
    }
    this.#changed.add(group);
  }

  /** Rewrite the diagnostics of the groups that changed: at the end of a lowering, and after each chain lowered later. */
  settle(): void {
    for (const g of this.#changed) {
      g.diagnostic.message = messageOf(g);
      g.diagnostic.location = { file: this.file, path: g.path };
    }
    this.#changed.clear();
  }
}
