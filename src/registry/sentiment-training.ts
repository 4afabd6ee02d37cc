/**
 * @module registry/sentiment-training
 * Train the review sentiment model on a store's reviews and keep it in the registry (task
 * `sentiment`), and load the promoted one for scoring: the glue `shopsight train sentiment`,
 * `shopsight reviews score` and the reviews insight share.
 *
 * @example
 *   const { record, evaluation } = await trainAndRegisterSentiment(wh, { seed: 12 });
 *   const { model } = await loadSentimentModel(wh); // the promoted version
 */
import type { ModelRecord } from '../schema/models.js';
import {
  sentimentFromArtifact,
  sentimentToArtifact,
  SENTIMENT_KIND,
} from '../tasks/reviews/sentiment-artifact.js';
import type { SentimentModel } from '../tasks/reviews/sentiment-model.js';
import {
  trainSentimentFromStore,
  type SentimentEvaluation,
  type SentimentTraining,
} from '../tasks/reviews/train-sentiment.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadModel, saveModel } from './registry.js';

export const SENTIMENT_TASK = 'sentiment';

export interface SentimentRegistration extends SentimentTraining {
  /** Serve the new version (default true). */
  readonly promote?: boolean;
}

export async function trainAndRegisterSentiment(
  wh: Warehouse,
  options: SentimentRegistration = {},
): Promise<{ record: ModelRecord; evaluation: SentimentEvaluation }> {
  const { model, evaluation } = await trainSentimentFromStore(wh, options);
  const { overall, lexicon, byCategory, ...protocol } = evaluation;
  const record = await saveModel(
    wh,
    {
      task: SENTIMENT_TASK,
      artifact: sentimentToArtifact(model),
      trainedOn: {
        reviews: evaluation.reviews,
        distinctTexts: evaluation.distinctTexts,
        train: evaluation.train,
      },
      params: {
        l2: model.logistic.l2,
        vectoriser: model.vectoriser.options,
        features: model.vectoriser.cols,
        platt: model.platt,
        scripts: model.scripts,
      },
      metrics: {
        accuracy: overall.accuracy,
        macroF1: overall.macroF1,
        rocAuc: overall.rocAuc,
        brier: overall.brier,
        ece: overall.ece,
        lexiconAccuracy: lexicon.accuracy,
        byCategory: byCategory.map((c) => ({
          category: c.group,
          n: c.metrics.n,
          accuracy: c.metrics.accuracy,
        })),
        protocol,
      },
    },
    { promote: options.promote ?? true },
  );
  return { record, evaluation };
}

/** The promoted sentiment model (or a given version); throws with a hint when none was trained. */
export async function loadSentimentModel(
  wh: Warehouse,
  version: number | 'promoted' = 'promoted',
): Promise<{ record: ModelRecord; model: SentimentModel }> {
  const { record, artifact } = await loadModel(wh, SENTIMENT_TASK, version);
  if (artifact.kind !== SENTIMENT_KIND)
    throw new Error(`sentiment model ${record.modelId} is a '${artifact.kind}'`);
  return { record, model: sentimentFromArtifact(artifact) };
}
