/**
 * Issue 4, "Recommendations", must show: on Amazon Beauty (leave-last-out, full ranking) the
 * baselines land on the issue's reference figures and the best registered model clears the floor;
 * on Online Retail (temporal split) every model side by side with popularity.
 */
import { loadInteractions } from '../../src/features/interactions.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import type { Sequences } from '../../src/ml/recommend/types.js';
import {
  evaluateRecommenders,
  evaluateTemporal,
  formatRecommendTable,
  type RecommendEvaluation,
} from '../../src/tasks/recommend/evaluate.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import {
  afterLooking,
  atLeast,
  equals,
  holds,
  missing,
  within,
  type Check,
  type SuiteResult,
} from '../check.js';
import { dataset } from '../datasets.js';

const SUITE = 'recommend: Beauty';
/** SHOPSIGHT_RECOMMEND_MODELS=popularity,item-knn runs only these (quick iterations); default: every registered model. */
const MODELS = process.env['SHOPSIGHT_RECOMMEND_MODELS']?.split(',').filter(Boolean);
/** The same for the Online Retail temporal split (default: MODELS). */
const RETAIL_MODELS = process.env['SHOPSIGHT_RECOMMEND_RETAIL_MODELS']?.split(',').filter(Boolean) ?? MODELS;
const ISSUE = 'issue 4 reference (same protocol)';
const README = 'shared/datasets/README.md';
/**
 * Relative tolerance on the reference figures. Set in the commit that first measured them
 * (2763d70), with the reason "the issue gives 3-4 digits; rounding and float32 noise stay well
 * inside": item-kNN and transition do land within 0.3%, but popularity sits 3.5% under its
 * reference, which rounding does not explain, and 5% admits that gap. So it counts as chosen after
 * looking.
 */
const TOLERANCE = 0.05;
const TOLERANCE_SOURCE = afterLooking(
  `±${TOLERANCE * 100}% set with the measured figures in view (popularity 3.5% under; see docs/recommendations.md)`,
);
/** The issue's floors for the best model (issue 4's must-show). */
const FLOOR = 'issue 4 floor (stated in the issue)';

const REFERENCE: Record<string, { hr10: number; ndcg10: number }> = {
  popularity: { hr10: 0.0141, ndcg10: 0.0063 },
  'item-knn': { hr10: 0.0645, ndcg10: 0.0377 },
  transition: { hr10: 0.0868, ndcg10: 0.0573 },
};

function log(prefix: string) {
  return (r: { model: string; test: { hr: Record<number, number>; ndcg: Record<number, number> } }): void =>
    console.log(
      `  ${prefix} ${r.model}: HR@10 ${r.test.hr[10]!.toFixed(4)} NDCG@10 ${r.test.ndcg[10]!.toFixed(4)}`,
    );
}

function section(title: string, r: RecommendEvaluation, notes: string[]): string {
  const skipped = r.skipped.map((s) => `${s.model} (${s.reason})`).join(', ');
  return [
    `### ${title}`,
    '',
    formatRecommendTable(r.rows, r.best),
    `Protocol: ${r.protocol}. Test cases: ${r.testCases}; validation cases: ${r.validationCases}.`,
    ...notes,
    skipped ? `Not run: ${skipped}.` : '',
    '',
  ].join('\n');
}

async function beauty(checks: Check[]): Promise<string> {
  const wh = await DuckDBWarehouse.open(':memory:');
  await importSource(wh, { target: dataset('amazon-beauty', 'Beauty.txt'), preset: getPreset('sequences') });
  const d = await loadInteractions(wh);
  await wh.close();
  checks.push(
    equals(SUITE, 'users', 22_363, d.userIds.length, README),
    equals(SUITE, 'items', 12_101, d.itemIds.length, README),
    equals(SUITE, 'interactions', 198_502, d.data.sequences.itemIds.length, README),
  );
  // The sequences preset's timestamps only encode order (n seconds after 2000-01-01), so time-decay
  // models have nothing real to decay over: drop the times and let the evaluator skip them.
  const { times: _synthetic, ...seqs } = d.data.sequences;
  const r = await evaluateRecommenders(seqs as Sequences, MODELS, { onModel: log('Beauty') });
  for (const [model, ref] of Object.entries(REFERENCE)) {
    const row = r.rows.find((x) => x.model === model);
    const source = `${ISSUE}; ${TOLERANCE_SOURCE}`;
    if (!row) {
      const why = `${model} not evaluated (not registered, or left out by SHOPSIGHT_RECOMMEND_MODELS)`;
      checks.push(
        missing(SUITE, `${model} HR@10`, String(ref.hr10), why, source),
        missing(SUITE, `${model} NDCG@10`, String(ref.ndcg10), why, source),
      );
      continue;
    }
    checks.push(
      within(SUITE, `${model} HR@10`, ref.hr10, row.test.hr[10]!, TOLERANCE, source),
      within(SUITE, `${model} NDCG@10`, ref.ndcg10, row.test.ndcg[10]!, TOLERANCE, source),
    );
  }
  const best = r.rows.find((x) => x.model === r.best);
  if (best) {
    checks.push(
      atLeast(SUITE, `best model by validation (${r.best}) NDCG@10`, 0.058, best.test.ndcg[10]!, FLOOR),
      atLeast(SUITE, `best model by validation (${r.best}) HR@10`, 0.088, best.test.hr[10]!, FLOOR),
    );
  } else {
    checks.push(
      missing(SUITE, 'best model by validation NDCG@10', '>= 0.058', 'no model evaluated', FLOOR),
      missing(SUITE, 'best model by validation HR@10', '>= 0.088', 'no model evaluated', FLOOR),
    );
  }
  return section('Amazon Beauty: leave-last-out, full ranking', r, [
    `Reference figures (issue 4, same protocol): popularity HR@10 0.0141 / NDCG@10 0.0063; item-kNN 0.0645 / 0.0377; transition + 0.1 x item-kNN 0.0868 / 0.0573; checks allow ±${TOLERANCE * 100}%.`,
    `The best model is chosen by VALIDATION NDCG@10 (the test column never chooses); "train s" is one fit on the training part, wall time on a shared 2-core machine.`,
  ]);
}

async function onlineRetail(checks: Check[]): Promise<string> {
  const suite = 'recommend: Online Retail';
  const wh = await DuckDBWarehouse.open(':memory:');
  await importSource(wh, {
    target: dataset('online-retail', 'online_retail.csv.gz'),
    preset: getPreset('online-retail'),
  });
  const d = await loadInteractions(wh);
  await wh.close();
  const cutoff = new Date('2011-11-09T00:00:00Z');
  const r = await evaluateTemporal(d.data.sequences, cutoff, RETAIL_MODELS, {
    onModel: log('Online Retail'),
    extra: { itemCategories: d.data.itemCategories! },
  });
  const pop = r.rows.find((x) => x.model === 'popularity');
  const best = r.rows.find((x) => x.model === r.best);
  const beatsName = `best model by validation (${r.best || 'none'}) beats popularity on test NDCG@10`;
  const beatsSource =
    'baseline measured in the same run (a personalised model should beat the non-personalised floor)';
  if (pop && best) {
    checks.push(
      holds(
        suite,
        beatsName,
        best.test.ndcg[10]! > pop.test.ndcg[10]!,
        `${best.test.ndcg[10]!.toFixed(4)} vs ${pop.test.ndcg[10]!.toFixed(4)}`,
        beatsSource,
      ),
    );
  } else {
    const why = pop
      ? 'no model evaluated'
      : 'popularity not evaluated (left out by SHOPSIGHT_RECOMMEND_RETAIL_MODELS)';
    checks.push(missing(suite, beatsName, 'true', why, beatsSource));
  }
  const vsPop = pop
    ? r.rows.map((x) => `${x.model} ${(x.test.ndcg[10]! / pop.test.ndcg[10]!).toFixed(2)}x`).join(', ')
    : '';
  return section('Online Retail: temporal split at 2011-11-09', r, [
    `Interactions: sales order lines of known customers, merchandise only (${d.userIds.length} customers, ${d.itemIds.length} products). NDCG@10 relative to popularity: ${vsPop}.`,
  ]);
}

export async function recommend(): Promise<SuiteResult> {
  const checks: Check[] = [];
  const parts = ['## Recommendations', '', await beauty(checks), await onlineRetail(checks)];
  return { checks, report: parts.join('\n') };
}
