/**
 * @module ml/gbdt/train
 * Gradient boosting: bin the features once, then each round compute gradients at the current
 * margins, draw the round's rows and features (seeded), grow one tree on the binned rows, and add
 * its leaf values to the margins. With a validation set, the validation loss is tracked every
 * round and early stopping keeps the trees up to the best round.
 *
 *   trainGbdt({ features, rows, cols, labels, valid?, params }): GbdtModel
 *
 * `features` is row-major (rows x cols) Float32Array, NaN = missing; labels are 0/1 for 'binary'.
 *
 * @example
 *   const model = trainGbdt({
 *     features, rows, cols, labels,
 *     valid: { features: vx, rows: vn, labels: vy },
 *     params: { objective: 'binary', rounds: 500, earlyStoppingRounds: 20 },
 *   });
 *   model.bestIteration; // e.g. 143: trees 0..143 are kept
 */
import { Rng } from '../../core/random.js';
import { applyBins, fitBins } from './binning.js';
import { growTree } from './grow.js';
import type { GbdtModel } from './model.js';
import { OBJECTIVES } from './objectives.js';
import { quantizeGradients, resolveParams, workerThreads, type GbdtParams } from './params.js';
import { gbdtPool, type GbdtPool } from './pool.js';
import { quantizationOf } from './quantize.js';
import { allocateTraining, leafCapacity, serialRunner, type TrainingRunner } from './runner.js';
import { leafOfBinned, type Tree } from './tree.js';

export interface GbdtDataset {
  /** Row-major rows x cols, NaN = missing. */
  readonly features: Float32Array;
  readonly rows: number;
  /** One per row: 0/1 for 'binary', any number for 'regression'. */
  readonly labels: Float32Array;
}

export interface TrainGbdtInput extends GbdtDataset {
  readonly cols: number;
  /** Held-out rows for the validation loss and early stopping. */
  readonly valid?: GbdtDataset;
  readonly params?: Partial<GbdtParams>;
}

export function trainGbdt(input: TrainGbdtInput): GbdtModel {
  const params = resolveParams(input.params);
  const { features, rows, cols, labels } = input;
  checkData('training', features, rows, cols, labels, params.objective);
  if (input.valid) {
    const v = input.valid;
    checkData('validation', v.features, v.rows, cols, v.labels, params.objective);
  }
  const workers = workerThreads(params.threads, rows);
  // Started first: the workers boot while this thread fits the bins.
  const pool = workers > 0 ? gbdtPool(workers) : null;
  try {
    return train(input, params, pool, workers);
  } finally {
    pool?.release();
  }
}

function train(input: TrainGbdtInput, params: GbdtParams, pool: GbdtPool | null, workers: number): GbdtModel {
  const { features, rows, cols, labels } = input;
  const obj = OBJECTIVES[params.objective];
  const cuts = fitBins(features, rows, cols, params.maxBins, params.seed);
  const numBins = Int32Array.from(cuts.thresholds, (t) => t.length + 1);
  const leafwise = params.growth === 'leafwise';
  const quantized = quantizeGradients(params.quantizedGradients, rows);
  const arrays = allocateTraining(
    rows,
    cols,
    labels,
    params.objective,
    leafCapacity(rows, params.maxDepth, params.maxLeaves, leafwise),
    workers + 1,
    quantized,
  );
  const run: TrainingRunner = pool ? pool.attach(arrays, workers) : serialRunner(arrays);
  run.bin(cuts, features);
  const { bins, rowIndex, margin } = arrays;

  const validBins = input.valid ? applyBins(cuts, input.valid.features, input.valid.rows) : null;
  const validMargin = input.valid ? new Float64Array(input.valid.rows) : null;

  const baseScore = obj.baseScore(labels);
  margin.fill(baseScore);
  validMargin?.fill(baseScore);
  const rng = new Rng(params.seed);
  const allFeatures = Int32Array.from({ length: cols }, (_, i) => i);
  const trees: Tree[] = [];
  const histograms: Float64Array[] = [];
  const validLoss: number[] = [];
  let best = -1;

  for (let round = 0; round < params.rounds; round++) {
    const allRows = params.subsample >= 1;
    const extent = run.gradients(obj.grid(arrays.labels, margin), allRows);
    const sampleSize = allRows ? rows : sampleRows(rng, rows, params.subsample, rowIndex);
    const quant = quantized ? quantizationOf(extent.maxGrad, extent.maxHess, params.seed, round) : null;
    run.order(sampleSize, quant);
    const feats = params.colsample < 1 ? sampleFeatures(rng, cols, params.colsample) : allFeatures;
    const grown = growTree(
      {
        cols,
        numBins,
        thresholds: cuts.thresholds,
        runner: run,
        maxDepth: params.maxDepth,
        maxLeaves: params.maxLeaves,
        leafwise,
        learningRate: params.learningRate,
        lambda: params.lambda,
        minChildHessian: params.minChildHessian,
        minSplitGain: params.minSplitGain,
        quant,
        histograms,
      },
      sampleSize,
      feats,
    );
    const tree = grown.tree;
    trees.push(tree);
    if (sampleSize === rows) {
      // Every row is labelled with its leaf (growTree): no need to walk the tree.
      grown.leafOrder.forEach((node, i) => (arrays.leafValues[i] = tree.value[node]!));
      run.addLeaves();
    } else {
      for (let r = 0; r < rows; r++) margin[r]! += tree.value[leafOfBinned(tree, bins, rows, r)]!;
    }
    if (input.valid && validBins && validMargin) {
      const vn = input.valid.rows;
      for (let r = 0; r < vn; r++) validMargin[r]! += tree.value[leafOfBinned(tree, validBins, vn, r)]!;
      const loss = obj.loss(input.valid.labels, validMargin);
      validLoss.push(loss);
      if (best < 0 || loss < validLoss[best]!) best = round;
      if (params.earlyStoppingRounds > 0 && round - best >= params.earlyStoppingRounds) break;
    }
  }
  const stopEarly = input.valid !== undefined && params.earlyStoppingRounds > 0;
  const bestIteration = best >= 0 ? best : trees.length - 1;
  return {
    objective: params.objective,
    cols,
    baseScore,
    trees: stopEarly ? trees.slice(0, bestIteration + 1) : trees,
    bestIteration,
    validLoss: Float64Array.from(validLoss),
    params,
  };
}

function checkData(
  what: string,
  features: Float32Array,
  rows: number,
  cols: number,
  labels: Float32Array,
  objective: GbdtParams['objective'],
): void {
  if (!(rows > 0) || features.length !== rows * cols) {
    throw new Error(`gbdt ${what} data: ${features.length} values is not ${rows} rows x ${cols} features`);
  }
  if (labels.length !== rows) throw new Error(`gbdt ${what} data: ${labels.length} labels for ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    const y = labels[r]!;
    if (objective === 'binary' ? y !== 0 && y !== 1 : !Number.isFinite(y)) {
      throw new Error(
        `gbdt ${what} data: label ${y} at row ${r} (binary needs 0 or 1, regression a finite number)`,
      );
    }
  }
}

/** A seeded sample of `fraction` < 1 of the rows into rowIndex (all rows: runner.gradients resets it). */
function sampleRows(rng: Rng, rows: number, fraction: number, rowIndex: Uint32Array): number {
  const want = Math.max(1, Math.round(rows * fraction));
  let need = want;
  let k = 0;
  // Selection sampling (Knuth's algorithm S): exactly `want` rows, already sorted.
  for (let r = 0; r < rows && need > 0; r++) {
    if (rng.float() * (rows - r) < need) {
      rowIndex[k++] = r;
      need--;
    }
  }
  return want;
}

function sampleFeatures(rng: Rng, cols: number, fraction: number): Int32Array {
  const k = Math.max(1, Math.round(cols * fraction));
  const all = Int32Array.from({ length: cols }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(cols - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, k).sort();
}
