/**
 * @module cli/commands/train-customers
 * `shopsight train customers`: trains churn and purchase-propensity classifiers and the CLV
 * models, evaluates them on held-out customers, stores all three in the registry and promotes them.
 * Runs on a DuckDB file or a ClickHouse cluster (the cluster's registry; docs/clickhouse.md).
 */
import { Command } from 'commander';
import { trainAndRegister } from '../../registry/training.js';
import { dbOption, jsonOption, printJson, suggest, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import {
  cutoffOption,
  formatClvFits,
  formatEvaluation,
  horizonOption,
  seedOption,
} from './customer-options.js';

interface Options {
  db?: string;
  json?: boolean;
  cutoff?: Date;
  horizon: number;
  seed: number;
}

export function trainCustomersCommand(): Command {
  return new Command('customers')
    .description('churn, purchase propensity and lifetime value models for every customer who has bought')
    .addOption(cutoffOption())
    .addOption(horizonOption())
    .addOption(seedOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const result = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'train customers');
          try {
            return await trainAndRegister(
              wh,
              'customers',
              { ...(opts.cutoff ? { cutoff: opts.cutoff } : {}), horizonDays: opts.horizon, seed: opts.seed },
              (s, i, n) => progress.step(s, 0, 1, i, n),
            );
          } finally {
            progress.stop();
          }
        },
        { viaServer: 'POST /v1/admin/train/customers', clickhouse: true },
      );
      if (opts.json) {
        const { evaluation, models, clvFitNow, clvFittedAsOf } = result;
        return printJson({ evaluation, models, clvFitNow, clvFittedAsOf });
      }
      process.stdout.write(
        formatEvaluation(result.evaluation) +
          '\n\n' +
          formatClvFits(
            result.clvFitNow,
            `stored CLV model, refitted on all purchase days before ${result.clvFittedAsOf}`,
          ) +
          `\n\nstored and promoted: ${result.models.map((m) => `${m.modelId} (${m.kind})`).join(', ')}\n` +
          `score every customer with ${suggest('predict customers', opts.db)}\n`,
      );
    });
}
