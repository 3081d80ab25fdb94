/**
 * Namespaces left behind by a test run that was killed (SIGKILL, a closed terminal, a CI
 * timeout) before its exit handlers ran. Those handlers delete every namespace a run makes;
 * only an untrappable end leaves one, and the next run then sees leftover firewalls and
 * addresses. This sweep removes the leftovers once, before the suite starts.
 *
 * A namespace is stale only if all three hold, so a concurrent run's namespaces are never
 * touched: its name starts with `pc-` (every test namespace does), no process is inside it,
 * and it is older than {@link STALE_AFTER_MS} (a whole suite takes about 15 minutes).
 *
 * @module
 */

/** Age past which an empty test namespace counts as abandoned. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

/** What the sweep knows about one namespace. */
export interface NamespaceFacts {
  name: string;
  /** When `/run/netns/NAME` was made (the namespace's creation), ms since the epoch. */
  createdMs: number;
  /** Processes inside it (`ip netns pids NAME`). */
  pids: number;
}

/** The namespaces to delete: test-made, empty and old. Pure. */
export function staleNamespaces(all: readonly NamespaceFacts[], nowMs: number): string[] {
  return all
    .filter((ns) => ns.name.startsWith('pc-') && ns.pids === 0 && nowMs - ns.createdMs > STALE_AFTER_MS)
    .map((ns) => ns.name);
}
