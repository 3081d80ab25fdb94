/**
 * `watch --ssh/--inventory`: one round is every host collected over SSH (bounded parallel,
 * as `collect --ssh`). Each snapshot is named after its target (inventory name, or the
 * target as written), so the baseline is kept and events are named per host even when two
 * machines share a hostname; a host that fails says why and the loop keeps its last good round.
 *
 * @module
 */
import { type CollectOverSshOptions, collectOverSsh } from '../../../collect/ssh/index.js';
import type { Snapshot } from '../../../model/snapshot.js';
import type { SshTarget } from '../../../model/ssh-target.js';
import type { RoundHost } from '../../../watch/index.js';

/** The snapshot as the host of target `name`. */
function named(snapshot: Snapshot, name: string): Snapshot {
  return { ...snapshot, host: { ...snapshot.host, hostname: name } };
}

export function sshRoundCollector(targets: readonly SshTarget[], options: CollectOverSshOptions): () => Promise<RoundHost[]> {
  return async () => {
    const results = await collectOverSsh(targets, options);
    return results.map((r) => (r.ok ? { label: r.name, snapshot: named(r.snapshot, r.name) } : { label: r.name, error: r.error.message }));
  };
}
