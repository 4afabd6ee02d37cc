/**
 * @module tasks/reviews/sentiment-model
 * Review sentiment from text: TF-IDF words (negation marked) + character n-grams
 * (ml/text/text-vectoriser) into an L2 logistic regression (ml/linear/sparse-logistic), with a
 * calibrated probability of "positive":
 *
 *   1. the training rows are split (seeded) into a fitting part and a calibration part (15%);
 *   2. a model is fitted on the fitting part and Platt scaling, p = sigmoid(a z + b), is fitted on
 *      its decision values z over the calibration part (rows it never saw);
 *   3. the model is refitted on all training rows and keeps (a, b): scikit-learn's
 *      CalibratedClassifierCV(ensemble=False) with one split instead of k. The refit sees 18% more
 *      rows, so its margins are slightly wider than the ones (a, b) were fitted on; docs/reviews.md
 *      reports the calibration measured on held-out rows.
 *
 * Scoring checks each text first (text-check.ts): empty, emoji-only or unknown-script text gets
 * "cannot score" with the reason; a very long text is scored on its beginning, with a note.
 *
 * @example
 *   const model = trainSentimentModel(texts, labels, { seed: 12 });
 *   scoreSentiment(model, ['质量很好', '']); // [{ label: 1, probability: 0.97 }, { label: null, reason: 'empty text' }]
 */
import { trainLogistic } from '../../ml/linear/logistic.js';
import {
  decisionFunctionSparse,
  trainSparseLogistic,
  type SparseLogisticModel,
} from '../../ml/linear/sparse-logistic.js';
import { selectRows } from '../../ml/sparse/csr.js';
import {
  fitTextVectoriser,
  transformTexts,
  type TextVectoriser,
  type TextVectoriserOptions,
} from '../../ml/text/text-vectoriser.js';
import { seededSplit } from './split.js';
import { checkReviewText, corpusScripts, DEFAULT_MAX_CHARS } from './text-check.js';

export interface SentimentModel {
  readonly vectoriser: TextVectoriser;
  readonly logistic: SparseLogisticModel;
  /** Platt scaling of the decision value z: p = sigmoid(a z + b). */
  readonly platt: { readonly a: number; readonly b: number };
  /** Scripts of the training texts (text-check refuses text mostly in others). */
  readonly scripts: readonly string[];
  readonly maxChars: number;
  readonly trainedRows: number;
}

export interface SentimentTrainOptions {
  readonly vectoriser?: TextVectoriserOptions;
  /** L2 penalty of the logistic regression (1 / C); docs/reviews.md has the comparison that chose it. */
  readonly l2?: number;
  /** Share of the training rows held out to fit the calibration; default 0.15. */
  readonly calibrationShare?: number;
  readonly seed?: number;
  /** L-BFGS iteration cap per fit; default 200. */
  readonly maxIterations?: number;
  /** Called between steps (vectorise, fit, calibrate, refit) for progress. */
  readonly onStep?: (step: string) => void;
}

export const DEFAULT_SENTIMENT_L2 = 0.3;

/**
 * Words by the fast regex path (English, negation marked, with bigrams) and character 1-3 grams of
 * Chinese: ICU's Chinese words added nothing measurable over the character n-grams and cost most of
 * the vectorising time (docs/reviews.md).
 */
export const SENTIMENT_VECTORISER: TextVectoriserOptions = {
  words: { ngram: [1, 2], negation: true, minDf: 2, segmenter: 'spaces' },
  chars: { ngram: [1, 3], cjkOnly: true, minDf: 2 },
  sublinearTf: true,
};
/** scikit-learn's default tolerance (tol=1e-4): finer changes no decision at this scale. */
const GRADIENT_TOLERANCE = 1e-4;

export interface SentimentScore {
  /** 1 positive, 0 negative; null when the text cannot be scored. */
  readonly label: 0 | 1 | null;
  /** Calibrated p(positive); null when the text cannot be scored. */
  readonly probability: number | null;
  /** Why the text cannot be scored. */
  readonly reason?: string;
  /** Something the caller should know about a score (a long text scored on its beginning). */
  readonly note?: string;
}

export function trainSentimentModel(
  texts: readonly string[],
  labels: ArrayLike<number>,
  options: SentimentTrainOptions = {},
): SentimentModel {
  const n = texts.length;
  if (labels.length !== n) throw new Error(`sentiment: ${labels.length} labels for ${n} texts`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new Error(`sentiment: label ${labels[i]} at row ${i} (need 0 or 1)`);
    positives += labels[i]!;
  }
  if (n < 20 || positives < 5 || n - positives < 5) {
    throw new Error(
      `sentiment: ${n} labelled reviews (${positives} positive, ${n - positives} negative) are too few to train on: ` +
        'need at least 20 with 5 of each; without labels, score with the lexicon fallback',
    );
  }
  const l2 = options.l2 ?? DEFAULT_SENTIMENT_L2;
  const maxIterations = options.maxIterations ?? 200;
  const step = options.onStep ?? (() => undefined);

  step('vectorise');
  const { vectoriser, matrix } = fitTextVectoriser(texts, options.vectoriser ?? SENTIMENT_VECTORISER);
  const y = Int32Array.from(labels);
  const fit = (rows: Int32Array | null, initial?: SparseLogisticModel): SparseLogisticModel =>
    trainSparseLogistic({
      x: rows ? selectRows(matrix, rows) : matrix,
      labels: rows ? Int32Array.from(rows, (r) => y[r]!) : y,
      l2,
      maxIterations,
      gradientTolerance: GRADIENT_TOLERANCE,
      ...(initial ? { initial } : {}),
    });

  step('fit');
  const { first: fitRows, second: calRows } = seededSplit(
    n,
    1 - (options.calibrationShare ?? 0.15),
    options.seed ?? 12,
  );
  const partial = fit(fitRows);
  step('calibrate');
  const z = decisionFunctionSparse(partial, selectRows(matrix, calRows));
  const platt = fitPlatt(
    z,
    Float32Array.from(calRows, (r) => y[r]!),
  );
  step('refit');
  // From the 85% model: the refit's solution is near it, so L-BFGS needs fewer passes to reach the
  // same tolerance (the objective is strictly convex: one minimiser, whatever the start).
  const logistic = fit(null, partial);
  return {
    vectoriser,
    logistic,
    platt,
    scripts: corpusScripts(texts),
    maxChars: DEFAULT_MAX_CHARS,
    trainedRows: n,
  };
}

/**
 * One-feature logistic regression of the labels on the decision values. A unit penalty on the
 * standardised slope keeps it finite when the calibration rows are separable (small corpora); on
 * thousands of rows it changes nothing measurable.
 */
export function fitPlatt(z: Float64Array, y: Float32Array): { a: number; b: number } {
  const m = trainLogistic({ features: Float32Array.from(z), rows: z.length, cols: 1, labels: y, l2: 1 });
  return { a: m.coef[0]!, b: m.intercept };
}

/** Calibrated p(positive) of texts known to be scorable (no checks). */
export function sentimentProbabilities(model: SentimentModel, texts: readonly string[]): Float64Array {
  const z = decisionFunctionSparse(model.logistic, transformTexts(model.vectoriser, texts));
  const { a, b } = model.platt;
  return z.map((v) => 1 / (1 + Math.exp(-(a * v + b))));
}

/** Scores each text (in order), with "cannot score" and its reason where a text fails the checks. */
export function scoreSentiment(
  model: SentimentModel,
  texts: readonly (string | null | undefined)[],
): SentimentScore[] {
  const checks = texts.map((t) => checkReviewText(t, model.scripts, model.maxChars));
  const scorable: string[] = [];
  for (const c of checks) if (c.ok) scorable.push(c.text);
  const p = sentimentProbabilities(model, scorable);
  let k = 0;
  return checks.map((c): SentimentScore => {
    if (!c.ok) return { label: null, probability: null, reason: c.reason };
    const probability = p[k++]!;
    const score: SentimentScore = { label: probability >= 0.5 ? 1 : 0, probability };
    return c.note ? { ...score, note: c.note } : score;
  });
}
