/**
 * @module ml/special/log-sum-exp
 * Sums and differences of numbers held as logarithms, without overflow or underflow: the likelihoods
 * of ml/clv add terms like exp(-700) and exp(-650), which are 0 in plain arithmetic.
 *
 * @example
 *   logAddExp(Math.log(2), Math.log(3)); // Math.log(5)
 *   logSubExp(Math.log(5), Math.log(3)); // Math.log(2)
 *   logAddExp(-Infinity, 1);             // 1 (adding a zero)
 */

/** log(exp(a) + exp(b)). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(exp(a) - exp(b)) for a >= b; -Infinity when a === b (the difference is exactly 0). */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) throw new RangeError(`logSubExp: b (${b}) > a (${a}) gives the log of a negative number`);
  if (a === b) return -Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}
