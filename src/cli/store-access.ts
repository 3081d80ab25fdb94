/**
 * The CLI's way into the store: every StoreError (damaged, foreign, newer, busy, unreachable
 * database) becomes an InputError, so it exits 2 with its message and nothing is written.
 * `storeSnapshots` is the one call every collector uses to keep what it collected.
 *
 * @module
 */
import type { AuditReport } from '../analyze/audit/types.js';
import { snapshotToJson } from '../collect/index.js';
import { stableStringify } from '../render/json/stable-json.js';
import type { Snapshot } from '../model/snapshot.js';
import { type ReportToStore, type SnapshotStore, type StoredSnapshotInfo, StoreError, parseStoreLocation, withStore } from '../store/index.js';
import { InputError } from './errors.js';

/** Open the store `db` names, run `work`, close it; store problems are input errors. */
export async function withCliStore<T>(db: string, work: (store: SnapshotStore) => Promise<T>): Promise<T> {
  try {
    return await withStore(db, work);
  } catch (err) {
    if (err instanceof StoreError) throw new InputError(err.message);
    throw err;
  }
}

/** Check a --db value before any work is done (collection takes seconds; a typo should not). */
export function checkStoreLocation(db: string): void {
  try {
    parseStoreLocation(db);
  } catch (err) {
    if (err instanceof StoreError) throw new InputError(err.message);
    throw err;
  }
}

/** A host's key in the store: printable, at most 255 characters. */
export function checkHostKey(name: string, flag: string): string {
  const key = name.trim();
  // eslint-disable-next-line no-control-regex
  if (key === '' || key.length > 255 || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new InputError(`${flag} ${JSON.stringify(name)}: expected a host name of 1 to 255 printable characters, e.g. ${flag} web-1`);
  }
  return key;
}

export interface CollectedHost {
  /** The key: the inventory name, the target as written, or (local collect) the host name or --name. */
  host: string;
  snapshot: Snapshot;
}

/** Store collected snapshots in one transaction (all or none); returns their ids. */
export async function storeSnapshots(db: string, collected: readonly CollectedHost[]): Promise<StoredSnapshotInfo[]> {
  const rows = collected.map((c) => ({ host: checkHostKey(c.host, 'host'), collectedAt: c.snapshot.collectedAt, document: snapshotToJson(c.snapshot) }));
  return withCliStore(db, (store) => store.saveSnapshots(rows));
}

/**
 * An audit report as the store keeps it: the header (format, tool, policy, summary) and one
 * part per host with its audit and findings, each compact stable JSON.
 */
export function reportToStore(report: AuditReport, snapshotIdOf: ReadonlyMap<string, number>): ReportToStore {
  const { hosts, findings, ...header } = report;
  return {
    generatedAt: report.generatedAt,
    header: stableStringify(header, 0),
    hosts: hosts.map((host) => ({
      host: host.name,
      snapshotId: snapshotIdOf.get(host.name) ?? null,
      document: stableStringify({ host, findings: findings.filter((f) => f.host === host.name) }, 0),
    })),
  };
}
