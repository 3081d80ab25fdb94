/**
 * The middle of a list of timings (the mean of the middle two for an even count): what the
 * benchmarks compare when one run decides nothing on this VM.
 *
 * @module
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
