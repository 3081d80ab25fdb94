/**
 * Errors the CLI maps to exit codes: bad input or usage → 2; anything else is a bug → 3
 * (printed with a request to report it). Exit 1 means findings (at or above --fail-on, or a
 * diff that got worse) and nothing else: a CI gate must never read a crash as findings.
 *
 * @module
 */
import type { Diagnostic } from '../model/diagnostics.js';
import { formatLocation } from '../model/diagnostics.js';

/** Marks every InputError, whichever copy of this module made it (see {@link InputError}). */
const INPUT_ERROR = Symbol.for('portcullis.InputError');

/**
 * The user gave something we cannot use: a damaged file, a wrong flag value. Exit 2.
 *
 * `instanceof InputError` tests a mark, not the class: `collect` runs from its own bundle
 * with its own copy of this module (issue 8: the split bundle's 13 modules cost ~25 ms more
 * to load, on the critical path of a collect), and its errors must still exit 2 through
 * main's catch.
 */
export class InputError extends Error {
  readonly [INPUT_ERROR] = true;

  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary test: only InputError itself is known by its mark.
    if (this !== InputError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [INPUT_ERROR]?: unknown })[INPUT_ERROR] === true;
  }
}

export const ExitCode = { ok: 0, findings: 1, input: 2, bug: 3 } as const;

/** One line per error diagnostic: "file:line: message (expected …; got "…")". */
export function describeDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d.location);
  let text = where ? `${where}: ${d.message}` : d.message;
  if (d.expected) text += `; expected ${d.expected}`;
  if (d.input !== undefined) text += /^["'`]/.test(d.input) ? `; got ${d.input}` : `; got "${d.input}"`;
  return text;
}

/** Throw an InputError if any diagnostic is an error. */
export function failOnErrors(what: string, diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  const lines = errors.slice(0, 20).map((d) => `  ${describeDiagnostic(d)}`);
  if (errors.length > 20) lines.push(`  … and ${errors.length - 20} more`);
  throw new InputError(`${what}:\n${lines.join('\n')}`, errors);
}
