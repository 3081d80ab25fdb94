/**
 * A PostgreSQL server through node-postgres (`pg`): one connection, explicit transactions.
 *
 * @module
 */
import { StoreError, asStoreError } from './errors.js';
import type { SqlEngine, SqlParam, SqlSession } from './sql-engine.js';

export async function openServer(url: string, display: string): Promise<SqlEngine> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  // A server that goes away mid-run is reported by the failing query, not as an unhandled event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new StoreError('connect', `cannot connect to ${display}: ${e.code && !e.message.includes(e.code) ? `${e.code} ` : ''}${e.message}`);
  }
  const q: SqlSession = {
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
      try {
        return (await client.query(sql, params as SqlParam[])).rows as Row[];
      } catch (err) {
        throw asStoreError(err, display);
      }
    },
  };
  return {
    display,
    ...q,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(q);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    close: () => client.end(),
  };
}
