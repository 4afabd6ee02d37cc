/**
 * @module cli/commands/train-customers
 * `shopsight train customers`: trains churn and purchase-propensity classifiers and the CLV
 * models, evaluates them on held-out customers, stores all three in the registry and promotes them.
 */
import { Command } from 'commander';
import { saveModel } from '../../registry/registry.js';
import type { ModelRecord } from '../../schema/models.js';
import type { ClvFitReport } from '../../tasks/customers/clv.js';
import { trainCustomerModels, type ClassifierReport } from '../../tasks/customers/train.js';
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

/** What the registry shows for a classifier: the chosen model's test figures first, then the protocol. */
function classifierMetrics(r: ClassifierReport, protocol: string): Record<string, unknown> {
  const m = r.test[r.chosen];
  return {
    rocAuc: m.rocAuc,
    prAuc: m.prAuc,
    brier: m.brier,
    liftTopDecile: m.liftTopDecile,
    rfmRuleRocAuc: r.test.rfmRule.rocAuc,
    selectionRocAuc: r.selectionRocAuc[r.chosen],
    protocol,
  };
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
      const result = await withWarehouse(opts.db, async (wh) => {
        const progress = startProgress(wh, 'train customers');
        let t;
        try {
          t = await trainCustomerModels(wh, {
            cutoff: opts.cutoff,
            horizonDays: opts.horizon,
            seed: opts.seed,
            onStep: (s, i, n) => progress.step(s, 0, 1, i, n),
          });
        } finally {
          progress.stop();
        }
        const e = t.evaluation;
        const models: ModelRecord[] = [
          await saveModel(
            wh,
            {
              task: 'churn',
              artifact: t.artifacts.churn,
              trainedOn: t.trainedOn,
              metrics: classifierMetrics(e.churn, e.protocol),
            },
            { promote: true },
          ),
          await saveModel(
            wh,
            {
              task: 'propensity',
              artifact: t.artifacts.propensity,
              trainedOn: t.trainedOn,
              metrics: classifierMetrics(e.propensity, e.protocol),
            },
            { promote: true },
          ),
          await saveModel(
            wh,
            {
              task: 'clv',
              artifact: t.artifacts.clv,
              trainedOn: { ...t.trainedOn, fittedAsOf: t.artifacts.clv.meta['fittedAsOf'] },
              metrics: {
                spearman: e.clv.model.spearman,
                meanAbsoluteError: e.clv.model.meanAbsoluteError,
                naiveSpearman: e.clv.naiveLastPeriod.spearman,
                protocol: e.clv.protocol,
                served: (t.artifacts.clv.meta['fit'] as ClvFitReport).served,
                pAliveUnavailable: (t.artifacts.clv.meta['fit'] as ClvFitReport).pAliveUnavailable,
              },
            },
            { promote: true },
          ),
        ];
        const clvFitNow = t.artifacts.clv.meta['fit'] as ClvFitReport;
        return {
          evaluation: e,
          models,
          clvFitNow,
          clvFittedAsOf: String(t.artifacts.clv.meta['fittedAsOf']),
        };
      });
      if (opts.json) return printJson(result);
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
