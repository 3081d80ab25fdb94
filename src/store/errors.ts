/**
 * What can go wrong with a store, as data: the CLI turns every StoreError into exit 2 with
 * its message (a damaged, foreign, newer or busy database is the user's input, not a bug).
 *
 * @module
 */

export type StoreErrorCode =
  /** The --db value is neither a folder path, `file:` URL nor `postgres://` URL. */
  | 'bad-url'
  /** The server cannot be reached or refuses us (address, password, missing database). */
  | 'connect'
  /** The database or folder holds something that is not a Portcullis store. */
  | 'foreign'
  /** Written by a newer Portcullis: this one does not know its schema. */
  | 'newer'
  /** A Portcullis store whose migrations table or files do not add up. */
  | 'damaged'
  /** An embedded store folder in use by another process for longer than we wait. */
  | 'locked'
  /** The server refused or failed a statement: privileges, disk full, shutting down. */
  | 'server';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * SQLSTATE classes that are the database's state, not a bug in our SQL: connection (08),
 * authorization (28), missing database (3D), insufficient privilege (42501), resources (53),
 * operator intervention (57), system error (58).
 */
const ENVIRONMENT_SQLSTATE = /^(08|28|3D|53|57|58)|^42501$/;

/** A driver error whose SQLSTATE says the database cannot serve us, as a StoreError; otherwise the error itself. */
export function asStoreError(err: unknown, display: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !ENVIRONMENT_SQLSTATE.test(code)) return err;
  return new StoreError(code.startsWith('08') || code.startsWith('28') || code.startsWith('3D') ? 'connect' : 'server', `${display}: ${(err as Error).message} (SQLSTATE ${code})`);
}
