/**
 * What lowering one rule needs to know and where it reports: shared by the match and
 * target lowerers.
 *
 * @module
 */
import type { Family } from '../../model/addr.js';
import type { HostContext } from '../../model/host-context.js';
import type { Cube } from '../../model/packet-set.js';
import type { Uncertainty } from '../../model/ruleset.js';
import type { ValueReader } from './values.js';

export interface LowerEnv {
  family: Family;
  context: HostContext;
  values: ValueReader;
  /** The unrestricted cube of the family. */
  full: Cube;
  /**
   * Record an uncertain construct under a short name ("-m mac", "-j TARPIT") so that one
   * warning per name and file can say how often and where first.
   */
  note(name: string, u: Uncertainty, line: number): void;
  /** A malformed value: an error at the rule's line. */
  bad(line: number, message: string, expected: string, input: string): void;
}
