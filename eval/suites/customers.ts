/**
 * Issue "Customer intelligence", evaluation: churn, purchase propensity and spend predictions on
 * Online Retail, cutoff 2011-09-09, labels from the following 90 (churn) and 30 (propensity) days,
 * GBDT vs logistic regression vs the RFM rule. Issue 15: churn is judged over ten seeds of the
 * customer split, each with its own tuning (cross-validation inside its fitting part), its own
 * GBDT-vs-logistic choice (on its selection part) and its own test customers; the floors (mean
 * ROC-AUC >= 0.74 and PR-AUC >= 0.65, no seed below ROC-AUC 0.72) hold for the served model. The
 * issue's reference figures (XGBoost on 12 plain RFM-style features, one split): 3,362 customers,
 * churn rate 0.433, XGBoost ROC-AUC 0.732 / PR-AUC 0.655, logistic 0.733 / 0.630, RFM rule
 * 0.720 / 0.617.
 *
 * Issue 17: the served churn model's fairness report on the test customers of seed 42, United
 * Kingdom vs the rest (country), a customer flagged at probability >= 0.5; the report's counts,
 * differences and intervals are checked against a recount here (eval/fairness.ts) from the stored
 * churn artifact rescored on a feature matrix rebuilt in this suite (one more feature build: a few
 * seconds of a run that took 495.5 s under load, load average about 20 on 2 shared cores, most of it
 * the ten seeds).
 */
import { parseCutoff } from '../../src/features/cutoff.js';
import { customerFeatures } from '../../src/features/customer-features.js';
import { customerOutcomes } from '../../src/features/customer-outcomes.js';
import {
  customerGroupValues,
  groupValues,
  UNKNOWN_GROUP,
  REST_GROUP,
  type GroupSpec,
} from '../../src/features/fairness-groups.js';
import { classifierFromArtifact, scoreClassifier } from '../../src/tasks/customers/classifier.js';
import { splitCustomers, take, takeRows } from '../../src/tasks/customers/split.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { ModelArtifact } from '../../src/ml/artifact.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import type { BinaryMetrics } from '../../src/tasks/customers/metrics.js';
import {
  CLASSIFIER_GBDT_GRID,
  CLASSIFIER_LOGISTIC_L2_GRID,
  CV_FOLDS,
} from '../../src/tasks/customers/params.js';
import { churnOverSeeds, seedSummary } from '../../src/tasks/customers/seeds.js';
import { trainCustomerModels, type ClassifierReport } from '../../src/tasks/customers/train.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { atLeast, equals, holds, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';
import { fairnessChecks, fairnessTable } from '../fairness.js';

const SUITE = 'customers: Online Retail churn';
const ISSUE = 'issue 3 (XGBoost reference on 12 RFM-style features)';
const ISSUE_15 = 'issue 15 (ten split seeds)';
/** The default seed, then nine more: fixed before any figure of this protocol was seen. */
export const CHURN_SEEDS = [42, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** Issue 3's reference: XGBoost on 12 plain RFM-style features, one split (no script survives). */
const XGBOOST_REFERENCE = { rocAuc: 0.732, prAuc: 0.655 };
/**
 * XGBoost 1.7.4 (Debian python3-xgboost, scikit-learn 1.2.1) on 12 plain RFM-style features, tuned
 * like Shopsight (5-fold CV inside the 70%, early stopping inside the folds), on exactly these
 * splits' test customers: eval/reference/churn-xgboost.py with eval/reference/churn-splits.ts, run by
 * hand on 2026-12-01. Test ROC-AUC / PR-AUC per seed.
 */
const XGBOOST_SAME_SPLITS: Readonly<Record<number, { rocAuc: number; prAuc: number }>> = {
  42: { rocAuc: 0.7437, prAuc: 0.6596 },
  1: { rocAuc: 0.7623, prAuc: 0.6793 },
  2: { rocAuc: 0.7511, prAuc: 0.6271 },
  3: { rocAuc: 0.754, prAuc: 0.6825 },
  4: { rocAuc: 0.7267, prAuc: 0.6342 },
  5: { rocAuc: 0.7444, prAuc: 0.6198 },
  6: { rocAuc: 0.748, prAuc: 0.6518 },
  7: { rocAuc: 0.7601, prAuc: 0.6672 },
  8: { rocAuc: 0.7382, prAuc: 0.6478 },
  9: { rocAuc: 0.7476, prAuc: 0.635 },
};
const XGBOOST_SCRIPT = 'eval/reference/churn-xgboost.py on the splits of eval/reference/churn-splits.ts';
/** The issue's customer count and churn rate, recounted from the raw file (3,362 and 0.4331). */
const RECOUNT = `${ISSUE}; recounted from the raw file by eval/reference/online_retail_counts.py`;

const f4 = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');

/** The served model's mean ROC-AUC against a reference's, in words (0.005 is well inside the seed spread). */
const versus = (d: number): string =>
  Math.abs(d) < 0.005
    ? `within 0.005 ROC-AUC of the served model (${d >= 0 ? 'below' : 'above'} it by ${Math.abs(d).toFixed(4)})`
    : `${d > 0 ? 'below' : 'above'} the served model by ${Math.abs(d).toFixed(4)} ROC-AUC`;

function sideBySide(r: ClassifierReport, reference?: Record<string, [number, number]>): string {
  const row = (name: string, m: BinaryMetrics, ref?: [number, number]): string =>
    `| ${name} | ${f4(m.rocAuc)} | ${f4(m.prAuc)} | ${f4(m.brier)} | ${m.liftTopDecile.toFixed(2)} |` +
    (reference ? ` ${ref ? `${ref[0].toFixed(3)} / ${ref[1].toFixed(3)}` : ''} |` : '');
  const head =
    '| model | ROC-AUC | PR-AUC | Brier | lift top 10% |' + (reference ? ' issue reference ROC / PR |' : '');
  const rule = '|---|---|---|---|---|' + (reference ? '---|' : '');
  return [
    head,
    rule,
    row(r.chosen === 'gbdt' ? 'GBDT (served)' : 'GBDT', r.test.gbdt, reference?.['gbdt']),
    row(r.chosen === 'logistic' ? 'logistic (served)' : 'logistic', r.test.logistic, reference?.['logistic']),
    row('RFM rule', r.test.rfmRule, reference?.['rfm']),
  ].join('\n');
}

function calibration(r: ClassifierReport): string {
  const m = r.test[r.chosen];
  return [
    `| predicted (bin) | customers | mean predicted | observed churn rate |`,
    '|---|---|---|---|',
    ...m.calibration
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `| ${b.lower.toFixed(1)}-${b.upper.toFixed(1)} | ${b.count} | ${f4(b.meanPredicted)} | ${f4(b.observedRate)} |`,
      ),
  ].join('\n');
}

export async function customers(): Promise<SuiteResult> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await importSource(wh, {
      target: dataset('online-retail', 'online_retail.csv.gz'),
      preset: getPreset('online-retail'),
    });
    const cutoff = parseCutoff('2011-09-09');
    const t = await trainCustomerModels(wh, {
      cutoff,
      horizonDays: 90,
      seed: CHURN_SEEDS[0],
      group: FAIRNESS_GROUP,
      threshold: 0.5,
    });
    const e = t.evaluation;
    const c = e.churn;
    const started = performance.now();
    const others = await churnOverSeeds(wh, { cutoff, horizonDays: 90, seeds: CHURN_SEEDS.slice(1) });
    const perSeed = (performance.now() - started) / 1000 / others.length;
    const runs = [{ seed: CHURN_SEEDS[0]!, churn: c }, ...others];
    const ten = seedSummary(runs.map((r) => r.churn));
    const served = ten.served;
    const rule = ten.rfmRule;
    const checks: Check[] = [
      equals(SUITE, 'customers with a sales order before 2011-09-09', 3362, e.customers, RECOUNT),
      equals(SUITE, 'churn rate (no order in the next 90 days)', '0.433', c.positiveRate.toFixed(3), RECOUNT),
      atLeast(
        SUITE,
        'served model, mean test ROC-AUC over ten split seeds',
        0.74,
        served.mean.rocAuc,
        ISSUE_15,
      ),
      atLeast(
        SUITE,
        'served model, mean test PR-AUC over ten split seeds',
        0.65,
        served.mean.prAuc,
        ISSUE_15,
      ),
      atLeast(SUITE, 'served model, lowest test ROC-AUC of the ten seeds', 0.72, served.min.rocAuc, ISSUE_15),
      holds(
        SUITE,
        'served model beats the RFM rule on mean ROC-AUC and mean PR-AUC',
        served.mean.rocAuc > rule.mean.rocAuc && served.mean.prAuc > rule.mean.prAuc,
        `${f4(served.mean.rocAuc)} vs ${f4(rule.mean.rocAuc)}, ${f4(served.mean.prAuc)} vs ${f4(rule.mean.prAuc)}`,
        'issue 3 (the RFM rule is measured in the same run)',
      ),
    ];

    const fairness = await churnFairness(wh, cutoff, t.artifacts.churn, c);
    checks.push(...fairness.checks);

    const pair = (m: { rocAuc: number; prAuc: number }): string => `${f4(m.rocAuc)} / ${f4(m.prAuc)}`;
    const seedRows = runs.map(({ seed, churn: r }) => {
      const g = r.tuned.gbdt;
      return (
        `| ${seed} | ${r.chosen} | ${pair(r.test[r.chosen])} | ${pair(r.test.gbdt)} | ${pair(r.test.logistic)} | ` +
        `${pair(r.test.rfmRule)} | ${f4(r.selectionRocAuc.gbdt)} / ${f4(r.selectionRocAuc.logistic)} | ` +
        `${g.maxLeaves} / ${g.minChildHessian} / ${g.rounds} | ${r.tuned.logistic.l2} | ${pair(XGBOOST_SAME_SPLITS[seed]!)} |`
      );
    });
    const xgb = CHURN_SEEDS.map((seed) => XGBOOST_SAME_SPLITS[seed]!);
    const xgbMean = {
      rocAuc: xgb.reduce((t, m) => t + m.rocAuc, 0) / xgb.length,
      prAuc: xgb.reduce((t, m) => t + m.prAuc, 0) / xgb.length,
    };
    const xgbMin = {
      rocAuc: Math.min(...xgb.map((m) => m.rocAuc)),
      prAuc: Math.min(...xgb.map((m) => m.prAuc)),
    };
    const logisticServed = runs.filter((r) => r.churn.chosen === 'logistic').length;
    const gbdtBeats =
      ten.gbdt.mean.rocAuc > ten.logistic.mean.rocAuc && ten.gbdt.mean.prAuc > ten.logistic.mean.prAuc;
    const clv = e.clv;
    const report = [
      `Protocol: ${e.protocol}. ${e.customers.toLocaleString('en-US')} customers; split ${e.split.train} fitting / ${e.split.select} selection / ${e.split.test} test (seed ${e.split.seed}). ${e.features.length} features (docs/customer-intelligence.md).`,
      '',
      `**Churn over ten seeds of the split** (no order in the next 90 days; ${(c.positiveRate * 100).toFixed(1)}% churned). ` +
        `Each seed: ${CV_FOLDS}-fold cross-validation inside its fitting part over ${CLASSIFIER_GBDT_GRID.length} GBDT settings ` +
        `(leaves x smallest child hessian; early stopping inside each fold, the final tree count = the folds' mean) and ` +
        `${CLASSIFIER_LOGISTIC_L2_GRID.length} logistic L2 penalties (${CLASSIFIER_LOGISTIC_L2_GRID.join(', ')}); both final models fitted on ` +
        `the fitting part; the one with the higher ROC-AUC on the selection part is served; figures on the test part, which ` +
        `nothing before saw. ROC-AUC / PR-AUC on the test customers:`,
      '',
      '| seed | served | served | GBDT | logistic | RFM rule | selection ROC-AUC GBDT / logistic | GBDT leaves / min hessian / trees | logistic L2 | XGBoost, 12 plain features, same split (reference) |',
      '|---|---|---|---|---|---|---|---|---|---|',
      seedRows.join('\n'),
      `| **mean** | | **${pair(served.mean)}** | ${pair(ten.gbdt.mean)} | ${pair(ten.logistic.mean)} | ${pair(rule.mean)} | | | | ${pair(xgbMean)} |`,
      `| **lowest** | | **${pair(served.min)}** | ${pair(ten.gbdt.min)} | ${pair(ten.logistic.min)} | ${pair(rule.min)} | | | | ${pair(xgbMin)} |`,
      `| issue 3 reference | | XGBoost ${pair(XGBOOST_REFERENCE)} | | 0.7330 / 0.6300 | 0.7200 / 0.6170 | | | | |`,
      '',
      `Floors (issue 15): mean ROC-AUC >= 0.74 and PR-AUC >= 0.65, no seed below ROC-AUC 0.72. The reference row is issue 3's ` +
        `figures (XGBoost on 12 plain RFM-style features, one split of its own; the script that made them is not in the ` +
        `repository), so it compares with the mean row, not with any one seed. The last column re-creates that reference on ` +
        `exactly these test customers (${XGBOOST_SCRIPT}, figures recorded in this suite): XGBoost on 12 plain features, ` +
        `tuned the same way, scores ${pair(xgbMean)} on average, ${versus(served.mean.rocAuc - xgbMean.rocAuc)}. ` +
        (gbdtBeats
          ? `Here the GBDT beats logistic regression on mean ROC-AUC and PR-AUC (${pair(ten.gbdt.mean)} vs ${pair(ten.logistic.mean)}).`
          : `Here the GBDT does **not** beat logistic regression (mean ${pair(ten.gbdt.mean)} vs ${pair(ten.logistic.mean)}): ` +
            `with ~1,900 fitting customers the trees find nothing that an additive model of log-spend and log-counts misses, and ` +
            `logistic regression is served on ${logisticServed} of the ten seeds.`) +
        ` The spread between seeds (${f4(served.min.rocAuc)} to ${f4(served.max.rocAuc)} ROC-AUC on 1,009 test customers) is ` +
        `larger than the difference between the models. Time per extra seed: ${perSeed.toFixed(1)} s (features built once).`,
      '',
      `**Seed ${e.split.seed} in full** (the default seed, the one \`shopsight train customers\` uses), test customers:`,
      '',
      sideBySide(c, { gbdt: [0.732, 0.655], logistic: [0.733, 0.63], rfm: [0.72, 0.617] }),
      '',
      'The issue reference used XGBoost on 12 plain features; "GBDT" here is Shopsight\'s own on the richer features. ' +
        "RFM rule = R+F+M quintile total (warehouse RFM scoring) mapped to the fitting customers' churn rate at that total.",
      '',
      `Calibration of the served model (${c.chosen}), test customers, 10 equal-width bins (empty bins left out):`,
      '',
      calibration(c),
      '',
      fairness.report,
      '',
      `**Purchase propensity** (an order in the next 30 days; ${(e.propensity.positiveRate * 100).toFixed(1)}% bought), same customers and split:`,
      '',
      sideBySide(e.propensity),
      '',
      `**Spend in the next ${clv.horizonDays} days** (${clv.protocol}):`,
      '',
      '| prediction | Spearman | mean absolute error |',
      '|---|---|---|',
      `| BG/NBD x Gamma-Gamma | ${f4(clv.model.spearman)} | ${clv.model.meanAbsoluteError.toFixed(2)} |`,
      `| same as last period (naive) | ${f4(clv.naiveLastPeriod.spearman)} | ${clv.naiveLastPeriod.meanAbsoluteError.toFixed(2)} |`,
      '',
      `**Next order date** (${e.nextOrder.protocol}): ${e.nextOrder.buyers} buyers, mean absolute error ${e.nextOrder.meanAbsoluteErrorDays.toFixed(1)} days (${e.nextOrder.notExpected} without a date); on the ${e.nextOrder.repeatBuyers} with >= 2 order days: model blend ${e.nextOrder.repeatModelErrorDays.toFixed(1)} days vs own rhythm alone ${e.nextOrder.repeatOwnRhythmErrorDays.toFixed(1)} days.`,
      '',
      `Fitted in days: BG/NBD r=${clv.params.bgnbd.r.toPrecision(4)}, alpha=${clv.params.bgnbd.alpha.toPrecision(4)}, a=${clv.params.bgnbd.a.toPrecision(3)}, b=${clv.params.bgnbd.b.toPrecision(4)}; Gamma-Gamma p=${clv.params.gammaGamma.p.toPrecision(4)}, q=${clv.params.gammaGamma.q.toPrecision(4)}, gamma=${clv.params.gammaGamma.gamma.toPrecision(4)}. Optimiser converged: ${JSON.stringify(
        Object.fromEntries(
          ['bgnbd', 'gammaGamma'].map((k) => [
            k,
            (clv.fit[k] as { converged?: boolean } | undefined)?.converged,
          ]),
        ),
      )}.`,
    ].join('\n');
    return { checks, report };
  } finally {
    await wh.close();
  }
}

const FAIRNESS_GROUP: GroupSpec = { attribute: 'country', versus: 'United Kingdom' };

/**
 * The recount of the served churn model's fairness report: features, labels and the seed-42 split
 * rebuilt here, the stored churn artifact (the served model as trained on the fitting part)
 * rescored on the test customers, counted by eval/fairness.ts; and the report `evaluate customers
 * --group` printed (c.fairness) compared with it.
 */
async function churnFairness(
  wh: Warehouse,
  cutoff: Date,
  artifact: ModelArtifact,
  c: ClassifierReport,
): Promise<{ checks: Check[]; report: string }> {
  const m = await customerFeatures(wh, { cutoff, horizonDays: 90 });
  const churned = (await customerOutcomes(wh, m.customerIds, { cutoff, horizonDays: 90 })).bought.map(
    (b) => 1 - b,
  );
  const split = splitCustomers(m.rows, { seed: CHURN_SEEDS[0] });
  const scores = scoreClassifier(
    classifierFromArtifact(artifact),
    takeRows(m.values, m.cols, split.test),
    split.test.length,
  );
  const all = await customerGroupValues(wh, m.customerIds, FAIRNESS_GROUP, cutoff);
  const raw = Array.from(split.test, (i) => all[i] ?? null);
  const { report, checks } = fairnessChecks(SUITE, 'served churn model fairness, UK vs rest', {
    labels: take(churned, split.test),
    scores,
    raw,
    groupOf: (v) => (v === null ? UNKNOWN_GROUP : v === 'United Kingdom' ? v : REST_GROUP),
    grouping: groupValues(raw, FAIRNESS_GROUP),
    threshold: 0.5,
  });
  const figures = (r: typeof report | undefined): string =>
    r
      ? r.groups
          .map(
            (g) => `${g.group} ${g.n}/${g.positives}/${g.flagged}/${g.truePositives}/${g.rocAuc.toFixed(6)}`,
          )
          .join('; ')
      : 'no report';
  checks.push(
    equals(
      SUITE,
      'evaluate customers --group: the churn fairness report equals the recount (n/positives/flagged/TP/ROC-AUC)',
      figures(report),
      figures(c.fairness),
      'recounted in this suite from the stored churn artifact',
    ),
  );
  const uk = report.groups.find((g) => g.group === 'United Kingdom');
  return {
    checks,
    report: [
      `**Fairness of the served churn model (${c.chosen}), seed 42 test customers, United Kingdom vs the rest** ` +
        `(issue 17; report, not reweighted). Country = the customer's country (customers.country, else the most frequent ` +
        `country of their orders before the cutoff). Flagged = churn probability >= 0.5. Differences in percentage points ` +
        `of the rest against the United Kingdom${uk ? ` (${uk.n} test customers)` : ''}, ` +
        `${Math.round(report.confidence * 100)}% intervals by ${report.method}.`,
      '',
      fairnessTable(report),
    ].join('\n'),
  };
}
