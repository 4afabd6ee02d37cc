/**
 * @module cli/commands/train-recommend
 * `shopsight train recommend [--model auto|NAME]`: measure the candidates (leave-last-out, full
 * ranking), fit the chosen one on all interactions, store the serving bundle and promote it.
 */
import { Command, Option } from 'commander';
import { loadInteractions } from '../../features/interactions.js';
import { saveModel } from '../../registry/registry.js';
import { bundleToArtifact } from '../../tasks/recommend/bundle.js';
import { formatRecommendTable } from '../../tasks/recommend/evaluate.js';
import { RECOMMENDERS } from '../../tasks/recommend/models.js';
import { trainRecommendations } from '../../tasks/recommend/train.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';

interface Options {
  db?: string;
  json?: boolean;
  model: string;
  candidates?: string;
  seed: string;
  promote: boolean;
}

export function trainRecommendCommand(): Command {
  return new Command('recommend')
    .description('recommendation models: compare, fit the best (or the one named), store and promote')
    .addOption(
      new Option('--model <name>', 'model to serve, or auto (best validation NDCG@10)')
        .choices(['auto', ...Object.keys(RECOMMENDERS)])
        .default('auto'),
    )
    .option('--candidates <list>', 'comma-separated models auto compares')
    .option('--seed <n>', 'seed for anything random', '1')
    .option('--no-promote', 'store the model without serving it')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const out = await withWarehouse(opts.db, async (wh) => {
        const progress = startProgress(wh, 'train recommend');
        let step = 0;
        try {
          const d = await loadInteractions(wh);
          const r = await trainRecommendations(d, {
            model: opts.model,
            ...(opts.candidates ? { candidates: opts.candidates.split(',').map((s) => s.trim()) } : {}),
            seed: Number(opts.seed),
            onStep: (label) => progress.step(label, 0, 1, step++, step + 1),
          });
          const record = await saveModel(
            wh,
            {
              task: 'recommend',
              artifact: bundleToArtifact(r.bundle),
              trainedOn: r.trainedOn,
              params: { model: r.bundle.model, seed: Number(opts.seed) },
              metrics: r.metrics,
            },
            { promote: opts.promote },
          );
          return { record, evaluation: r.evaluation };
        } finally {
          progress.stop();
        }
      });
      if (opts.json) return printJson({ model: out.record, evaluation: out.evaluation });
      process.stdout.write(
        [
          `${out.record.modelId} (${String(out.record.params['model'])}) stored` +
            (out.record.status === 'promoted' ? ' and promoted' : ''),
          '',
          formatRecommendTable(out.evaluation.rows, out.evaluation.best),
          '',
        ].join('\n'),
      );
    });
}
