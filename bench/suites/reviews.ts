/**
 * Review sentiment (issue 12): training on the 50,174 distinct Chinese texts of reviews-zh (imported
 * with the labelled-reviews preset; vectorise, fit on 85%, calibrate, refit on all) and scoring
 * 100,348 reviews (those texts twice, through the text checks, the vectoriser and the model). Targets from
 * the issue: training < 60 s, scoring 100,000 < 20 s. Baseline in the same run: the lexicon
 * fallback over the same texts (no model), and the vectorising step alone. Last, what `shopsight
 * reviews` stores per review (score and aspects) for the 50,174 texts, with no target.
 */
import { loadReviewTexts } from '../../src/features/review-texts.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { fitTextVectoriser } from '../../src/ml/text/text-vectoriser.js';
import { lexiconScore } from '../../src/tasks/reviews/lexicon.js';
import {
  scoreSentiment,
  SENTIMENT_VECTORISER,
  trainSentimentModel,
} from '../../src/tasks/reviews/sentiment-model.js';
import { modelScorer, scoreReviews } from '../../src/tasks/reviews/score-reviews.js';
import { distinctLabelledTexts } from '../../src/tasks/reviews/train-sentiment.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { dataset } from '../../eval/datasets.js';
import type { BenchContext } from '../context.js';

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

export async function reviews({ report }: BenchContext): Promise<void> {
  const wh = await DuckDBWarehouse.open(':memory:');
  let data;
  try {
    await importSource(wh, {
      target: dataset('reviews-zh', 'online_shopping_10_cats_dev.csv'),
      preset: getPreset('labelled-reviews'),
    });
    const t = await loadReviewTexts(wh);
    data = distinctLabelledTexts({ text: t.text, target: t.target, category: t.category });
  } finally {
    await wh.close();
  }

  let t0 = performance.now();
  fitTextVectoriser(data.text, SENTIMENT_VECTORISER);
  const vectorise = seconds(t0);
  t0 = performance.now();
  const cpu = process.cpuUsage();
  const model = trainSentimentModel(data.text, data.label, { seed: 12 });
  const train = seconds(t0);
  const used = process.cpuUsage(cpu);
  report({
    name: `train sentiment on ${data.text.length.toLocaleString('en-US')} distinct Chinese reviews (${model.vectoriser.cols.toLocaleString('en-US')} features)`,
    figure: `${train.toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`,
    baseline: `vectorising alone ${vectorise.toFixed(1)} s`,
    target: '< 60 s',
    ok: train < 60,
  });

  const texts = [...data.text, ...data.text];
  t0 = performance.now();
  const scores = scoreSentiment(model, texts);
  const score = seconds(t0);
  t0 = performance.now();
  for (const text of texts) lexiconScore(text);
  const lexicon = seconds(t0);
  report({
    name: `score ${texts.length.toLocaleString('en-US')} reviews (checks, vectorise, model; ${scores.filter((s) => s.label === null).length} refused)`,
    figure: `${score.toFixed(1)} s (${Math.round(texts.length / score).toLocaleString('en-US')} reviews/s)`,
    baseline: `lexicon fallback ${lexicon.toFixed(1)} s`,
    target: '< 20 s',
    ok: score < 20,
  });

  // What `shopsight reviews` and training store per review: the score and the aspects (ICU words).
  const ids = data.text.map((_, i) => String(i));
  t0 = performance.now();
  const rows = scoreReviews(modelScorer(model, 'sentiment@bench'), ids, data.text);
  const stored = seconds(t0);
  report({
    name: `score and find aspects of ${data.text.length.toLocaleString('en-US')} reviews (what review_scores keeps; ${rows.reduce((n, r) => n + r.aspects.length, 0).toLocaleString('en-US')} aspect mentions)`,
    figure: `${stored.toFixed(1)} s (${Math.round(data.text.length / stored).toLocaleString('en-US')} reviews/s)`,
    baseline: `sentiment alone ${((score * data.text.length) / texts.length).toFixed(1)} s`,
    target: 'none in the issue',
    ok: true,
  });
}
