/**
 * @module ml/iforest/average-path
 * c(n): the average path length of an unsuccessful search in a binary search tree of n points
 * (Liu, Ting and Zhou 2008, eq. 1), the isolation forest's normaliser and the depth credited to a
 * leaf that still holds n training points.
 */

const EULER_GAMMA = 0.5772156649015329;

/** H(0..63) summed once: c(n) is asked for at every node of every path while scoring. */
const SMALL_HARMONIC = new Float64Array(64);
for (let k = 1; k < 64; k++) SMALL_HARMONIC[k] = SMALL_HARMONIC[k - 1]! + 1 / k;

/** Harmonic number H(i) = 1 + 1/2 + ... + 1/i; exact sum below 64 terms, ln(i) + gamma + 1/(2i) - 1/(12 i^2) above. */
export function harmonic(i: number): number {
  if (i < 64) return SMALL_HARMONIC[i]!;
  return Math.log(i) + EULER_GAMMA + 1 / (2 * i) - 1 / (12 * i * i);
}

/** c(n) = 2 H(n - 1) - 2 (n - 1) / n for n > 2; c(2) = 1; c(n) = 0 for n <= 1. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * harmonic(n - 1) - (2 * (n - 1)) / n;
}
