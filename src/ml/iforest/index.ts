/**
 * @module ml/iforest
 * Isolation forest (Liu, Ting and Zhou 2008) over typed arrays: unsupervised anomaly scores with
 * per-feature path-depth contributions as reasons (docs/risk.md).
 *
 *   trainIsolationForest({ features, rows, cols, params? }) -> IsolationForest
 *   scoreIsolationForest(model, features, rows) -> Float64Array     s(x) in (0, 1]
 *   meanPathLengths(model, features, rows) -> Float64Array          E[h(x)]
 *   pathContributions(model, features, rows) -> Float64Array        rows x (cols + 1), last = c(psi)
 *   scoreWithContributions(model, features, rows)                   both in one walk
 *   averagePathLength(n)                                            c(n)
 */
export { averagePathLength, harmonic } from './average-path.js';
export type { IsolationForest } from './model.js';
export {
  DEFAULT_IFOREST_PARAMS,
  trainIsolationForest,
  type IsolationForestParams,
  type TrainIsolationForestInput,
} from './train.js';
export { meanPathLengths, pathContributions, scoreIsolationForest, scoreWithContributions } from './score.js';
export { isolationForestFromArtifact, isolationForestToArtifact } from './serialise.js';
