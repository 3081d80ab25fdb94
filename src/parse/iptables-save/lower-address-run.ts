/**
 * Lowering of address runs (address-run.ts): a rule that shares its modules, target and
 * other options with the rule before it, all but the address of its first `-s`/`-d`, lowers
 * as that rule with its own address in one dimension. The rest of the run's conditions are
 * lowered once, not 50,000 times (issue 8).
 *
 * @module
 */
import { type Cube, Dim, PacketSet } from '../../model/packet-set.js';
import type { Rule } from '../../model/ruleset.js';
import type { IptRule } from './ast.js';
import type { LowerEnv } from './lower-env.js';
import type { MatchLowerer } from './lower-match.js';

export class AddressRunLowerer {
  /** The last rule lowered the long way without any report, and its result. */
  private model: IptRule | null = null;
  private lowered: Rule | null = null;
  /** The model's cube without its address (its dimension left full); null until a follower needs it, or when it has none. */
  private cube: Cube | null | undefined;

  constructor(
    private readonly env: LowerEnv,
    private readonly matches: MatchLowerer,
  ) {}

  /**
   * `rule` was lowered the long way to `lowered`; `quiet` when that reported nothing (no
   * uncertain construct noted, no bad value). Only a quiet rule with nothing uncertain or
   * limited can stand for its followers, whose lowering would report the same again.
   */
  remember(rule: IptRule, lowered: Rule, quiet: boolean): void {
    const first = rule.generic[0];
    const fits = quiet && first !== undefined && (first.name === 's' || first.name === 'd') && !first.negated && lowered.uncertain.length === 0 && lowered.limits === undefined;
    this.model = fits ? rule : null;
    this.lowered = fits ? lowered : null;
    this.cube = undefined;
  }

  /**
   * The rule of an address run's line (deferred.ts: `leader`'s line with `address` in its
   * leading -s/-d) lowered as the model with that address, or null when the leader's parts are
   * not the model's or the address needs the long way (a bad or inexact one).
   */
  follow(leader: IptRule, address: string, text: string, line: number, position: number, file: string): Rule | null {
    const model = this.model;
    if (model === null || leader.matches !== model.matches || leader.target !== model.target || !sameAfterFirst(leader, model)) return null;
    const name = leader.generic[0]!.name;
    if (name !== model.generic[0]!.name) return null;
    const values = this.env.values;
    const set = values.addresses(address);
    if (!set || values.isSuperset(address)) return null;
    const dim = name === 's' ? Dim.Src : Dim.Dst;
    if (this.cube === undefined) {
      const rest = this.matches.cubeAfterFirst(model);
      // The address must be the only condition on its dimension: then the long way sets it alone.
      this.cube = rest !== null && rest[dim] === this.env.full[dim] ? rest : null;
    }
    const base = this.cube;
    if (base === null) return null;
    const cube = base.slice();
    cube[dim] = set;
    const lowered = this.lowered!;
    // The long way's shape and key order (renderers print rules as built).
    const match = PacketSet.ofCube(this.env.family, cube as Cube);
    const origin = { file, line };
    return lowered.comment === undefined
      ? { position, text, origin, match, uncertain: lowered.uncertain, action: lowered.action }
      : { position, text, origin, match, uncertain: lowered.uncertain, action: lowered.action, comment: lowered.comment };
  }
}

/** Whether the generic options after the first are the same objects. */
function sameAfterFirst(a: IptRule, b: IptRule): boolean {
  const x = a.generic;
  const y = b.generic;
  if (x.length !== y.length) return false;
  for (let k = 1; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}
