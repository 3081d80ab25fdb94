/**
 * Why apply stopped, as data the CLI maps to exit codes: `input` (a file that does not load,
 * a damaged state dir, a guard already armed: exit 2), `refused` (the proof failed or the
 * session would be locked out: exit 1), `backup` (the running rules could not be saved,
 * so there is no way back: exit 2). Nothing was changed in any of these cases unless the
 * message says what the guard restored.
 *
 * @module
 */
export type ApplyErrorKind = 'input' | 'refused' | 'backup';

export class ApplyError extends Error {
  constructor(
    readonly kind: ApplyErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}
