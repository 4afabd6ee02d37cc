/**
 * @module ml/linalg/gram
 * The k x k Gram matrix Y^T Y (+ ridge on the diagonal) of a row-major factor table, in float64.
 * ALS needs it once per half-sweep: it is the part of every user's normal equations that does not
 * depend on the user, which is what makes implicit-feedback ALS linear in the number of interactions.
 */

/** Returns Y^T Y + ridge * I for Y = rows x k (row-major float32), as a full row-major k x k. */
export function gramPlusRidge(y: Float32Array, rows: number, k: number, ridge: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const ya = y[o + a]!;
      if (ya === 0) continue;
      const ga = a * k;
      // Upper triangle only; mirrored below.
      for (let b = a; b < k; b++) g[ga + b]! += ya * y[o + b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    g[a * k + a]! += ridge;
    for (let b = a + 1; b < k; b++) g[b * k + a] = g[a * k + b]!;
  }
  return g;
}
