/**
 * @module assistant/knowledge/intent-classifier
 * What a shopper wants (the intent labels of the knowledge base), from their words: word and
 * character n-gram TF-IDF (ml/text/text-vectoriser: ICU words, Chinese included) and a multinomial
 * L2 logistic regression over the sparse rows (ml/linear/sparse-logistic), trained on the knowledge
 * entries' questions. Beside retrieval, not instead of it: the classifier names the intent, the
 * retriever finds the passages.
 */
import {
  predictProbaSparse,
  trainSparseLogistic,
  type SparseLogisticModel,
} from '../../ml/linear/sparse-logistic.js';
import {
  fitTextVectoriser,
  transformTexts,
  type TextVectoriser,
  type TextVectoriserOptions,
} from '../../ml/text/text-vectoriser.js';

/** Words and bigrams plus character 2-4-grams of every script, sublinear tf. */
export const INTENT_VECTORISER: TextVectoriserOptions = {
  words: { ngram: [1, 2], negation: false, minDf: 1 },
  chars: { ngram: [2, 4], cjkOnly: false, minDf: 2 },
  sublinearTf: true,
};

/** L2 penalty of the averaged loss; chosen on a validation part of the training 80% (docs/assistant.md). */
export const INTENT_L2 = 1e-3;

export interface IntentPrediction {
  readonly intent: string;
  readonly probability: number;
}

export class IntentClassifier {
  private constructor(
    readonly intents: readonly string[],
    private readonly vectoriser: TextVectoriser,
    private readonly model: SparseLogisticModel,
  ) {}

  /** Trains on (text, intent) pairs; needs at least two intents. */
  static train(
    examples: readonly { readonly text: string; readonly intent: string }[],
    options: { l2?: number; vectoriser?: TextVectoriserOptions } = {},
  ): IntentClassifier {
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    if (intents.length < 2)
      throw new Error(`intent classifier: needs two intents or more (found ${intents.length})`);
    const index = new Map(intents.map((s, i) => [s, i]));
    const { vectoriser, matrix } = fitTextVectoriser(
      examples.map((e) => e.text),
      options.vectoriser ?? INTENT_VECTORISER,
    );
    const model = trainSparseLogistic({
      x: matrix,
      labels: examples.map((e) => index.get(e.intent)!),
      classes: Math.max(2, intents.length),
      l2: options.l2 ?? INTENT_L2,
      maxIterations: 300,
    });
    return new IntentClassifier(intents, vectoriser, model);
  }

  /** The intents of each text, most probable first. */
  predict(texts: readonly string[], top = 3): IntentPrediction[][] {
    const k = this.intents.length;
    const proba = predictProbaSparse(this.model, transformTexts(this.vectoriser, texts));
    return texts.map((_, i) => {
      const row = Array.from(proba.subarray(i * k, (i + 1) * k));
      return row
        .map((p, c) => ({ intent: this.intents[c]!, probability: p }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, top);
    });
  }
}
