/**
 * @module ml/forecast/decompose
 * Classical seasonal decomposition (as statsmodels' seasonal_decompose, two-sided): a centred moving
 * average of one period (2 x m for an even m) as the trend, the mean detrended value of each slot,
 * centred so the seasonal sums to 0 (additive) or averages 1 (multiplicative). Returns the m slot
 * values; slot i applies at times t with t mod m = i.
 */
export function seasonalIndices(y: Float64Array, m: number, kind: 'add' | 'mul'): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    if (m % 2 === 1) {
      for (let k = -half; k <= half; k++) trend += y[t + k]!;
      trend /= m;
    } else {
      trend = 0.5 * (y[t - half]! + y[t + half]!);
      for (let k = -half + 1; k < half; k++) trend += y[t + k]!;
      trend /= m;
    }
    sums[t % m]! += kind === 'mul' ? y[t]! / trend : y[t]! - trend;
    counts[t % m]! += 1;
  }
  const out = sums.map((s, i) => s / counts[i]!);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += out[i]!;
  mean /= m;
  for (let i = 0; i < m; i++) out[i] = kind === 'mul' ? out[i]! / mean : out[i]! - mean;
  return out;
}
