/**
 * @module tasks/recommend/train
 * `train recommend`: pick the main model (by validation NDCG@10 under leave-last-out when `auto`),
 * measure it against popularity under the same protocol, then fit the serving bundle on ALL the
 * interactions. The returned metrics are what the registry keeps beside the model.
 *
 * @example
 *   const r = await trainRecommendations(await loadInteractions(wh), { model: 'auto' });
 *   r.bundle.model;                 // e.g. 'transition'
 *   r.metrics['testNdcg10'];        // the chosen model's test NDCG@10 (protocol in r.metrics.protocol)
 */
import type { InteractionData } from '../../features/interactions.js';
import { trainBundle, type RecommendBundle } from './bundle.js';
import { evaluateRecommenders, type RecommendEvaluation } from './evaluate.js';
import { getRecommender, RECOMMENDERS } from './models.js';

/**
 * What `auto` compares by default: the baseline and one of each family, sequence models in their
 * strongest registered form (SASRec mixed with transitions: its fit is shared with plain `sasrec`).
 */
export const AUTO_CANDIDATES = [
  'popularity',
  'item-knn',
  'transition',
  'transition-multistep',
  'als',
  'bpr',
  'ease',
  'sasrec-transition',
];

export interface TrainRecommendOptions {
  /** A registered model name, or 'auto' (default). */
  readonly model?: string;
  /** The models `auto` compares (default AUTO_CANDIDATES that are registered). */
  readonly candidates?: readonly string[];
  readonly seed?: number;
  /** Called as each evaluated model finishes, and before the final fit. */
  readonly onStep?: (label: string) => void;
}

export interface TrainRecommendResult {
  readonly bundle: RecommendBundle;
  readonly evaluation: RecommendEvaluation;
  readonly metrics: Record<string, unknown>;
  readonly trainedOn: Record<string, unknown>;
}

/** Leave-last-out needs users with 3+ interactions; below this many such users there is nothing to measure. */
export const MIN_EVALUABLE_USERS = 10;

export async function trainRecommendations(
  d: InteractionData,
  options: TrainRecommendOptions = {},
): Promise<TrainRecommendResult> {
  const requested = options.model ?? 'auto';
  if (requested !== 'auto') getRecommender(requested); // unknown names fail before any work
  if (d.itemIds.length === 0) {
    throw new Error('no interactions to learn from: import orders or product events first');
  }
  const candidates =
    requested === 'auto'
      ? (options.candidates ?? AUTO_CANDIDATES).filter((m) => m in RECOMMENDERS)
      : [...new Set([requested, 'popularity'])];
  for (const c of candidates) getRecommender(c);
  const evaluation = await evaluateRecommenders(d.data.sequences, candidates, {
    seed: options.seed ?? 1,
    extra: d.data.itemCategories ? { itemCategories: d.data.itemCategories } : {},
    onModel: (row) => options.onStep?.(`evaluated ${row.model}`),
  });
  if (evaluation.validationCases < MIN_EVALUABLE_USERS) {
    throw new Error(
      `only ${evaluation.validationCases} customers have 3 or more interactions; at least ` +
        `${MIN_EVALUABLE_USERS} are needed to measure a recommender (leave-last-out)`,
    );
  }
  const model = requested === 'auto' ? evaluation.best : requested;
  options.onStep?.(`fitting ${model} on all interactions`);
  const bundle = await trainBundle(d, model, { seed: options.seed ?? 1 });
  const row = evaluation.rows.find((r) => r.model === model)!;
  const pop = evaluation.rows.find((r) => r.model === 'popularity');
  const metrics: Record<string, unknown> = {
    testNdcg10: row.test.ndcg[10],
    testHr10: row.test.hr[10],
    validationNdcg10: row.validation.ndcg[10],
    popularityNdcg10: pop?.test.ndcg[10] ?? null,
    popularityHr10: pop?.test.hr[10] ?? null,
    testCases: evaluation.testCases,
    compared: evaluation.rows.map((r) => ({
      model: r.model,
      validationNdcg10: r.validation.ndcg[10],
      testNdcg10: r.test.ndcg[10],
      testHr10: r.test.hr[10],
      trainSeconds: r.trainSeconds,
    })),
    skipped: evaluation.skipped,
    protocol: evaluation.protocol,
  };
  const trainedOn = {
    users: d.userIds.length,
    items: d.itemIds.length,
    interactions: d.data.sequences.itemIds.length,
  };
  return { bundle, evaluation, metrics, trainedOn };
}
