/**
 * @module tasks/customers/logistic-inputs
 * What the customer logistic model sees: sign(x) log(1 + |x|) of every feature. Spend, counts and
 * days are heavy-tailed (one wholesaler's 178,000 against a median of 700), and a linear margin on
 * raw values is dominated by the tail. A fixed design, not tuned per split: during development it
 * raised the logistic ROC-AUC on the Online Retail validation customers of 4 of 5 seeds tried
 * (e.g. 0.693 -> 0.698 at seed 42; those customers overlap other seeds' test parts). Trees are
 * invariant to it.
 *
 * @example
 *   logisticInputs(Float32Array.from([0, Math.E - 1, NaN])); // [0, 1, NaN]
 */
export function logisticInputs(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v < 0 ? -Math.log1p(-v) : Math.log1p(v); // NaN stays NaN
  }
  return out;
}
