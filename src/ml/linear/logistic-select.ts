/**
 * @module ml/linear/logistic-select
 * Logistic regression with its L2 penalty picked on a validation part: each penalty of the grid is
 * fitted on the fitting part, the one with the lowest validation log-loss is kept. The baseline the
 * fraud and risk evaluations set beside the GBDT.
 *
 * @example
 *   const m = bestLogistic({ features, labels, rows, cols }, { features: vx, labels: vy, rows: vn });
 */
import { logLoss } from '../metrics/classification.js';
import { predictLogistic, trainLogistic, type LogisticModel } from './logistic.js';

export const LOGISTIC_L2_GRID = [0.1, 1, 10, 100] as const;

interface Part {
  readonly features: Float32Array;
  readonly labels: Float32Array;
  readonly rows: number;
}

export function bestLogistic(fit: Part & { readonly cols: number }, valid: Part): LogisticModel {
  let best: LogisticModel | null = null;
  let bestLoss = Infinity;
  for (const l2 of LOGISTIC_L2_GRID) {
    const m = trainLogistic({ ...fit, l2 });
    const loss = logLoss(valid.labels, predictLogistic(m, valid.features, valid.rows));
    if (loss < bestLoss || best === null) {
      bestLoss = loss;
      best = m;
    }
  }
  return best!;
}
