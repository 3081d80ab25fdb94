/**
 * Portcullis as a library: snapshot in, analysis out.
 *
 * @module
 */
export * from './model/index.js';
export type * from './analyze/types.js';
// The store (issue 14): snapshots and audit reports in PostgreSQL, embedded PGlite by default.
export { openStore, withStore, SnapshotStore, StoreError, SCHEMA_VERSION } from './store/index.js';
export type { OpenStoreOptions, SnapshotToStore, StoredSnapshot, StoredSnapshotInfo, StoredHost, ReportToStore, ReportPart, StoredReport, StoreErrorCode } from './store/index.js';
