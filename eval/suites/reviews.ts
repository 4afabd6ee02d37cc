/**
 * Issue 12 "Review intelligence": review sentiment on the two review datasets, through the same
 * code as `shopsight import --preset ...` and `shopsight train sentiment` (import into DuckDB,
 * targets from labels or stars, distinct texts, seeded 80/20 split, model + calibration trained on
 * the 80%, measured on the 20%), with the lexicon fallback as the simple reference beside it.
 *
 * - reviews-zh: the dataset README's counts; accuracy floor 0.93 from the issue (its reference,
 *   TF-IDF character 1-3 grams + logistic regression on data of this kind: accuracy 0.937, ROC-AUC
 *   0.979); per-category figures in the report.
 * - amazon-fashion-reviews: the issue's 439 distinct review texts; sentiment from stars (4-5 / 1-2,
 *   3 left out), texts deduplicated before the split.
 * - the bad inputs of the issue, scored by the reviews-zh model: each gets a result or a reason.
 *
 * Time: 14 min 54 s wall but 73 s of CPU at a load average of 20-27 on the 2-core machine shared by
 * about 7 engineers (training on reviews-zh is most of it); after the speed work of the next
 * session 360 s wall at a load of 20-23 (training 307 s wall, about 55 s of CPU); issue 12's third
 * session: 392 s wall, 97 s user CPU for the whole `npm run eval` process (build included) at a
 * load of 20-28; the lead's quiet bench trains in 29.3 s, so a quiet run should stay under 2.5 min.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReviewTexts } from '../../src/features/review-texts.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { aspectAgreement, type LabelledAspects } from '../../src/tasks/reviews/aspect-agreement.js';
import { scoreSentiment } from '../../src/tasks/reviews/sentiment-model.js';
import type { BinaryMetrics } from '../../src/tasks/reviews/sentiment-metrics.js';
import {
  trainAndEvaluateSentiment,
  type SentimentEvaluation,
} from '../../src/tasks/reviews/train-sentiment.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { afterLooking, atLeast, equals, holds, type Check, type SuiteResult } from '../check.js';
import { dataset, PROJECT_ROOT } from '../datasets.js';

const README = 'shared/datasets/README.md and reviews-zh/README.md';
const ISSUE = 'issue 12, Must show';
const SEED = 12;

function metricsRow(name: string, m: BinaryMetrics): string {
  const f = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));
  return `| ${name} | ${m.n} | ${f(m.positiveShare)} | ${f(m.accuracy)} | ${f(m.macroF1)} | ${f(m.rocAuc)} | ${f(m.brier)} | ${f(m.ece)} |`;
}

function evaluationTable(e: SentimentEvaluation): string {
  return [
    '| test set | reviews | positive share | accuracy | macro-F1 | ROC-AUC | Brier | calibration error (10 bins) |',
    '|---|---|---|---|---|---|---|---|',
    metricsRow('model', e.overall),
    metricsRow('lexicon fallback', e.lexicon),
    ...e.byCategory.map((c) => metricsRow(`model, ${c.group}`, c.metrics)),
  ].join('\n');
}

function protocolLine(e: SentimentEvaluation): string {
  return (
    `${e.reviews} reviews with text; ${e.neutralLeftOut} neutral (3 stars) left out; ${e.duplicatesDropped} repeated texts ` +
    `and ${e.conflictingDropped} texts given both labels dropped before the split; ${e.distinctTexts} distinct texts, ` +
    `${e.train} to train, ${e.test} to test (seed ${e.seed}); training took ${e.trainSeconds.toFixed(1)} s.`
  );
}

async function withStore<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

export async function reviews(): Promise<SuiteResult> {
  const checks: Check[] = [];
  const report: string[] = [];

  // reviews-zh
  let suite = 'reviews: reviews-zh';
  const zh = await withStore(async (wh) => {
    const r = await importSource(wh, {
      target: dataset('reviews-zh', 'online_shopping_10_cats_dev.csv'),
      preset: getPreset('labelled-reviews'),
    });
    const [counts] = await wh.rows<{ pos: number; hotels: number; heaters: number }>(
      `SELECT count(*) FILTER (WHERE label = 1) AS pos, count(*) FILTER (WHERE category = '酒店') AS hotels,
              count(*) FILTER (WHERE category = '热水器') AS heaters FROM reviews`,
    );
    checks.push(
      equals(suite, 'reviews imported (labelled-reviews preset)', 50_218, r.rowsImported, README),
      equals(suite, 'positive reviews', 25_396, counts!.pos, README),
      equals(suite, 'hotel (酒店) reviews', 8_036, counts!.hotels, README),
      equals(suite, 'water heater (热水器) reviews', 469, counts!.heaters, README),
    );
    const t = await loadReviewTexts(wh);
    return trainAndEvaluateSentiment(
      { text: t.text, target: t.target, category: t.category },
      { seed: SEED },
    );
  });
  const e = zh.evaluation;
  checks.push(
    atLeast(
      suite,
      'test accuracy (80/20, seed 12)',
      0.93,
      e.overall.accuracy,
      `${ISSUE}: floor 0.93 (reference 0.937)`,
    ),
    holds(
      suite,
      'model beats the lexicon fallback (accuracy)',
      e.overall.accuracy > e.lexicon.accuracy,
      `${e.overall.accuracy.toFixed(4)} vs ${e.lexicon.accuracy.toFixed(4)}`,
      'the fallback is the simple reference the model must beat',
    ),
    holds(
      suite,
      'every test category reported',
      e.byCategory.length === 10,
      `${e.byCategory.length} categories`,
      'reviews-zh/README.md: 10 categories',
    ),
  );
  report.push(
    '### reviews-zh (Chinese, labelled)',
    '',
    protocolLine(e) +
      ' Reference from the issue (TF-IDF character 1-3 grams + logistic regression on data of this kind): accuracy 0.937, ROC-AUC 0.979.',
    '',
    evaluationTable(e),
  );

  // Bad input, through the reviews-zh model.
  suite = 'reviews: bad input';
  const bad: [string, string][] = [
    ['empty text', ''],
    ['emoji-only text', '😀😀👍'],
    ['mixed Chinese-English text', '质量很好，but the delivery was slow'],
    ['a 1 MB review', '这个手机电池不耐用，'.repeat(104_858)],
    ['text in another script (Cyrillic)', 'Отличный телефон, рекомендую'],
  ];
  const scored = scoreSentiment(
    zh.model,
    bad.map(([, t]) => t),
  );
  const outcome = (s: (typeof scored)[number]): string =>
    s.reason !== undefined
      ? `cannot score: ${s.reason}`
      : `label ${s.label}, p ${s.probability!.toFixed(3)}${s.note ? ` (${s.note})` : ''}`;
  bad.forEach(([name], i) => {
    const s = scored[i]!;
    const answered = (s.label !== null && s.probability !== null) || (s.reason ?? '').length > 0;
    checks.push(
      holds(
        suite,
        name,
        answered,
        outcome(s),
        `${ISSUE}: a result or a clear "cannot score" with the reason`,
      ),
    );
  });
  report.push('', '### Bad input (reviews-zh model)', '', '| input | outcome |', '|---|---|');
  bad.forEach(([name], i) => report.push(`| ${name} | ${outcome(scored[i]!)} |`));

  // amazon-fashion-reviews
  suite = 'reviews: amazon-fashion';
  const fashion = await withStore(async (wh) => {
    const r = await importSource(wh, {
      target: dataset('amazon-fashion-reviews', 'AMAZON_FASHION_5.jsonl'),
      preset: getPreset('amazon-reviews'),
    });
    // The issue's 439 counts a missing reviewText (16 lines have none) as one more value.
    const [d] = await wh.rows<{ texts: number }>(
      "SELECT count(DISTINCT coalesce(body, '')) AS texts FROM reviews",
    );
    checks.push(
      equals(suite, 'lines read (amazon-reviews preset)', 3_176, r.rowsRead, README),
      equals(
        suite,
        'distinct review texts (reviewText, a missing one counted once)',
        439,
        d!.texts,
        `${ISSUE}: "only 439 distinct review texts"`,
      ),
    );
    const t = await loadReviewTexts(wh);
    return trainAndEvaluateSentiment(
      { text: t.text, target: t.target, category: t.category },
      { seed: SEED },
    );
  });
  const f = fashion.evaluation;
  const majority = Math.max(f.overall.positiveShare, 1 - f.overall.positiveShare);
  checks.push(
    atLeast(
      suite,
      'test accuracy above always-the-majority-class',
      majority,
      f.overall.accuracy,
      'a model no better than predicting the majority class has learnt nothing',
    ),
  );
  report.push(
    '',
    '### amazon-fashion-reviews (English, sentiment from stars)',
    '',
    protocolLine(f) +
      ' Texts are the summary and the review joined; the dump repeats a review once per product variant, so identical texts are kept once before the split.',
    '',
    evaluationTable(f),
  );
  aspects(checks, report);
  return { checks, report: report.join('\n') };
}

/**
 * Aspect extraction against eval/aspects/labelled.jsonl: 50 Chinese and 50 English review sentences
 * written and labelled for this project (aspect terms and their polarity). The floors (precision
 * 0.8, recall 0.7 per language) were set after looking at the first run (zh 0.89 / 0.75, en 0.86 /
 * 0.86): they guard against a regression, they are not an independent target.
 */
function aspects(checks: Check[], report: string[]): void {
  const suite = 'reviews: aspects';
  const rows = readFileSync(join(PROJECT_ROOT, 'eval', 'aspects', 'labelled.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LabelledAspects & { lang: string });
  const source = afterLooking('first run zh P 0.89 R 0.75, en P 0.86 R 0.86; a regression guard');
  report.push('', '### Aspects (hand-labelled sentences, eval/aspects/labelled.jsonl)', '');
  report.push(
    '| language | sentences | labelled | found | precision | recall | precision with polarity |',
    '|---|---|---|---|---|---|---|',
  );
  for (const lang of ['zh', 'en']) {
    const a = aspectAgreement(rows.filter((r) => r.lang === lang));
    checks.push(
      equals(suite, `${lang}: labelled sentences`, 50, a.sentences, ISSUE + ': at least 50 per language'),
      atLeast(suite, `${lang}: precision`, 0.8, a.precision, source, 3),
      atLeast(suite, `${lang}: recall`, 0.7, a.recall, source, 3),
    );
    report.push(
      `| ${lang} | ${a.sentences} | ${a.labelled} | ${a.found} | ${a.precision.toFixed(3)} | ${a.recall.toFixed(3)} | ${a.polarityPrecision.toFixed(3)} |`,
    );
  }
}
