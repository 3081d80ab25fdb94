/**
 * The proof apply runs before it changes anything, injected as a function (STYLE habit 7):
 * harden's engine proof of the host-as-it-will-be (the policy's intent holds, nothing else is
 * reachable from outside, the current SSH session still reaches sshd) plugs in here, and so
 * does the reachability preview of `--dry-run`. Apply itself only needs the verdict.
 *
 * @module
 */
import type { ApplyInput } from './apply-input.js';

export interface ProofVerdict {
  /** The rules may be applied. */
  holds: boolean;
  /** What was proven, or why not (printed as they are). */
  lines: string[];
}

export type ProveRuleset = (input: ApplyInput) => Promise<ProofVerdict>;

/** The reachability diff per service, before → after, as printable text; changes nothing. */
export type PreviewRuleset = (input: ApplyInput) => Promise<string>;
