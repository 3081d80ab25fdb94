/** Types of postgres-cluster.mjs for the TypeScript tests. */
export function postgresUnavailable(): string | null;
export function startPostgres(): {
  url: string;
  dir: string;
  createDatabase(name: string): string;
  psql(database: string, sql: string): string;
  stop(): void;
};
