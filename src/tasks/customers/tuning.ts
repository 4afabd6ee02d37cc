/**
 * @module tasks/customers/tuning
 * Hyper-parameters of the customer classifiers, chosen by k-fold cross-validation over the rows
 * they are given (the fitting part of the split) and nothing else:
 *
 *   GBDT      for every grid point and fold f: fit on the folds other than f and f+1, stop early
 *             on fold f+1, score ROC-AUC on fold f. The point with the best mean fold ROC-AUC
 *             wins (ties: the earlier, simpler point); its tree count is the mean of the folds'
 *             early-stopped counts, so the final model needs no early-stopping data of its own.
 *   logistic  for every L2 penalty and fold f: fit on the other folds, score ROC-AUC on fold f.
 *
 * Only `values`, `labels` rows listed in the folds are read (a test poisons every other row).
 *
 * @example
 *   const folds = stratifiedFolds(split.train, labels, CV_FOLDS);
 *   tuneGbdt(data, folds).best;      // { maxLeaves: 2, minChildHessian: 20, rounds: 70, cvRocAuc: 0.756 }
 *   tuneLogistic(data, folds).best;  // { l2: 100, cvRocAuc: 0.75 }
 */
import type { GbdtParams } from '../../ml/gbdt/params.js';
import { predictGbdt } from '../../ml/gbdt/model.js';
import { trainGbdt } from '../../ml/gbdt/train.js';
import { predictLogistic, trainLogistic } from '../../ml/linear/logistic.js';
import { rocAuc } from '../../ml/metrics/classification.js';
import { foldsExcept } from './folds.js';
import { logisticInputs } from './logistic-inputs.js';
import {
  CLASSIFIER_GBDT,
  CLASSIFIER_GBDT_GRID,
  CLASSIFIER_LOGISTIC_L2_GRID,
  type GbdtGridPoint,
} from './params.js';
import { take, takeRows } from './split.js';

export interface TuningData {
  /** Row-major rows x cols over all customers; only the rows in the folds are read. */
  readonly values: Float32Array;
  readonly cols: number;
  readonly labels: Float32Array;
}

export interface GbdtCandidate extends GbdtGridPoint {
  /** Mean over folds of the early-stopped tree count (rounded, at least 1). */
  readonly rounds: number;
  /** Mean ROC-AUC over the scored folds. */
  readonly cvRocAuc: number;
}

export interface LogisticCandidate {
  readonly l2: number;
  readonly cvRocAuc: number;
}

export interface Tuning<C> {
  readonly best: C;
  /** Every grid point tried, in grid order. */
  readonly grid: readonly C[];
}

/** The GBDT parameters for one grid point and a tree count (no early stopping). */
export function gbdtParamsFor(point: GbdtGridPoint, rounds: number): Partial<GbdtParams> {
  return { ...CLASSIFIER_GBDT, ...point, rounds, earlyStoppingRounds: 0 };
}

export function tuneGbdt(
  data: TuningData,
  folds: readonly Int32Array[],
  grid: readonly GbdtGridPoint[] = CLASSIFIER_GBDT_GRID,
): Tuning<GbdtCandidate> {
  const { values, cols, labels } = data;
  const k = folds.length;
  const tried = grid.map((point): GbdtCandidate => {
    let auc = 0;
    let trees = 0;
    for (let f = 0; f < k; f++) {
      const stop = folds[(f + 1) % k]!;
      const fit = foldsExcept(folds, f, (f + 1) % k);
      const model = trainGbdt({
        features: takeRows(values, cols, fit),
        rows: fit.length,
        cols,
        labels: take(labels, fit),
        valid: { features: takeRows(values, cols, stop), rows: stop.length, labels: take(labels, stop) },
        params: { ...CLASSIFIER_GBDT, ...point },
      });
      const held = folds[f]!;
      auc += rocAuc(take(labels, held), predictGbdt(model, takeRows(values, cols, held), held.length));
      trees += model.trees.length;
    }
    return { ...point, rounds: Math.max(1, Math.round(trees / k)), cvRocAuc: auc / k };
  });
  return { best: bestOf(tried), grid: tried };
}

export function tuneLogistic(
  data: TuningData,
  folds: readonly Int32Array[],
  grid: readonly number[] = CLASSIFIER_LOGISTIC_L2_GRID,
): Tuning<LogisticCandidate> {
  const { values, cols, labels } = data;
  const k = folds.length;
  const tried = grid.map((l2): LogisticCandidate => {
    let auc = 0;
    for (let f = 0; f < k; f++) {
      const fit = foldsExcept(folds, f);
      const model = trainLogistic({
        features: logisticInputs(takeRows(values, cols, fit)),
        rows: fit.length,
        cols,
        labels: take(labels, fit),
        l2,
      });
      const held = folds[f]!;
      const x = logisticInputs(takeRows(values, cols, held));
      auc += rocAuc(take(labels, held), predictLogistic(model, x, held.length));
    }
    return { l2, cvRocAuc: auc / k };
  });
  return { best: bestOf(tried), grid: tried };
}

/** The highest mean fold ROC-AUC; a tie keeps the earlier grid point. */
function bestOf<C extends { readonly cvRocAuc: number }>(tried: readonly C[]): C {
  let best = tried[0]!;
  for (const c of tried) if (c.cvRocAuc > best.cvRocAuc) best = c;
  return best;
}
