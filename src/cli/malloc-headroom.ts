/**
 * Lets glibc's malloc keep the memory a CLI run frees, for reuse, instead of handing it back to
 * the kernel and faulting it in again: one 31 MB buffer, allocated and dropped at start.
 *
 * Why: a walk builds its huge interval sets (the Internet minus a blocklist, 200,000 boundaries,
 * 1.6 MB) one from another, each a fresh Float64Array (nft-set-100000: 357 of them, 570 MB). glibc
 * takes them from its heap and, once the heap's free top exceeds its trim threshold (twice its
 * mmap threshold, 128 KB at start and raised to each freed mmapped block's size), gives that top
 * back; the next set's pages are then new, and on this VM the first touch of a page is slow
 * (~2.6 ms per MB). The audit grew its heap by 176 MB to give back 140 MB, and paid 78,000 page
 * faults. Freeing a mmapped 31 MB block raises both thresholds for the rest of the process (to
 * 31 and 62 MB; glibc's ceiling is 32 MB), as a process that had freed such a block would: the
 * same audit then grew by 77 MB, gave back 1 MB and faulted 44,000 times (issue 8, branch
 * walkcopy17). Other allocators (musl, macOS) just allocate and free the buffer.
 *
 * @module
 */

/** The block freed at start: as big as glibc's dynamic mmap threshold may go (32 MB on 64-bit), less its header and page rounding. */
export const HEADROOM_BYTES = 31 * 1024 * 1024;

/** glibc's own settings of the thresholds: with any of them, glibc keeps them fixed, and they are the user's. */
const USER_CHOICE = /^(MALLOC_(MMAP|TRIM)_THRESHOLD_|MALLOC_TOP_PAD_|GLIBC_TUNABLES)$/;

/** Whether malloc's thresholds are ours to raise, for this process's environment. */
export function mallocHeadroomIsOurs(platform: string, env: Readonly<Record<string, string | undefined>>): boolean {
  return platform === 'linux' && !Object.keys(env).some((k) => USER_CHOICE.test(k) && env[k] !== undefined);
}

// Dropped at once: V8 frees it on a background thread after its next collection, ~180 ms into a
// run (seen with strace), long before the first huge set.
if (mallocHeadroomIsOurs(process.platform, process.env)) new ArrayBuffer(HEADROOM_BYTES);
