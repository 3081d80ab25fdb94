/**
 * The little the store needs from a PostgreSQL client, so the same SQL runs on PGlite and on a
 * server (pg): parameterised queries, transactions, close.
 *
 * @module
 */

export type SqlParam = string | number | boolean | null;

export interface SqlSession {
  query<Row extends object>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

export interface SqlEngine extends SqlSession {
  /** What the user named, password removed, for messages. */
  readonly display: string;
  /** Run `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
