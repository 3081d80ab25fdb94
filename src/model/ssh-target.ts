/**
 * A host to collect over SSH: the name its snapshot is filed under (the inventory name, or
 * the target as the user wrote it) and how ssh reaches it.
 *
 * @module
 */

export interface SshTarget {
  /** Inventory name or the target as written ("web-1", "root@fl2", "192.0.2.13:2222"). */
  name: string;
  /** Host name or address given to ssh (~/.ssh/config may map it further). */
  host: string;
  user?: string;
  port?: number;
}

/**
 * The snapshot file name of a target: its name with every character that is not safe in a
 * file name ("/", ":", spaces…) as "_", then ".json": "192.0.2.13:2222" → "192.0.2.13_2222.json".
 */
export function snapshotFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._@+-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return `${safe === '' ? '_' : safe}.json`;
}
