/**
 * @module ml/recommend/sasrec
 * SASRec for the recommender registry: `trainSasrecScorer(data, { seed, params })` trains on the
 * training sequences (hyper-parameters by name over SASREC_DEFAULTS) and returns an ItemScorer;
 * `loadSasrec(artifact)` reads one back. docs/sasrec.md has the design and the Beauty figures.
 */
import type { ItemScorer, TrainingData } from '../types.js';
import { withNumericParams } from '../numeric-params.js';
import { SASREC_DEFAULTS } from './params.js';
import { sasrecScorer } from './scorer.js';
import { fitSasrec } from './fit-cache.js';

export { loadSasrecBlend, trainSasrecBlend } from './blend.js';
export { loadSasrec } from './scorer.js';
export { SASREC_DEFAULTS } from './params.js';

export async function trainSasrecScorer(
  data: TrainingData,
  options: { readonly seed?: number; readonly params?: Readonly<Record<string, unknown>> } = {},
): Promise<ItemScorer> {
  const p = withNumericParams({ ...SASREC_DEFAULTS }, options.params, 'sasrec');
  return sasrecScorer(await fitSasrec(data.sequences, { ...p, seed: options.seed ?? p.seed }));
}
