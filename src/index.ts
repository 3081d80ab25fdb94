/**
 * Portcullis as a library: snapshot in, analysis out.
 *
 * @module
 */
export * from './model/index.js';
export type * from './analyze/types.js';

// Fleet: agentless collection over SSH (issue 14).
export { collectOverSsh, type CollectOverSshOptions, type SshHostResult, type SshFailure, type SshFailureKind } from './collect/ssh/index.js';
export { snapshotFileName, type SshTarget } from './model/ssh-target.js';
export { parseSshTarget } from './parse/ssh-target.js';
export { parseAnsibleInventory, inventoryTargets, selectHosts, type Inventory } from './parse/ansible-inventory/index.js';
export { analyzeSnapshots, type HostOutcome, type SnapshotTask } from './pool/index.js';
export { runWatchLoop, type WatchLoopOptions, type WatchRound, type CollectedHost } from './watch/index.js';
export type { MissedHost, RoundHost, RoundFailure } from './watch/index.js';
export * as apply from './apply/index.js';
// The store (issue 14): snapshots and audit reports in PostgreSQL, embedded PGlite by default.
export { openStore, withStore, SnapshotStore, StoreError, SCHEMA_VERSION } from './store/index.js';
export type { OpenStoreOptions, SnapshotToStore, StoredSnapshot, StoredSnapshotInfo, StoredHost, ReportToStore, ReportPart, StoredReport, StoreErrorCode } from './store/index.js';
