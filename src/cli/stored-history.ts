/**
 * Reading one host's past from the store for `diff --db` and `history`: the snapshot in
 * force at a time, or the series since then, each audited as a one-host report.
 *
 * @module
 */
import type { AuditReport } from '../analyze/audit/types.js';
import type { Policy } from '../model/policy.js';
import type { SnapshotStore, StoredSnapshot } from '../store/index.js';
import { InputError } from './errors.js';
import { snapshotReport } from './commands/diff.js';
import { storedLabel } from './stored-hosts.js';

/** An InputError for a host the store does not know, naming some it does. */
export async function unknownHost(store: SnapshotStore, host: string): Promise<InputError> {
  const known = (await store.hosts()).map((h) => h.name);
  const some = known.slice(0, 8).map((n) => JSON.stringify(n)).join(', ') + (known.length > 8 ? `, … (${known.length} hosts)` : '');
  return new InputError(`the store ${store.display} has no host ${JSON.stringify(host)}; ${known.length === 0 ? 'it holds no snapshot yet' : `it has ${some}`}`);
}

/**
 * The audit of a stored snapshot, the host named by its store key, as of the time it was
 * collected (so a diff or history shows when each state was seen, and policy exceptions are
 * judged as they stood then).
 */
export function storedReport(display: string, s: StoredSnapshot, policy: Policy | null): AuditReport {
  return snapshotReport(s.document, storedLabel(display, s), policy, new Date(s.collectedAt), s.host);
}
