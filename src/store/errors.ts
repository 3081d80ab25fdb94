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
  /** A host or snapshot the command asked for is not in the store. */
  | 'not-found';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
