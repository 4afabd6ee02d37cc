/**
 * @module ml/special/hypergeometric
 * The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, the case the BG/NBD and
 * Pareto/NBD formulas need (their z is a ratio of times, always in [0, 1)).
 *
 * Summed as its power series: term(n+1) = term(n) (a+n)(b+n) / ((c+n)(n+1)) z. `logHyp2f1` keeps the
 * running sum rescaled so it never overflows (the Pareto/NBD likelihood takes its log right away, and
 * for customers with many purchases the value passes 1e308); `hyp2f1` is the signed, plain version.
 *
 * @example
 *   hyp2f1(1, 1, 2, 0.5);     // 1.3862943611198906 (= -log(1-z)/z)
 *   logHyp2f1(1, 1, 2, 0.5);  // 0.32663425997828094
 */

/**
 * Terms beyond which we give up: z within 2e-4 of 1, which the CLV likelihoods reach only when an
 * optimiser probes far from any fit (they then treat the point as impossible and back off).
 */
const MAX_TERMS = 200_000;
const EPS = 1e-17;

/** Rescale the running sum when it passes this, so the log form never overflows. */
const RESCALE = 1e250;

/**
 * log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1 (every term positive). Never overflows.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0)) {
    throw new RangeError(`logHyp2f1 needs a, b, c > 0 (got ${a}, ${b}, ${c})`);
  }
  checkZ(z);
  if (z === 0) return 0;
  // The tail shrinks like z^n, so about 40 / (1 - z) terms are needed: say so at once rather than
  // after millions of terms (an optimiser probing far from any fit asks for such z).
  if ((1 - z) * MAX_TERMS < 40) {
    throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}): z too close to 1 for the series`);
  }
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (sum > RESCALE) {
      sum /= RESCALE;
      term /= RESCALE;
      logScale += Math.log(RESCALE);
    }
    // Past the peak (ratio < 1) the tail is below term * ratio / (1 - ratio).
    if (ratio < 1 && term * ratio <= EPS * sum * (1 - ratio)) return logScale + Math.log(sum);
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}

/**
 * 2F1(a, b; c; z) for 0 <= z < 1 and c not 0 or a negative integer; terms may have either sign.
 * For a, b, c > 0 prefer `logHyp2f1` when the value may be huge.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  checkZ(z);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c}`);
  if (a > 0 && b > 0 && c > 0) return Math.exp(logHyp2f1(a, b, c, z));
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    const r = Math.abs(ratio);
    if (r < 1 && Math.abs(term) * r <= EPS * Math.abs(sum) * (1 - r)) return sum;
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}

function checkZ(z: number): void {
  if (!(z >= 0 && z < 1)) throw new RangeError(`2F1 is summed here only for 0 <= z < 1 (got z = ${z})`);
}
