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
import { collectSummary } from '../collect.js';

/** The snapshot as the host of target `name`. */
function named(snapshot: Snapshot, name: string): Snapshot {
  return { ...snapshot, host: { ...snapshot.host, hostname: name } };
}

/**
 * `notice` gets, once per host at its first answer, what could not be read there (not root,
 * a missing tool), as `collect --ssh` says it: those parts are read conservatively.
 */
export function sshRoundCollector(targets: readonly SshTarget[], options: CollectOverSshOptions, notice: (text: string) => void): () => Promise<RoundHost[]> {
  const answered = new Set<string>();
  return async () => {
    const results = await collectOverSsh(targets, options);
    return results.map((r) => {
      if (!r.ok) return { label: r.name, error: r.error.message };
      if (!answered.has(r.name)) {
        answered.add(r.name);
        const summary = collectSummary(r.snapshot).trimEnd();
        for (const line of summary === '' ? [] : summary.split('\n')) notice(line.replace(/^portcullis collect: /, `${r.name}: `));
      }
      return { label: r.name, snapshot: named(r.snapshot, r.name) };
    });
  };
}
