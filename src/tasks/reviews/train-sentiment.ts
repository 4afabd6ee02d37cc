/**
 * @module tasks/reviews/train-sentiment
 * Train the review sentiment model on a store's reviews and measure it on reviews it never saw.
 *
 * Protocol (the same for `shopsight train sentiment` and the eval suite):
 *   1. targets: the source's label, else stars 4-5 positive / 1-2 negative; 3 stars are left out;
 *   2. duplicates: identical texts are kept once (Amazon dumps repeat a review once per product
 *      variant; a text in both parts of a split would be scored on its own label); a text given
 *      both labels is dropped;
 *   3. a seeded split of the distinct texts, 80% to train, 20% to test;
 *   4. the model (sentiment-model.ts, calibration inside the 80%) is trained on the 80% and scored
 *      on the 20%: accuracy, macro-F1, ROC-AUC, Brier, calibration error, overall and per category;
 *      the lexicon fallback is scored on the same 20% as the simple reference.
 * The stored model is the one measured (trained on the 80%), so its metrics describe it exactly.
 *
 * @example
 *   const { model, evaluation } = await trainSentimentFromStore(wh, { seed: 12 });
 *   evaluation.overall.accuracy; // e.g. 0.94 on reviews-zh
 */
import { loadReviewTexts } from '../../features/review-texts.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { lexiconScore } from './lexicon.js';
import {
  scoreSentiment,
  trainSentimentModel,
  type SentimentModel,
  type SentimentTrainOptions,
} from './sentiment-model.js';
import { binaryMetrics, metricsByGroup, type BinaryMetrics } from './sentiment-metrics.js';
import { seededSplit } from './split.js';

export interface SentimentData {
  readonly text: readonly string[];
  /** 1, 0, or NaN (left out). */
  readonly target: ArrayLike<number>;
  readonly category: readonly (string | null)[];
}

export interface SentimentEvaluation {
  /** Reviews with text read from the store. */
  readonly reviews: number;
  /** Left out: 3 stars or no label. */
  readonly neutralLeftOut: number;
  /** Repeats of a text already counted (same text, same label). */
  readonly duplicatesDropped: number;
  /** Texts given both labels, dropped. */
  readonly conflictingDropped: number;
  readonly distinctTexts: number;
  readonly train: number;
  readonly test: number;
  readonly seed: number;
  readonly testShare: number;
  readonly overall: BinaryMetrics;
  readonly byCategory: { group: string; metrics: BinaryMetrics }[];
  /** The lexicon fallback on the same test texts. */
  readonly lexicon: BinaryMetrics;
  /** Test texts the checks refused (scored as wrong: counted in the metrics with probability 0.5). */
  readonly cannotScore: number;
  readonly trainSeconds: number;
}

export interface SentimentTraining extends SentimentTrainOptions {
  /** Share of distinct texts kept for the test; default 0.2. */
  readonly testShare?: number;
}

/** Distinct labelled texts: one row per text, conflicting ones dropped (see the module comment). */
export function distinctLabelledTexts(data: SentimentData): {
  text: string[];
  label: Int32Array;
  category: (string | null)[];
  neutral: number;
  duplicates: number;
  conflicting: number;
} {
  const first = new Map<string, number>();
  const label = new Map<string, number>();
  const conflicted = new Set<string>();
  let neutral = 0;
  for (let i = 0; i < data.text.length; i++) {
    const y = data.target[i]!;
    if (y !== 0 && y !== 1) {
      neutral++;
      continue;
    }
    const key = data.text[i]!.trim();
    const seen = label.get(key);
    if (seen === undefined) {
      first.set(key, i);
      label.set(key, y);
    } else if (seen !== y) conflicted.add(key);
  }
  const rows = [...first].filter(([key]) => !conflicted.has(key)).map(([, i]) => i);
  let conflicting = 0;
  for (let i = 0; i < data.text.length; i++) {
    const y = data.target[i]!;
    if ((y === 0 || y === 1) && conflicted.has(data.text[i]!.trim())) conflicting++;
  }
  return {
    text: rows.map((i) => data.text[i]!),
    label: Int32Array.from(rows, (i) => data.target[i]!),
    category: rows.map((i) => data.category[i] ?? null),
    neutral,
    duplicates: data.text.length - neutral - rows.length - conflicting,
    conflicting,
  };
}

export function trainAndEvaluateSentiment(
  data: SentimentData,
  options: SentimentTraining = {},
): { model: SentimentModel; evaluation: SentimentEvaluation } {
  const seed = options.seed ?? 12;
  const testShare = options.testShare ?? 0.2;
  const d = distinctLabelledTexts(data);
  const { first: trainRows, second: testRows } = seededSplit(d.text.length, 1 - testShare, seed);
  const pick = <T>(rows: Int32Array, xs: readonly T[]): T[] => Array.from(rows, (r) => xs[r]!);
  const started = performance.now();
  const model = trainSentimentModel(
    pick(trainRows, d.text),
    Int32Array.from(trainRows, (r) => d.label[r]!),
    { ...options, seed },
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const testText = pick(testRows, d.text);
  const y = Int32Array.from(testRows, (r) => d.label[r]!);
  const scores = scoreSentiment(model, testText);
  // A refused text counts as undecided (0.5): it lowers the figures instead of leaving them.
  const p = scores.map((s) => s.probability ?? 0.5);
  const lexicon = testText.map((t) => lexiconScore(t).probability);
  return {
    model,
    evaluation: {
      reviews: data.text.length,
      neutralLeftOut: d.neutral,
      duplicatesDropped: d.duplicates,
      conflictingDropped: d.conflicting,
      distinctTexts: d.text.length,
      train: trainRows.length,
      test: testRows.length,
      seed,
      testShare,
      overall: binaryMetrics(y, p),
      byCategory: metricsByGroup(pick(testRows, d.category), y, p),
      lexicon: binaryMetrics(y, lexicon),
      cannotScore: scores.filter((s) => s.probability === null).length,
      trainSeconds,
    },
  };
}

export async function trainSentimentFromStore(
  wh: Warehouse,
  options: SentimentTraining = {},
): Promise<{ model: SentimentModel; evaluation: SentimentEvaluation }> {
  const r = await loadReviewTexts(wh);
  return trainAndEvaluateSentiment({ text: r.text, target: r.target, category: r.category }, options);
}
