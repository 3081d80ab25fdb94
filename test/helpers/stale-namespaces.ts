/**
 * Namespaces left behind by a test run that was killed (SIGKILL, a closed terminal, a CI
 * timeout, or a SIGTERM to vitest, which kills its workers before their exit handlers run).
 * Those handlers delete every namespace a run makes; only such an end leaves one, and the
 * next run then sees leftover firewalls and addresses. This sweep removes the leftovers once,
 * before the suite starts.
 *
 * A namespace is stale only if its name starts with `pc-` (every test namespace does) and no
 * process is inside it, and then either it is older than {@link STALE_AFTER_MS} (a whole suite
 * takes about 15 minutes), or no other test run is alive (so no one can still be setting it
 * up) and no program but the tests makes such names ({@link NOT_TEST_PREFIXES}): a concurrent
 * run's, benchmark's or `harden --prove`'s young namespaces are never touched.
 *
 * @module
 */

/** Age past which an empty test namespace counts as abandoned even while another run is alive. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

/**
 * `pc-` names that programs other than the test suite make: the benchmark's namespaces and
 * `harden --prove`'s preview namespace. A completeness test reads every `pc-` name in src/,
 * bench/ and scripts/ (test files aside) and asks that each starts with one of these.
 */
export const NOT_TEST_PREFIXES = ['pc-bench-', 'pc-f2b-', 'pc-harden-', 'pc-rec-'] as const;

/** What the sweep knows about one namespace. */
export interface NamespaceFacts {
  name: string;
  /** When `/run/netns/NAME` was made (the namespace's creation), ms since the epoch. */
  createdMs: number;
  /** Processes inside it (`ip netns pids NAME`). */
  pids: number;
}

/** The namespaces to delete: test-made, empty, and old or ownerless. Pure. */
export function staleNamespaces(all: readonly NamespaceFacts[], nowMs: number, otherRunAlive = true): string[] {
  return all
    .filter((ns) => ns.name.startsWith('pc-') && ns.pids === 0)
    .filter((ns) => nowMs - ns.createdMs > STALE_AFTER_MS || (!otherRunAlive && !NOT_TEST_PREFIXES.some((p) => ns.name.startsWith(p))))
    .map((ns) => ns.name);
}

/**
 * Whether any test run but this one is alive, given the process ids the running suites
 * registered; `isAlive` answers for one pid. Pure but for `isAlive`. A reused pid reads as
 * alive: the sweep then keeps to the age rule, the cautious side.
 */
export function anotherRunAlive(registered: readonly number[], ownPid: number, isAlive: (pid: number) => boolean): boolean {
  return registered.some((pid) => pid !== ownPid && isAlive(pid));
}
