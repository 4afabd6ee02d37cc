/**
 * Trains the benchmark GBDT in its own process and prints {trainSeconds, trainCpuSeconds, auc,
 * predictRowsPerSecond,
 * maxRssMB, ...} as JSON, so the peak memory measured is this training's alone.
 *
 *   node --import tsx bench/gbdt-child.ts <rows> <cols> <rounds> <depth> <threads> [binOut]
 *
 * threads: worker threads besides this one (0 = one thread in all; 1 = two).
 *
 * Data: seeded standard normals; the label is Bernoulli(sigmoid(f(x))) with a known nonlinear f of
 * the first six features (the rest are noise), and 5% of feature 5 missing. A further 100,000 rows
 * from the same seed stream are held out for the AUC and the prediction throughput.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/random.js';
import { predictGbdt } from '../src/ml/gbdt/model.js';
import { trainGbdt } from '../src/ml/gbdt/train.js';
import { rocAuc } from '../src/ml/metrics/classification.js';

const [rows, cols, rounds, depth, threads] = process.argv.slice(2, 7).map(Number);
const binOut = process.argv[7];
if (!rows || !cols || !rounds || !depth || threads === undefined || Number.isNaN(threads)) {
  throw new Error('usage: gbdt-child <rows> <cols> <rounds> <depth> <threads> [binOut]');
}
const HOLDOUT = 100_000;

/** The known function: interactions, a threshold, a curve and a linear term. */
function margin(x: Float32Array, o: number): number {
  const x5 = x[o + 5]!;
  return (
    Math.sin(2 * x[o]!) +
    x[o + 1]! * x[o + 2]! +
    (x[o + 3]! > 0.5 ? 1.5 : -0.5) +
    0.5 * x[o + 4]! ** 2 +
    (x5 === x5 ? 0.4 * x5 : 0.8) -
    1
  );
}

function make(n: number, rng: Rng): { features: Float32Array; labels: Float32Array } {
  const features = new Float32Array(n * cols!);
  const labels = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * cols!;
    for (let f = 0; f < cols!; f++) features[o + f] = rng.normal();
    if (cols! > 5 && rng.chance(0.05)) features[o + 5] = NaN;
    labels[r] = rng.float() < 1 / (1 + Math.exp(-margin(features, o))) ? 1 : 0;
  }
  return { features, labels };
}

const rng = new Rng(20261124);
const train = make(rows, rng);
const test = make(HOLDOUT, rng);
if (binOut) {
  // For bench/reference/xgboost-gbdt.py, which trains XGBoost on the very same rows: raw
  // little-endian float32, features then labels, training rows then held-out rows.
  writeFileSync(`${binOut}.x.f32`, new Uint8Array(train.features.buffer));
  writeFileSync(`${binOut}.y.f32`, new Uint8Array(train.labels.buffer));
  writeFileSync(`${binOut}.tx.f32`, new Uint8Array(test.features.buffer));
  writeFileSync(`${binOut}.ty.f32`, new Uint8Array(test.labels.buffer));
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const model = trainGbdt({
  features: train.features,
  rows,
  cols,
  labels: train.labels,
  params: { objective: 'binary', rounds, maxDepth: depth, learningRate: 0.1, threads },
});
const trainSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU time of the whole process (all threads): on a busy machine it shows the work done when wall
// time mostly shows waiting.
const trainCpuSeconds = (cpu.user + cpu.system) / 1e6;
const t1 = performance.now();
const p = predictGbdt(model, test.features, HOLDOUT);
const predictSeconds = (performance.now() - t1) / 1000;
process.stdout.write(
  JSON.stringify({
    rows,
    cols,
    rounds,
    depth,
    threads,
    trainSeconds,
    trainCpuSeconds,
    predictRowsPerSecond: HOLDOUT / predictSeconds,
    auc: rocAuc(test.labels, p),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
