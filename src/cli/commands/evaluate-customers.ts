/**
 * @module cli/commands/evaluate-customers
 * `shopsight evaluate customers`: the hold-out figures of the customer models (GBDT, logistic
 * regression, RFM rule; BTYD spend vs last period) under the protocol they print. With `--group`,
 * the served churn and propensity models' fairness report per group (docs/fairness.md). Stores
 * nothing.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { GroupSpec } from '../../features/fairness-groups.js';
import { DEFAULT_DECISION_THRESHOLD, trainCustomerModels } from '../../tasks/customers/train.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { cutoffOption, formatEvaluation, horizonOption, seedOption } from './customer-options.js';
import { formatFairness, groupOption } from './fairness-options.js';

interface Options {
  db?: string;
  json?: boolean;
  cutoff?: Date;
  horizon: number;
  seed: number;
  group?: GroupSpec;
  threshold: number;
}

export function evaluateCustomersCommand(): Command {
  return new Command('customers')
    .description('churn, propensity and spend predictions vs baselines on held-out customers')
    .addOption(cutoffOption())
    .addOption(horizonOption())
    .addOption(seedOption())
    .addOption(groupOption())
    .addOption(
      new Option('--threshold <p>', 'with --group: a customer is flagged when the probability is at least p')
        .default(DEFAULT_DECISION_THRESHOLD)
        .argParser((v) => {
          const p = Number(v);
          if (!(p > 0 && p < 1)) throw new InvalidArgumentError(`threshold must be in (0, 1), got '${v}'`);
          return p;
        }),
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const evaluation = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'evaluate customers');
          try {
            const t = await trainCustomerModels(wh, {
              cutoff: opts.cutoff,
              horizonDays: opts.horizon,
              seed: opts.seed,
              ...(opts.group ? { group: opts.group, threshold: opts.threshold } : {}),
              onStep: (s, i, n) => progress.step(s, 0, 1, i, n),
            });
            return t.evaluation;
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (opts.json) return printJson(evaluation);
      const fairness = (['churn', 'propensity'] as const).flatMap((task) => {
        const r = evaluation[task].fairness;
        return r
          ? [
              '',
              formatFairness(
                `${task} (${evaluation[task].chosen}, test customers) by ${opts.group!.attribute}`,
                r,
              ),
            ]
          : [];
      });
      process.stdout.write([formatEvaluation(evaluation), ...fairness].join('\n') + '\n');
    });
}
