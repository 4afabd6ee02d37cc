/**
 * @module cli/commands/train-risk
 * `shopsight train risk [--labels FILE|column] [--review-rate 0.02]`: fits the order risk model (an
 * isolation forest without labels, a GBDT with them), stores and promotes it, and prints the score
 * threshold for the review rate with the precision and recall expected there (labels only).
 */
import { Command } from 'commander';
import { trainAndRegister } from '../../registry/training.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { seedOption } from './customer-options.js';
import { labelsOption, reviewRateOption } from './risk-options.js';

interface Options {
  db?: string;
  json?: boolean;
  labels?: string;
  reviewRate: number;
  seed: number;
  promote: boolean;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export function trainRiskCommand(): Command {
  return new Command('risk')
    .description('order risk: isolation forest (no labels) or GBDT on known fraud; store and promote')
    .addOption(labelsOption())
    .addOption(reviewRateOption())
    .addOption(seedOption('seed for anything random', 1))
    .option('--no-promote', 'store the model without serving it')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const r = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'train risk');
          try {
            return await trainAndRegister(
              wh,
              'risk',
              {
                ...(opts.labels ? { labels: opts.labels } : {}),
                reviewRate: opts.reviewRate,
                seed: opts.seed,
                promote: opts.promote,
              },
              (s, i, n) => progress.step(s, 0, 1, i, n),
            );
          } finally {
            progress.stop();
          }
        },
        { viaServer: 'POST /v1/admin/train/risk', clickhouse: true },
      );
      if (opts.json) {
        const { task: _task, models: _models, ...rest } = r;
        return printJson(rest);
      }
      const t = r.evaluation.test;
      process.stdout.write(
        [
          `stored ${r.record.modelId} (${r.evaluation.model}, ${r.record.status})`,
          r.evaluation.protocol,
          t
            ? `held-out: ROC-AUC ${t.rocAuc.toFixed(4)}, PR-AUC ${t.prAuc.toFixed(4)} on ${t.orders.toLocaleString('en-US')} orders (fraud ${pct(t.fraudRate)})`
            : '',
          `review the top ${pct(r.reviewRate)}: hold orders scoring >= ${r.threshold.toFixed(4)}` +
            (r.expected
              ? '; threshold cut on the validation part; on the held-out part' +
                (r.expected.heldShare !== undefined ? ` it holds ${pct(r.expected.heldShare)}` : '') +
                ` with precision ${r.expected.precision === null ? 'none (nothing held)' : pct(r.expected.precision)},` +
                ` recall ${r.expected.recall === null ? 'none (no fraud)' : pct(r.expected.recall)}`
              : ' (no labels: precision and recall unknown)'),
          r.unmatchedLabels ? `${r.unmatchedLabels} label rows matched no order and were skipped` : '',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      );
    });
}
