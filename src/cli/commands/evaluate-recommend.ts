/**
 * @module cli/commands/evaluate-recommend
 * `shopsight evaluate recommend`: every recommender side by side on the warehouse's interactions,
 * leave-last-out (default) or a temporal split at --cutoff; full ranking, history excluded.
 */
import { Command } from 'commander';
import { loadInteractions } from '../../features/interactions.js';
import {
  evaluateRecommenders,
  evaluateTemporal,
  formatRecommendTable,
} from '../../tasks/recommend/evaluate.js';
import { AUTO_CANDIDATES } from '../../tasks/recommend/train.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';
import { seedOption } from './customer-options.js';
import { recommenderListOption } from './recommend-options.js';
import { startProgress } from '../progress.js';

interface Options {
  db?: string;
  json?: boolean;
  models?: string[];
  cutoff?: string;
  seed: number;
}

export function evaluateRecommendCommand(): Command {
  return new Command('recommend')
    .description('recommenders side by side: HR and NDCG at 5/10/20 over the full catalogue, coverage')
    .addOption(
      recommenderListOption('--models <list>', `comma-separated (default: ${AUTO_CANDIDATES.join(', ')})`),
    )
    .option('--cutoff <date>', 'temporal split: train before this date, test on what came after')
    .addOption(seedOption('seed for anything random', 1))
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const models = opts.models ?? AUTO_CANDIDATES;
      const cutoff = opts.cutoff
        ? new Date(`${opts.cutoff}${opts.cutoff.length === 10 ? 'T00:00:00Z' : ''}`)
        : undefined;
      if (cutoff && Number.isNaN(cutoff.getTime())) throw new Error(`--cutoff: not a date: '${opts.cutoff}'`);
      const r = await withWarehouse(
        opts.db,
        async (wh) => {
          const d = await loadInteractions(wh);
          if (!d.itemIds.length)
            throw new Error('no interactions to evaluate: import orders or product events first');
          const extra = d.data.itemCategories ? { itemCategories: d.data.itemCategories } : {};
          const seed = opts.seed;
          // One step per model evaluated: on a big store this runs for minutes.
          const progress = startProgress(wh, 'evaluate recommend');
          let done = 0;
          const onModel = (row: { model: string }): void =>
            progress.step(`evaluated ${row.model}`, 0, 1, done++, models.length);
          try {
            return await (cutoff
              ? evaluateTemporal(d.data.sequences, cutoff, models, { seed, extra, onModel })
              : evaluateRecommenders(d.data.sequences, models, { seed, extra, onModel }));
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (opts.json) return printJson(r);
      process.stdout.write(
        [
          formatRecommendTable(r.rows, r.best),
          `protocol: ${r.protocol}`,
          `${r.validationCases} validation and ${r.testCases} test cases` +
            (r.skipped.length
              ? `; skipped ${r.skipped.map((s) => `${s.model} (${s.reason})`).join(', ')}`
              : ''),
          '',
        ].join('\n'),
      );
    });
}
