/**
 * @module ml/gbdt/model
 * A trained GBDT and its predictions. The margin of a row is `baseScore + sum of its leaf values`;
 * for the binary objective the prediction is sigmoid(margin), a probability.
 *
 * @example
 *   const model = trainGbdt({ features, rows, cols, labels, params: { objective: 'binary' } });
 *   predictGbdt(model, features, rows); // Float64Array of probabilities, one per row
 */
import { OBJECTIVES } from './objectives.js';
import type { GbdtObjective, GbdtParams } from './params.js';
import { leafOf, type Tree } from './tree.js';

export interface GbdtModel {
  readonly objective: GbdtObjective;
  /** Features per row the model expects. */
  readonly cols: number;
  /** Starting margin (from the training label mean). */
  readonly baseScore: number;
  /** The kept trees (with early stopping, rounds up to and including the best one). */
  readonly trees: readonly Tree[];
  /** 0-based round with the lowest validation loss (the last round when there was no validation). */
  readonly bestIteration: number;
  /** Validation loss after each round trained (log-loss or RMSE); empty without validation. */
  readonly validLoss: Float64Array;
  readonly params: GbdtParams;
}

function checkShape(model: GbdtModel, features: Float32Array, rows: number): void {
  if (features.length !== rows * model.cols) {
    throw new Error(
      `gbdt: ${features.length} values is not ${rows} rows x ${model.cols} features the model was trained on`,
    );
  }
}

/** Raw margins (log-odds for binary), one per row. */
export function predictMargin(model: GbdtModel, features: Float32Array, rows: number): Float64Array {
  checkShape(model, features, rows);
  const out = new Float64Array(rows).fill(model.baseScore);
  const d = model.cols;
  for (const tree of model.trees) {
    const value = tree.value;
    for (let r = 0; r < rows; r++) out[r]! += value[leafOf(tree, features, r * d)]!;
  }
  return out;
}

/** Predictions: probabilities for 'binary', values for 'regression'. */
export function predictGbdt(model: GbdtModel, features: Float32Array, rows: number): Float64Array {
  const out = predictMargin(model, features, rows);
  if (model.objective === 'binary') {
    const link = OBJECTIVES.binary.link;
    for (let r = 0; r < rows; r++) out[r] = link(out[r]!);
  }
  return out;
}

/**
 * Total split gain per feature over all trees (XGBoost's 'total_gain'): how much each feature
 * reduced the training loss. Large = the model leans on it; it says nothing about direction.
 */
export function featureImportance(model: GbdtModel): Float64Array {
  const out = new Float64Array(model.cols);
  for (const t of model.trees) {
    for (let i = 0; i < t.left.length; i++) if (t.left[i]! >= 0) out[t.feature[i]!]! += t.gain[i]!;
  }
  return out;
}
