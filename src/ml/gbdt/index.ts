/**
 * @module ml/gbdt
 * Histogram gradient-boosted decision trees over typed arrays (docs/gbdt.md).
 *
 *   trainGbdt({ features, rows, cols, labels, valid?, params }) -> GbdtModel
 *   predictGbdt(model, features, rows) -> Float64Array      probabilities for 'binary'
 *   predictMargin(model, features, rows) -> Float64Array    raw margins (log-odds)
 *   gbdtContributions(model, features, rows) -> Float64Array rows x (cols + 1), last = bias
 *   featureImportance(model) -> Float64Array                 total split gain per feature
 *   gbdtToJson / gbdtFromJson, gbdtToArtifact / gbdtFromArtifact
 */
export {
  DEFAULT_PARAMS,
  resolveParams,
  type GbdtObjective,
  type GbdtParams,
  type GrowthPolicy,
} from './params.js';
export { trainGbdt, type GbdtDataset, type TrainGbdtInput } from './train.js';
export { featureImportance, predictGbdt, predictMargin, type GbdtModel } from './model.js';
export type { Tree } from './tree.js';
export { gbdtContributions, topContributions, type Contribution } from './shap.js';
export {
  gbdtFromArtifact,
  gbdtFromJson,
  gbdtToArtifact,
  gbdtToJson,
  type GbdtJson,
  type GbdtTreeJson,
} from './serialise.js';
