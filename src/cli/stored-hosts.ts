/**
 * Hosts from the store, loaded as `--snapshot` files are: each stored snapshot's JSON is
 * parsed and checked the same way, and named in messages as "STORE: HOST @ TIME" (there is
 * no file and line to point at, so the host and time say which row is damaged).
 *
 * @module
 */
import type { LoadedHost } from '../pipeline.js';
import type { StoredSnapshot } from '../store/index.js';
import { failOnErrors, InputError } from './errors.js';
import { loadSnapshotText } from './load-hosts.js';
import { withCliStore } from './store-access.js';

/** How messages name a stored snapshot. */
export function storedLabel(display: string, s: Pick<StoredSnapshot, 'host' | 'collectedAt' | 'id'>): string {
  return `${display}: ${s.host} @ ${s.collectedAt} (snapshot ${s.id})`;
}

/** Load a stored snapshot; the report names the host by its store key. */
export function loadStored(display: string, s: StoredSnapshot): LoadedHost {
  const host = loadSnapshotText(s.document, storedLabel(display, s));
  host.name = s.host;
  failOnErrors(`cannot analyse ${host.file}`, host.diagnostics);
  return host;
}

/** The newest snapshot of every stored host, loaded; and their ids by host, for the report's record. */
export async function loadLatestStored(db: string): Promise<{ hosts: LoadedHost[]; snapshotIdOf: Map<string, number> }> {
  const { display, stored } = await withCliStore(db, async (store) => ({ display: store.display, stored: await store.latestSnapshots() }));
  if (stored.length === 0) throw new InputError(`the store ${display} holds no snapshot yet; store some with: portcullis collect --db ${display}`);
  return { hosts: stored.map((s) => loadStored(display, s)), snapshotIdOf: new Map(stored.map((s) => [s.host, s.id])) };
}
