/**
 * The store: snapshots and audit reports in PostgreSQL, embedded (PGlite, a folder) by
 * default or on a server, with a versioned schema (migrations.ts).
 *
 * @module
 */
export { StoreError, type StoreErrorCode } from './errors.js';
export { parseStoreLocation, redactUrl, type StoreLocation } from './db-url.js';
export { openStore, withStore, DEFAULT_LOCK_WAIT_MS, type OpenStoreOptions } from './open-store.js';
export { SnapshotStore, type SnapshotToStore, type StoredSnapshot, type StoredSnapshotInfo, type StoredHost, type ReportToStore, type ReportPart, type StoredReport } from './snapshot-store.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
