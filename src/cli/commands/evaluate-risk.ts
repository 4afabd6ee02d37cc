/**
 * @module cli/commands/evaluate-risk
 * `shopsight evaluate risk [--labels FILE] [--rules FILE] [--review-rate 0.02] [--planted 25]`: the
 * risk models on the store (tasks/risk/evaluate.ts). With labels: a time split, the GBDT against
 * logistic regression and the isolation forest (and with rules, GBDT + rules); without: anomalies
 * planted in a transaction that is rolled back, and how many of them the review rate holds.
 * `--group` (with labels): the GBDT's fairness report per group of test orders (docs/fairness.md).
 * Nothing is stored. On ClickHouse: with --labels only (planting needs a transaction to roll back);
 * without it the command is refused by name.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { groupValues, orderGroupValues, type GroupSpec } from '../../features/fairness-groups.js';
import { orderRiskFeatures } from '../../features/order-risk-features.js';
import { readRiskLabels } from '../../features/risk-labels.js';
import {
  evaluateLabelledRisk,
  evaluatePlantedRisk,
  type RiskFigures,
  type RiskStoreEvaluation,
} from '../../tasks/risk/evaluate.js';
import { readRiskRules } from '../../tasks/risk/rules.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { seedOption } from './customer-options.js';
import { formatFairness, groupOption } from './fairness-options.js';
import { labelsOption, reviewRateOption } from './risk-options.js';

interface Options {
  db?: string;
  json?: boolean;
  labels?: string;
  rules?: string;
  reviewRate: number;
  seed: number;
  planted: number;
  group?: GroupSpec;
}

const f4 = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(4));
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export function formatRiskEvaluation(e: RiskStoreEvaluation): string {
  if (e.kind === 'planted') {
    return [
      e.protocol,
      formatTable(
        ['planted kind', 'recall'],
        Object.entries(e.recallByKind).map(([k, r]) => [k, pct(r)]),
      ),
      `found ${e.found} of ${e.planted} planted anomalies among the ${e.held} orders held (recall ${pct(e.recall)}); ` +
        `planted share of the held ${pct(e.precision)} (a lower bound: real orders held may be anomalous too)`,
    ].join('\n');
  }
  const rr = pct(e.reviewRate);
  const row = (name: string, x: RiskFigures): string[] => [
    name,
    f4(x.rocAuc),
    f4(x.prAuc),
    f4(x.precision),
    f4(x.recall),
    f4(x.precisionAt5),
    f4(x.recallAt5),
  ];
  const m = e.models;
  return [
    e.protocol,
    `test part: ${e.test.orders} orders from ${e.test.from.slice(0, 10)}, ${e.test.fraud} fraud`,
    formatTable(
      ['model', 'ROC-AUC', 'PR-AUC', `precision ${rr}`, `recall ${rr}`, 'precision 5%', 'recall 5%'],
      [
        row('isolation forest (no labels)', m.forest),
        row('logistic regression', m.logistic),
        row('GBDT', m.gbdt),
        ...(m.gbdtRules ? [row('GBDT + rules', m.gbdtRules)] : []),
      ],
    ),
    ...(e.fairness
      ? ['', formatFairness(`GBDT, test orders, flagged at the ${rr} review rate`, e.fairness)]
      : []),
  ].join('\n');
}

export function evaluateRiskCommand(): Command {
  return new Command('risk')
    .description(
      'order risk on your store: with --labels, GBDT vs logistic and the isolation forest on a time split; without, planted anomalies found',
    )
    .addOption(labelsOption())
    .addOption(
      new Option('--rules <file>', 'with --labels: also measure the GBDT plus these rules (docs/risk.md)'),
    )
    .addOption(reviewRateOption())
    .addOption(seedOption('seed for anything random', 1))
    .addOption(
      new Option('--planted <n>', 'without labels: anomalies planted per kind (4 kinds)')
        .default(25)
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1)
            throw new InvalidArgumentError(`planted must be a whole number >= 1, got '${v}'`);
          return n;
        }),
    )
    .addOption(groupOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      if (opts.rules && !opts.labels)
        throw new Error('--rules needs --labels: rules are measured against known fraud');
      if (opts.group && !opts.labels)
        throw new Error('--group needs --labels: true-positive rates and ROC-AUC per group need known fraud');
      const rules = opts.rules ? readRiskRules(opts.rules) : [];
      const e = await withWarehouse(
        opts.db,
        async (wh): Promise<RiskStoreEvaluation> => {
          const progress = startProgress(wh, 'evaluate risk');
          try {
            const common = { reviewRate: opts.reviewRate, seed: opts.seed };
            if (!opts.labels)
              return await evaluatePlantedRisk(wh, { ...common, plantedPerKind: opts.planted });
            const labels = await readRiskLabels(wh, opts.labels);
            const m = await orderRiskFeatures(wh);
            const grouping = opts.group
              ? groupValues(await orderGroupValues(wh, m.orderIds, opts.group), opts.group)
              : undefined;
            return evaluateLabelledRisk(m, labels.labels, {
              ...common,
              rules,
              ...(grouping ? { grouping } : {}),
            });
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (opts.json) return printJson(e);
      process.stdout.write(formatRiskEvaluation(e) + '\n');
    });
}
