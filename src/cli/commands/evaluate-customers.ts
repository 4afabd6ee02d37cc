/**
 * @module cli/commands/evaluate-customers
 * `shopsight evaluate customers`: the hold-out figures of the customer models (GBDT, logistic
 * regression, RFM rule; BTYD spend vs last period) under the protocol they print. Stores nothing.
 */
import { Command } from 'commander';
import { trainCustomerModels } from '../../tasks/customers/train.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { cutoffOption, formatEvaluation, horizonOption, seedOption } from './customer-options.js';

export function evaluateCustomersCommand(): Command {
  return new Command('customers')
    .description('churn, propensity and spend predictions vs baselines on held-out customers')
    .addOption(cutoffOption())
    .addOption(horizonOption())
    .addOption(seedOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { db?: string; json?: boolean; cutoff?: Date; horizon: number; seed: number }) => {
      const evaluation = await withWarehouse(opts.db, async (wh) => {
        const progress = startProgress(wh, 'evaluate customers');
        try {
          const t = await trainCustomerModels(wh, {
            cutoff: opts.cutoff,
            horizonDays: opts.horizon,
            seed: opts.seed,
            onStep: (s, i, n) => progress.step(s, 0, 1, i, n),
          });
          return t.evaluation;
        } finally {
          progress.stop();
        }
      });
      if (opts.json) return printJson(evaluation);
      process.stdout.write(formatEvaluation(evaluation) + '\n');
    });
}
